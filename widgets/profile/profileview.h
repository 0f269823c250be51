// The Profile tab: per job (or saved run), the live step-time breakdown chart and the analysis
// so far (verdict, breakdown, recommendations, stages, top operators), over the window's
// trace the timeline, the memory view and the operator and kernel statistics, and the Compare
// section that sets two of them side by side.
#pragma once

#include "core/profile/stepstats.h"
#include "core/profile/tracefile.h"

#include <QColor>
#include <QMap>
#include <QSet>
#include <QVector>
#include <QWidget>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSortFilterProxyModel;
class QTableView;
class QTabWidget;

namespace trainscope {

class MemoryView;
class OpStatsModel;
class ProfileCompareView;
class StageStatsModel;
class StepTimeChart;
class TraceStatsView;
class TraceView;

class ProfileView : public QWidget {
    Q_OBJECT
public:
    explicit ProfileView(QWidget *parent = nullptr);

    // Lists a job in the selector (renames it if known); the first job becomes current, later
    // ones wait to be picked (a job that starts does not take the view from what is read).
    void addJob(int id, const QString &name);
    // The job's run directory: profiles the logdir finds in it are that job's, not runs of
    // their own in the selector.
    void setJobRun(int id, const QString &runDir);
    // Newly profiled steps; drawn at once when `jobId` is current. Unknown jobs are added.
    void appendSteps(int jobId, const QVector<StepStats> &steps);
    // The analysis so far; its steps join the chart (a saved run's profile has only these).
    void setSummary(int jobId, const ProfileSummary &summary);
    // The window's trace so far; the Trace, Memory and statistics sections show it.
    void setTrace(int jobId, std::shared_ptr<const TraceFile> trace);
    // A profile saved with a run (or imported): listed now; when first shown, loadRequested
    // asks for it (views never read files) and setSummary/setTrace or setLoadFailed answer.
    // Returns its id in the selector (a job's, when the profile is in its run directory).
    int addSavedProfile(const QString &name, const QString &path);
    void setLoadFailed(int jobId, const QString &error);
    void setLoadProgress(int jobId, double fraction); // of a saved profile being read, 0..1
    void setCurrentJob(int jobId);
    // "Trace", "Memory", "Compare/Timelines"... case-insensitive.
    bool selectSection(const QString &title);
    int currentJob() const; // -1 when no job is listed
    void clear();

    void setOperatorFilter(const QString &text); // case-insensitive substring of the name
    // Shows the Compare section with `baseline` and `candidate` (ids in the selector).
    void compare(int baseline, int candidate);

    StepTimeChart *chart() const { return m_chart; }
    QTabWidget *sections() const { return m_sections; }
    TraceView *traceView() const { return m_traceView; }
    MemoryView *memoryView() const { return m_memoryView; }
    TraceStatsView *statsView() const { return m_statsView; }
    ProfileCompareView *compareView() const { return m_compare; }
    int jobCount() const;                             // entries in the selector
    QString loadError() const { return m_loadError; } // why the last saved profile didn't open
    OpStatsModel *operatorModel() const { return m_ops; }
    QSortFilterProxyModel *operatorProxy() const { return m_opsProxy; }
    StageStatsModel *stageModel() const { return m_stages; }
    QString verdictText() const;   // as shown, plain
    QString breakdownText() const; // mean step and per-category means, as shown
    QStringList recommendations() const;

signals:
    void loadRequested(int jobId, const QString &path);

private:
    struct Job {
        QMap<qint64, StepStats> steps; // by step: a step reported twice is kept once
        std::optional<ProfileSummary> summary;
        std::shared_ptr<const TraceFile> trace;
        QString savedPath; // a saved profile still to read
        QString runDir;    // a job's, once it runs
        bool loading = false;
    };
    void showSummary(const ProfileSummary *summary);
    void showTrace(const std::shared_ptr<const TraceFile> &trace);
    void refreshSection(); // the current section, when its trace is newer than what it shows
    void loadSaved(int jobId);
    void ensureJob(int jobId);
    void offerToCompare(int jobId); // the job's profile, when the Compare section shows it
    void pickComparedIfNone();      // Compare shown with nothing picked: two entries

    QMap<int, Job> m_jobs; // every job's data, so switching jobs redraws at once
    int m_current = -1;
    int m_nextSavedId = 1 << 24; // saved profiles' ids, apart from jobs'
    QString m_loadError;
    std::shared_ptr<const TraceFile> m_shownTrace;
    QSet<QWidget *> m_staleSections;

    QComboBox *m_jobCombo;
    QLabel *m_verdict;
    QLabel *m_breakdown;
    QLabel *m_device;
    StepTimeChart *m_chart;
    QListWidget *m_recommendations;
    StageStatsModel *m_stages;
    QTableView *m_stageTable;
    OpStatsModel *m_ops;
    QSortFilterProxyModel *m_opsProxy;
    QLineEdit *m_opFilter;
    QTableView *m_opTable;
    QTabWidget *m_sections;
    TraceView *m_traceView;
    MemoryView *m_memoryView;
    TraceStatsView *m_statsView;
    ProfileCompareView *m_compare;
};

// Red when highly input-bound, orange when moderately, green when not.
QColor inputVerdictColor(InputVerdict verdict);

} // namespace trainscope
