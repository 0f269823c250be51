// The main window: the run list on the left (checkboxes, colours, regex filter), the
// dashboards in tabs, live updates from the logdir, and problems in the status bar.
#pragma once

#include "core/jobs/jobspec.h"

#include <QColor>
#include <QMainWindow>
#include <QMap>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <memory>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QToolButton;

namespace trainscope {

class ConfusionView;
class Dashboard;
class DistributionsView;
class HistogramsView;
class HParamsView;
class ImagesView;
class TextView;
class Bridge;
class JobListModel;
class JobRunner;
class LogdirWatcher;
class ProfileView;
class RunListModel;
class ScalarsView;
class SweepController;
class TuningView;
enum class JobState;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void openLogdir(const QString &logdir);
    void openTrace(const QString &path); // a Chrome/PyTorch trace file, in the Profile tab
    // Two saved profiles (trace files) in the Profile tab's Compare section.
    void compareTraces(const QString &baseline, const QString &candidate);
    bool selectTab(const QString &name); // by title, case-insensitive
    // Applies at once; typed into the filter box, after kRunFilterDebounceMs without a key.
    static constexpr int kRunFilterDebounceMs = 150;
    void setRunFilter(const QString &regex);
    void selectRuns(const QStringList &runs); // in the run list (a clicked curve's)
    QStringList selectedRuns() const;
    QString runFilter() const;
    QString currentTabName() const;

    // A trial clicked in the Tuning tab: its run's curves in the Scalars tab, with a button in
    // the tab bar's corner back to Tuning. The run filter it sets is lent, not kept: going back, or
    // to any other tab, gives back the filter the user had (one typed meanwhile is the user's).
    void showTrialRun(const QString &runDir);
    bool showingTrial() const { return m_trialFilterLent; }
    void backToTuning();

    // The logdir's first read has been merged (or none is open), and a comparison asked for is
    // on screen.
    bool isLoaded() const;

    // Starts a training job in the background; its run goes into the open logdir.
    int startJob(const JobSpec &spec);
    void cancelJob(int id);
    // The embedded demo: the slow-input job, then (once it completes) the fixed one.
    void startDemo();
    JobListModel *jobModel() const { return m_jobModel; }
    ProfileView *profileView() const { return m_profile; }
    ConfusionView *confusionView() const { return m_confusion; }
    RunListModel *runModel() const { return m_runModel; }
    ScalarsView *scalarsView() const { return m_scalars; }
    HistogramsView *histogramsView() const { return m_histograms; }
    DistributionsView *distributionsView() const { return m_distributions; }
    ImagesView *imagesView() const { return m_images; }
    TextView *textView() const { return m_text; }
    HParamsView *hparamsView() const { return m_hparams; }
    TuningView *tuningView() const { return m_tuning; }
    SweepController *sweeps() const { return m_sweeps; }
    QStringList problems() const { return m_problems; }
    QMap<QString, QColor> visibleRuns() const;  // checked and passing the run filter
    QMap<QString, QColor> filteredRuns() const; // passing the run filter

signals:
    void loaded();
    void jobEnded(int id, trainscope::JobState state);

private:
    void onRunsChanged(const QStringList &runs);
    void announceLoaded(); // emits loaded() once everything isLoaded waits for is in
    QString savedProfileName(const QString &trace) const; // "run NAME", as the run list says
    void onProblems(const QStringList &messages);
    void updateVisibleRuns();
    void showVisibleRuns(); // to the tab in front, when it has not had them
    void updateStatus();
    QString reading() const; // how far the first read of a big logdir has gone
    void chooseLogdir();
    void chooseTrace();
    QString logdirForNewWork(); // the open logdir, or ~/trainscope-runs opened for the purpose
    void giveBackRunFilter();
    void showProblems();
    void addDashboard(Dashboard *dashboard, const QString &title);
    void readConfusionMatrices(const QString &run);
    void showJobForm();
    void onJobState(int id, JobState state, const QString &message);
    QWidget *jobsPanel();

    LogdirWatcher *m_watcher = nullptr;
    RunListModel *m_runModel;
    QSortFilterProxyModel *m_runProxy;
    QLineEdit *m_runFilter;
    QTimer m_runFilterTimer;
    QListView *m_runList;
    QTabWidget *m_tabs;
    QPushButton *m_backToTuning; // in the tab bar's corner while a trial's curves are shown
    bool m_trialFilterLent = false;
    QString m_filterBeforeTrial;
    ScalarsView *m_scalars;
    HistogramsView *m_histograms;
    DistributionsView *m_distributions;
    ImagesView *m_images;
    TextView *m_text;
    HParamsView *m_hparams;
    QList<Dashboard *> m_dashboards;   // every tab that reads the logdir
    QMap<QString, int> m_confusionIds; // the Confusion tab's ids of runs read from disk
    QLabel *m_status;
    QToolButton *m_problemsButton;
    QStringList m_problems;
    QSet<Dashboard *> m_staleDashboards; // behind the tab in front: the run list changed since

    Bridge *m_bridge;
    std::unique_ptr<JobRunner> m_runner; // declared after the bridge: its threads report to it
    JobListModel *m_jobModel;
    QTableView *m_jobTable;
    ProfileView *m_profile;
    ConfusionView *m_confusion;
    TuningView *m_tuning;
    SweepController *m_sweeps = nullptr;
    int m_demoSlowJob = -1;  // the demo's first job, while it runs
    int m_demoSlowRun = -1;  // ... and once it ran, for the comparison
    int m_demoFixedJob = -1; // the second, while it runs
};

} // namespace trainscope
