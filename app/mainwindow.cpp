#include "app/mainwindow.h"

#include "app/demo.h"
#include "app/embeddedresources.h"
#include "app/profileloader.h"
#include "app/sweepcontroller.h"
#include "core/events/eventdecoder.h"
#include "core/profile/chrometrace.h"
#include "core/run/jobrunner.h"
#include "widgets/bridge.h"
#include "widgets/confusion/confusionview.h"
#include "widgets/histograms/histogramsview.h"
#include "widgets/hparams/hparamsview.h"
#include "widgets/images/imagesview.h"
#include "widgets/jobs/jobform.h"
#include "widgets/jobs/joblistmodel.h"
#include "widgets/logdirwatcher.h"
#include "widgets/names.h"
#include "widgets/profile/profilecompareview.h"
#include "widgets/profile/profileview.h"
#include "widgets/runs/runlistmodel.h"
#include "widgets/scalars/scalarsview.h"
#include "widgets/text/textview.h"
#include "widgets/tune/tuningview.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace trainscope {
namespace {

// Runs read from disk share the Confusion tab with live jobs, whose ids count from 1.
constexpr int kRunsFromDiskIds = 1 << 24;

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_runModel(new RunListModel(this))
    , m_runProxy(new QSortFilterProxyModel(this))
    , m_runFilter(new QLineEdit)
    , m_runList(new QListView)
    , m_tabs(new QTabWidget(this))
    , m_backToTuning(new QPushButton("◀ Back to Tuning"))
    , m_scalars(new ScalarsView)
    , m_histograms(new HistogramsView)
    , m_distributions(new DistributionsView)
    , m_images(new ImagesView)
    , m_text(new TextView)
    , m_hparams(new HParamsView)
    , m_status(new QLabel)
    , m_problemsButton(new QToolButton)
    , m_bridge(new Bridge(this))
    , m_jobModel(new JobListModel(this))
    , m_jobTable(new QTableView)
    , m_profile(new ProfileView)
    , m_confusion(new ConfusionView)
    , m_tuning(new TuningView) {
    setWindowTitle("Trainscope");
    registerResources();
    setWindowIcon(QIcon(":/icons/trainscope.svg"));

    m_runProxy->setSourceModel(m_runModel);
    m_runProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_runFilter->setPlaceholderText("Filter runs (regex)");
    m_runFilter->setClearButtonEnabled(true);
    // Typing is debounced: "run-19" typed at 10,000 runs filters once, when the typing pauses.
    m_runFilterTimer.setSingleShot(true);
    m_runFilterTimer.setInterval(kRunFilterDebounceMs);
    connect(m_runFilter, &QLineEdit::textChanged, &m_runFilterTimer, qOverload<>(&QTimer::start));
    // Typed by the user (setRunFilter's own edits are blocked): the filter is theirs now.
    connect(m_runFilter, &QLineEdit::textChanged, this, [this] {
        m_trialFilterLent = false;
        m_backToTuning->hide();
    });
    connect(&m_runFilterTimer, &QTimer::timeout, this,
            [this] { setRunFilter(m_runFilter->text()); });
    m_runList->setModel(m_runProxy);
    m_runList->setUniformItemSizes(true);
    // Run names differ at both ends (a sweep's prefix, a trial's number): elide the middle;
    // the tooltip has the full path.
    m_runList->setTextElideMode(Qt::ElideMiddle);
    m_runList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_runList->setSelectionMode(QAbstractItemView::ExtendedSelection); // a group's runs
    auto *all = new QCheckBox("All runs");
    all->setChecked(true);
    connect(all, &QCheckBox::toggled, m_runModel, &RunListModel::setAllChecked);
    connect(m_runModel, &RunListModel::selectionChanged, this, &MainWindow::updateVisibleRuns);

    auto *runPanel = new QWidget;
    auto *runLayout = new QVBoxLayout(runPanel);
    runLayout->addWidget(m_runFilter);
    runLayout->addWidget(all);
    runLayout->addWidget(m_runList, 1);
    auto *dock = new QDockWidget("Runs", this);
    dock->setObjectName("runs");
    dock->setFeatures(QDockWidget::DockWidgetMovable);
    dock->setWidget(runPanel);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({dock}, {260}, Qt::Horizontal);

    addDashboard(m_scalars, "Scalars");
    addDashboard(m_histograms, "Histograms");
    addDashboard(m_distributions, "Distributions");
    addDashboard(m_images, "Images");
    addDashboard(m_text, "Text");
    addDashboard(m_hparams, "HParams");
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::showVisibleRuns);
    // Sessions selected in the HParams tab are the runs the other tabs show.
    connect(m_hparams, &HParamsView::runsSelected, this, [this](const QStringList &runs) {
        if (runs.isEmpty())
            m_runModel->setAllChecked(true);
        else
            m_runModel->setCheckedRuns(runs);
    });
    connect(m_scalars, &ScalarsView::runsClicked, this, &MainWindow::selectRuns);
    m_tabs->addTab(m_profile, "Profile");
    m_tabs->addTab(m_confusion, "Confusion matrix");
    m_tabs->addTab(m_tuning, "Tuning");
    m_backToTuning->setObjectName("backToTuning");
    connect(m_backToTuning, &QPushButton::clicked, this, &MainWindow::backToTuning);
    m_tabs->setCornerWidget(m_backToTuning, Qt::TopRightCorner);
    m_backToTuning->hide();
    setCentralWidget(m_tabs);
    // Leaving the trial's curves for any other tab gives the run filter back.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_trialFilterLent && m_tabs->currentWidget() != m_scalars) giveBackRunFilter();
    });
    m_sweeps = new SweepController(
        m_tuning, m_bridge, [this] { return logdirForNewWork(); },
        [this](const JobSpec &spec) { return startJob(spec); }, this);
    connect(m_tuning, &TuningView::trialActivated, this, &MainWindow::showTrialRun);
    new ProfileLoader(m_profile);
    connect(m_profile->compareView(), &ProfileCompareView::diffShown, this,
            &MainWindow::announceLoaded);

    auto *jobsDock = new QDockWidget("Jobs", this);
    jobsDock->setObjectName("jobs");
    jobsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    jobsDock->setWidget(jobsPanel());
    addDockWidget(Qt::BottomDockWidgetArea, jobsDock);
    resizeDocks({jobsDock}, {150}, Qt::Vertical);

    connect(m_bridge, &Bridge::stateChanged, this, &MainWindow::onJobState);
    connect(m_bridge, &Bridge::progressed, m_jobModel, &JobListModel::setProgress);
    connect(m_bridge, &Bridge::epochFinished, m_jobModel, &JobListModel::setEpoch);
    // A sweep's trials are rows in the Jobs panel while it runs.
    connect(m_sweeps, &SweepController::trialChanged, m_jobModel, &JobListModel::setTrial);
    connect(m_sweeps, &SweepController::sweepFinished, m_jobModel,
            [this](const QString &dir) { m_jobModel->endSweep(dir); });
    connect(m_bridge, &Bridge::stepsProfiled, m_profile, &ProfileView::appendSteps);
    connect(m_bridge, &Bridge::profileUpdated, m_profile, &ProfileView::setSummary);
    connect(m_bridge, &Bridge::traceUpdated, m_profile, &ProfileView::setTrace);
    connect(m_bridge, &Bridge::confusionUpdated, m_confusion, &ConfusionView::addMatrix);

    auto *file = menuBar()->addMenu("&File");
    file->addAction("&New job…", QKeySequence::New, this, &MainWindow::showJobForm);
    file->addAction("New &sweep…", this, [this] { m_sweeps->showNewSweepForm(); });
    file->addAction("Run the &demo", this, &MainWindow::startDemo);
    file->addSeparator();
    file->addAction("&Open logdir…", QKeySequence::Open, this, &MainWindow::chooseLogdir);
    file->addAction("Open &trace…", this, &MainWindow::chooseTrace);
    file->addAction("&Reload", QKeySequence::Refresh, this, [this] {
        if (m_watcher) openLogdir(m_watcher->logdir());
    });
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, qApp, &QApplication::quit);

    m_problemsButton->setAutoRaise(true);
    m_problemsButton->hide();
    connect(m_problemsButton, &QToolButton::clicked, this, &MainWindow::showProblems);
    statusBar()->addPermanentWidget(m_status, 1); // not hidden under temporary messages
    statusBar()->addPermanentWidget(m_problemsButton);
    updateStatus();
}

MainWindow::~MainWindow() {
    m_sweeps->stopAll(); // cancels running sweeps and jobs and waits for them:
    m_runner.reset();    // they report to the bridge
    for (Dashboard *d : std::as_const(m_dashboards))
        d->setIndex(nullptr); // charts read the watcher's index
}

void MainWindow::addDashboard(Dashboard *dashboard, const QString &title) {
    m_dashboards << dashboard;
    m_tabs->addTab(dashboard, title);
    // One tag filter for every tab: a regex typed in one applies to all.
    connect(dashboard, &Dashboard::tagFilterChanged, this, [this, dashboard](const QString &re) {
        for (Dashboard *other : std::as_const(m_dashboards))
            if (other != dashboard) other->setTagFilter(re);
    });
}

QWidget *MainWindow::jobsPanel() {
    auto *panel = new QWidget;
    auto *newJob = new QPushButton("New job…");
    auto *cancel = new QPushButton("Cancel");
    connect(newJob, &QPushButton::clicked, this, &MainWindow::showJobForm);
    cancel->setToolTip("Cancel the selected job, or the selected trial (its sweep goes on)");
    connect(cancel, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_jobTable->currentIndex();
        if (!current.isValid()) return;
        if (const auto trial = m_jobModel->trialAt(current.row()))
            m_sweeps->cancelTrial(trial->sweepDir, trial->trialId);
        else
            cancelJob(m_jobModel->jobIdAt(current.row()));
    });
    m_jobTable->setModel(m_jobModel);
    m_jobTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_jobTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_jobTable->verticalHeader()->hide();
    m_jobTable->horizontalHeader()->setStretchLastSection(true);
    connect(m_jobTable, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (const auto trial = m_jobModel->trialAt(index.row())) { // its sweep, in Tuning
            m_tuning->setCurrentSweep(trial->sweepDir);
            m_tabs->setCurrentWidget(m_tuning);
            return;
        }
        const int id = m_jobModel->jobIdAt(index.row());
        m_profile->setCurrentJob(id);
        m_confusion->setJob(id);
    });
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(newJob);
    buttons->addWidget(cancel);
    buttons->addStretch(1);
    auto *layout = new QHBoxLayout(panel);
    layout->addWidget(m_jobTable, 1);
    layout->addLayout(buttons);
    return panel;
}

QString MainWindow::logdirForNewWork() {
    QString logdir = m_watcher ? m_watcher->logdir() : QString();
    if (logdir.isEmpty()) {
        logdir = QDir(QStandardPaths::writableLocation(QStandardPaths::HomeLocation))
                     .filePath("trainscope-runs");
        QDir().mkpath(logdir);
        openLogdir(logdir);
    }
    return logdir;
}

void MainWindow::showTrialRun(const QString &runDir) {
    // The trial's run alone in the Scalars tab (its name relative to the logdir).
    const QString logdir = m_watcher ? m_watcher->logdir() : QString();
    const QString name = logdir.isEmpty() ? runDir : QDir(logdir).relativeFilePath(runDir);
    if (!m_trialFilterLent) m_filterBeforeTrial = m_runFilter->text(); // one trial after another
    setRunFilter("^" + QRegularExpression::escape(name) + "$");
    m_tabs->setCurrentWidget(m_scalars);
    m_trialFilterLent = true; // after the tab change, which would give it back
    m_backToTuning->setToolTip(
        QString("The run filter shows trial run %1 until you go back (or to another tab)")
            .arg(name));
    m_backToTuning->show();
}

void MainWindow::giveBackRunFilter() {
    if (!m_trialFilterLent) return;
    m_trialFilterLent = false;
    m_backToTuning->hide();
    setRunFilter(m_filterBeforeTrial);
}

void MainWindow::backToTuning() {
    giveBackRunFilter();
    m_tabs->setCurrentWidget(m_tuning);
}

QString MainWindow::runFilter() const {
    return m_runFilter->text();
}

QString MainWindow::currentTabName() const {
    return m_tabs->tabText(m_tabs->currentIndex());
}

int MainWindow::startJob(const JobSpec &spec) {
    if (!m_runner)
        m_runner = std::make_unique<JobRunner>(logdirForNewWork().toStdString(), m_bridge);
    const int id = m_runner->submit(spec);
    const QString name = QString::fromStdString(spec.name);
    m_jobModel->addJob(id, name);
    m_profile->addJob(id, name); // shown at once only when nothing else is
    m_confusion->addJob(id, name);
    m_confusion->setJob(id);
    return id;
}

void MainWindow::cancelJob(int id) {
    if (m_runner) m_runner->cancel(id);
}

void MainWindow::startDemo() {
    try {
        m_demoSlowJob = m_demoSlowRun = startJob(demoSlowSpec());
        statusBar()->showMessage(
            "Demo: training with a deliberately slow input pipeline; the fixed job follows.",
            10000);
    } catch (const SpecError &e) {
        statusBar()->showMessage(QString("Demo unavailable: %1").arg(e.what()));
    }
}

void MainWindow::onJobState(int id, JobState state, const QString &message) {
    m_jobModel->setState(id, state, message);
    if (state == JobState::Failed)
        statusBar()->showMessage(QString("Job %1 failed: %2").arg(id).arg(message), 30000);
    if (state == JobState::Running) m_profile->setJobRun(id, message); // the run directory
    if (state == JobState::Running && m_watcher) m_watcher->pollNow();
    if (state == JobState::Completed || state == JobState::Failed || state == JobState::Cancelled) {
        if (id == m_demoSlowJob) {
            m_demoSlowJob = -1;
            if (state == JobState::Completed) m_demoFixedJob = startJob(demoFixedSpec());
        } else if (id == m_demoFixedJob) {
            // The demo ends on the comparison it was made for: the slow run against its fix.
            m_demoFixedJob = -1;
            if (state == JobState::Completed) {
                m_profile->compare(m_demoSlowRun, id);
                m_tabs->setCurrentWidget(m_profile);
            }
        }
        emit jobEnded(id, state);
    }
}

void MainWindow::showJobForm() {
    JobForm form(this);
    form.setSpec(defaultJobSpec());
    if (form.exec() == QDialog::Accepted) startJob(form.spec());
}

void MainWindow::openLogdir(const QString &logdir) {
    for (Dashboard *d : std::as_const(m_dashboards))
        d->setIndex(nullptr);
    delete m_watcher;
    m_problems.clear();
    m_runModel->clear();
    m_watcher = new LogdirWatcher(logdir, this);
    for (Dashboard *d : std::as_const(m_dashboards))
        d->setIndex(&m_watcher->index());
    connect(m_watcher, &LogdirWatcher::runsChanged, this, &MainWindow::onRunsChanged);
    connect(m_watcher, &LogdirWatcher::problemsFound, this, &MainWindow::onProblems);
    connect(m_watcher, &LogdirWatcher::progress, this, &MainWindow::updateStatus);
    connect(m_watcher, &LogdirWatcher::loaded, this, [this] {
        updateStatus();
        announceLoaded();
    });
    setWindowTitle(QString("%1 — Trainscope").arg(logdir));
    updateStatus();
}

bool MainWindow::isLoaded() const {
    // No logdir: nothing to wait for.
    return (!m_watcher || m_watcher->hasLoaded()) && !m_profile->compareView()->busy();
}

void MainWindow::announceLoaded() {
    if (isLoaded()) emit loaded();
}

QString MainWindow::savedProfileName(const QString &trace) const {
    // <run>/plugins/profile/<time>/<host>.pt.trace.json.gz, or <run>/<file>.pt.trace.json
    QString run = QFileInfo(trace).absolutePath();
    if (run.contains("/plugins/profile/")) run = run.left(run.lastIndexOf("/plugins/profile/"));
    const QString logdir = m_watcher ? m_watcher->logdir() : QString();
    return "run " +
           (logdir.isEmpty() ? QFileInfo(run).fileName() : QDir(logdir).relativeFilePath(run));
}

void MainWindow::compareTraces(const QString &baseline, const QString &candidate) {
    const int a = m_profile->addSavedProfile(savedProfileName(baseline), baseline);
    const int b = m_profile->addSavedProfile(savedProfileName(candidate), candidate);
    m_tabs->setCurrentWidget(m_profile);
    m_profile->compare(a, b);
}

bool MainWindow::selectTab(const QString &name) {
    // "Profile/Trace": a section inside the tab.
    const QString tab = name.section('/', 0, 0), section = name.section('/', 1, -1);
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->tabText(i).compare(tab, Qt::CaseInsensitive) == 0) {
            if (!section.isEmpty() &&
                !(m_tabs->widget(i) == m_profile && m_profile->selectSection(section)))
                return false;
            m_tabs->setCurrentIndex(i);
            return true;
        }
    return false;
}

// A curve clicked: its runs selected in the run list, the first scrolled to.
void MainWindow::selectRuns(const QStringList &runs) {
    QItemSelection selection;
    QModelIndex first;
    for (const QString &run : runs) {
        const QModelIndexList hits = m_runProxy->match(
            m_runProxy->index(0, 0), RunListModel::RunNameRole, run, 1, Qt::MatchExactly);
        if (hits.isEmpty()) continue;
        selection.select(hits[0], hits[0]);
        if (!first.isValid()) first = hits[0];
    }
    m_runList->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (first.isValid()) {
        m_runList->selectionModel()->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
        m_runList->scrollTo(first);
    }
}

QStringList MainWindow::selectedRuns() const {
    QStringList runs;
    for (const QModelIndex &i : m_runList->selectionModel()->selectedIndexes())
        runs << i.data(RunListModel::RunNameRole).toString();
    runs.sort();
    return runs;
}

void MainWindow::setRunFilter(const QString &regex) {
    if (m_runFilter->text() != regex) {
        const QSignalBlocker block(m_runFilter); // applied now, not again after the debounce
        m_runFilter->setText(regex);
    }
    m_runFilterTimer.stop();
    m_runProxy->setFilterRegularExpression(regex);
    updateVisibleRuns();
}

QMap<QString, QColor> MainWindow::visibleRuns() const {
    QMap<QString, QColor> runs = filteredRuns();
    for (auto it = runs.begin(); it != runs.end();)
        it = m_runModel->isChecked(it.key()) ? std::next(it) : runs.erase(it);
    return runs;
}

QMap<QString, QColor> MainWindow::filteredRuns() const {
    QMap<QString, QColor> runs;
    for (int row = 0; row < m_runProxy->rowCount(); ++row) {
        const QString run = m_runProxy->index(row, 0).data(RunListModel::RunNameRole).toString();
        runs.insert(run, m_runModel->color(run));
    }
    return runs;
}

// The tab in front follows the run list at once; the others when they come to the front (at
// 10,000 runs each tab's update costs tens of milliseconds, and a filter edit should not pay
// for six).
void MainWindow::updateVisibleRuns() {
    for (Dashboard *d : std::as_const(m_dashboards))
        m_staleDashboards.insert(d);
    showVisibleRuns();
}

void MainWindow::showVisibleRuns() {
    auto *front = qobject_cast<Dashboard *>(m_tabs->currentWidget());
    if (!front || !m_staleDashboards.remove(front)) return;
    // The HParams tab selects among the checked runs: it gets every filtered one.
    front->setVisibleRuns(front == m_hparams ? filteredRuns() : visibleRuns());
}

void MainWindow::onRunsChanged(const QStringList &runs) {
    QStringList names;
    for (const auto &[name, run] : m_watcher->index().runs())
        names << fromName(name);
    const int before = m_runModel->rowCount();
    m_runModel->addRuns(names);
    for (const QString &name : runs) {
        const RunData *run = m_watcher->index().run(toName(name));
        if (!run) continue;
        // A sweep (its root holds study.db and the HParams experiment) or one of its trials
        // (a run under it) puts the sweep in the Tuning tab.
        const QString path = QString::fromStdString(run->path);
        m_sweeps->addExisting(path);
        m_sweeps->addExisting(QFileInfo(path).absolutePath());
        readConfusionMatrices(name);
        // Runs with profiler traces open in the Profile tab too; a run with several (workers,
        // profiling windows) lists each, and the user picks.
        for (const std::string &trace : run->traces) {
            const QString file = QFileInfo(QString::fromStdString(trace)).fileName();
            m_profile->addSavedProfile(
                run->traces.size() == 1 ? "run " + name : QString("run %1 · %2").arg(name, file),
                QString::fromStdString(trace));
        }
        m_runModel->setToolTip(name,
                               QString("%1\n%2 events · %3 scalar, %4 histogram, %5 image tags")
                                   .arg(QString::fromStdString(run->path))
                                   .arg(run->eventCount)
                                   .arg(run->countTags(TagKind::Scalar))
                                   .arg(run->countTags(TagKind::Histogram))
                                   .arg(run->countTags(TagKind::Image)));
    }
    if (m_runModel->rowCount() != before) updateVisibleRuns();
    for (Dashboard *d : std::as_const(m_dashboards))
        d->runsChanged(runs);
    updateStatus();
}

void MainWindow::readConfusionMatrices(const QString &name) {
    const RunData *run = m_watcher->index().run(toName(name));
    for (const auto &[tagName, tag] : run->tags) {
        if (tag.plugin != "confusion_matrix") continue;
        int &id = m_confusionIds[name];
        if (!id) {
            id = kRunsFromDiskIds + int(m_confusionIds.size()); // beyond any job's id
            m_confusion->addJob(id, "run " + displayName(name));
        }
        for (const auto &entry : tag.tensors)
            if (auto tensor = decodeTensor(entry.value))
                if (auto matrix = confusionFromTensor(*tensor, id, int(entry.step)))
                    m_confusion->addMatrix(*matrix);
    }
}

void MainWindow::onProblems(const QStringList &messages) {
    m_problems += messages;
    updateStatus();
}

QString MainWindow::reading() const {
    if (!m_watcher || m_watcher->hasLoaded()) return {};
    const size_t pending = m_watcher->runsPending();
    const QString read = QString::number(double(m_watcher->bytesRead()) / (1 << 20), 'f', 0);
    if (pending == 0) return " (reading…)";
    return QString(" (reading: %1 MiB read, %2 run%3 to go…)")
        .arg(read)
        .arg(pending)
        .arg(pending == 1 ? "" : "s");
}

void MainWindow::updateStatus() {
    if (!m_watcher) {
        m_status->setText("No logdir open: File ▸ Open logdir…");
    } else {
        const int runs = m_runModel->rowCount();
        m_status->setText(QString("%1 — %2 run%3%4")
                              .arg(m_watcher->logdir())
                              .arg(runs)
                              .arg(runs == 1 ? "" : "s")
                              .arg(reading()));
    }
    m_problemsButton->setVisible(!m_problems.isEmpty());
    m_problemsButton->setText(
        QString("⚠ %1 problem%2").arg(m_problems.size()).arg(m_problems.size() == 1 ? "" : "s"));
    m_problemsButton->setToolTip(m_problems.mid(0, 10).join('\n'));
}

void MainWindow::chooseLogdir() {
    const QString dir = QFileDialog::getExistingDirectory(this, "Open logdir");
    if (!dir.isEmpty()) openLogdir(dir);
}

void MainWindow::chooseTrace() {
    const QString path = QFileDialog::getOpenFileName(
        this, "Open a trace", {}, "Chrome / PyTorch traces (*.json *.json.gz);;All files (*)");
    if (!path.isEmpty()) openTrace(path);
}

void MainWindow::openTrace(const QString &path) {
    m_profile->setCurrentJob(m_profile->addSavedProfile(QFileInfo(path).fileName(), path));
    m_tabs->setCurrentWidget(m_profile);
}

void MainWindow::showProblems() {
    QDialog dialog(this);
    dialog.setWindowTitle("Problems reading the logdir");
    auto *text = new QPlainTextEdit(m_problems.join('\n'));
    text->setReadOnly(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog.resize(800, 400);
    dialog.exec();
}

} // namespace trainscope
