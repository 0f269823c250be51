// The Profile tab: per job, the live step-time breakdown chart and the analysis so far (the
// input-bound verdict, mean breakdown, recommendations, input-pipeline stages, top operators).
#pragma once

#include "profile/stepstats.h"

#include <QColor>
#include <QMap>
#include <QVector>
#include <QWidget>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSortFilterProxyModel;
class QTableView;

namespace trainscope {

class OpStatsModel;
class StageStatsModel;
class StepTimeChart;

class ProfileView : public QWidget {
    Q_OBJECT
public:
    explicit ProfileView(QWidget *parent = nullptr);

    // Lists a job in the selector (renames it if known); the first job becomes current.
    void addJob(int id, const QString &name);
    // Newly profiled steps; drawn at once when `jobId` is current. Unknown jobs are added.
    void appendSteps(int jobId, const QVector<StepStats> &steps);
    // The analysis so far; its steps join the chart (a saved run's profile has only these).
    void setSummary(int jobId, const ProfileSummary &summary);
    void setCurrentJob(int jobId);
    int currentJob() const; // -1 when no job is listed
    void clear();

    void setOperatorFilter(const QString &text); // case-insensitive substring of the name

    StepTimeChart *chart() const { return m_chart; }
    OpStatsModel *operatorModel() const { return m_ops; }
    QSortFilterProxyModel *operatorProxy() const { return m_opsProxy; }
    StageStatsModel *stageModel() const { return m_stages; }
    QString verdictText() const;   // as shown, plain
    QString breakdownText() const; // mean step and per-category means, as shown
    QStringList recommendations() const;

private:
    struct Job {
        QMap<qint64, StepStats> steps; // by step: a step reported twice is kept once
        std::optional<ProfileSummary> summary;
    };
    void showSummary(const ProfileSummary *summary);
    void ensureJob(int jobId);

    QMap<int, Job> m_jobs; // every job's data, so switching jobs redraws at once
    int m_current = -1;

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
};

// Red when highly input-bound, orange when moderately, green when not.
QColor inputVerdictColor(InputVerdict verdict);

} // namespace trainscope
