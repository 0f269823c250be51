#include "widgets/profile/profileview.h"

#include "widgets/profile/memoryview.h"
#include "widgets/profile/opstatsmodel.h"
#include "widgets/profile/profilecompareview.h"
#include "widgets/profile/sectionparts.h"
#include "widgets/profile/stagestatsmodel.h"
#include "widgets/profile/steptimechart.h"
#include "widgets/profile/tracestatsview.h"
#include "widgets/timeline/traceview.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace trainscope {

QColor inputVerdictColor(InputVerdict verdict) {
    switch (verdict) {
    case InputVerdict::HighlyInputBound:
        return QColor("#c62828");
    case InputVerdict::ModeratelyInputBound:
        return QColor("#e65100");
    case InputVerdict::NotInputBound:
        return QColor("#2e7d32");
    }
    return {};
}

ProfileView::ProfileView(QWidget *parent)
    : QWidget(parent)
    , m_jobCombo(new QComboBox(this))
    , m_verdict(new QLabel(this))
    , m_breakdown(new QLabel(this))
    , m_device(new QLabel(this))
    , m_chart(new StepTimeChart(this))
    , m_recommendations(new QListWidget(this))
    , m_stages(new StageStatsModel(this))
    , m_ops(new OpStatsModel(this))
    , m_opsProxy(new QSortFilterProxyModel(this))
    , m_opFilter(new QLineEdit(this))
    , m_sections(new QTabWidget(this))
    , m_traceView(new TraceView(this))
    , m_memoryView(new MemoryView(this))
    , m_statsView(new TraceStatsView(this))
    , m_compare(new ProfileCompareView(m_jobCombo->model(), this)) {
    m_jobCombo->setObjectName("job");
    m_jobCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_jobCombo->setMinimumContentsLength(12);
    connect(m_jobCombo, &QComboBox::activated, this,
            [this](int index) { setCurrentJob(m_jobCombo->itemData(index).toInt()); });
    m_verdict->setObjectName("verdict");
    m_verdict->setWordWrap(true);
    m_breakdown->setObjectName("breakdown");
    m_breakdown->setWordWrap(true);
    m_breakdown->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_device->setObjectName("device");
    m_device->setWordWrap(true);
    m_device->setStyleSheet("color: #616161;");

    m_recommendations->setObjectName("recommendations");
    m_recommendations->setWordWrap(true);
    m_recommendations->setSelectionMode(QAbstractItemView::NoSelection);
    m_recommendations->setFocusPolicy(Qt::NoFocus);
    m_recommendations->setSpacing(3);
    m_stageTable = statsTableView(m_stages, this);
    m_stageTable->setObjectName("stages");

    m_opsProxy->setSourceModel(m_ops);
    m_opsProxy->setSortRole(OpStatsModel::SortRole);
    m_opsProxy->setFilterKeyColumn(OpStatsModel::NameColumn);
    m_opsProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_opTable = statsTableView(m_opsProxy, this);
    m_opTable->setObjectName("operators");
    m_opTable->setSortingEnabled(true);
    m_opTable->sortByColumn(OpStatsModel::SelfColumn, Qt::DescendingOrder);
    m_opFilter->setObjectName("operatorFilter");
    m_opFilter->setPlaceholderText("Filter operators");
    m_opFilter->setClearButtonEnabled(true);
    connect(m_opFilter, &QLineEdit::textChanged, m_opsProxy,
            &QSortFilterProxyModel::setFilterFixedString);

    auto *header = new QHBoxLayout;
    header->addWidget(new QLabel("Job", this));
    header->addWidget(m_jobCombo);
    header->addSpacing(12);
    header->addWidget(m_verdict, 1);

    auto *left = new QSplitter(Qt::Vertical);
    left->addWidget(titledBox("Recommendations", m_recommendations));
    left->addWidget(titledBox("Input pipeline (slowest first)", m_stageTable));
    auto *bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(left);
    bottom->addWidget(titledBox("Top operators", m_opTable, m_opFilter));
    bottom->setStretchFactor(0, 2);
    bottom->setStretchFactor(1, 3);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_chart);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({3, 2}); // proportions: the chart gets the larger share from the start
    left->setSizes({1, 1});

    auto *overview = new QWidget(this);
    auto *overviewLayout = new QVBoxLayout(overview);
    overviewLayout->setContentsMargins(0, 0, 0, 0);
    overviewLayout->addWidget(m_breakdown);
    overviewLayout->addWidget(m_device);
    overviewLayout->addWidget(split, 1);
    m_sections->setObjectName("sections");
    m_sections->setDocumentMode(true);
    m_sections->addTab(overview, "Overview");
    m_sections->addTab(m_traceView, "Trace");
    m_sections->addTab(m_memoryView, "Memory");
    m_sections->addTab(m_statsView, "Operators && kernels");
    m_sections->addTab(m_compare, "Compare");
    connect(m_compare, &ProfileCompareView::sidesChanged, this, [this](int a, int b) {
        offerToCompare(a);
        if (b != a) offerToCompare(b);
    });
    connect(m_sections, &QTabWidget::currentChanged, this, &ProfileView::refreshSection);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_sections, 1);
    showSummary(nullptr);
}

void ProfileView::ensureJob(int jobId) {
    if (m_jobs.contains(jobId)) return;
    m_jobs.insert(jobId, Job{});
    m_jobCombo->addItem(QString("job %1").arg(jobId), jobId);
    if (m_current < 0) setCurrentJob(jobId);
    pickComparedIfNone();
}

void ProfileView::addJob(int id, const QString &name) {
    ensureJob(id);
    m_jobCombo->setItemText(m_jobCombo->findData(id), name);
}

void ProfileView::setJobRun(int id, const QString &runDir) {
    ensureJob(id);
    m_jobs[id].runDir = QDir::cleanPath(runDir);
}

int ProfileView::jobCount() const {
    return m_jobCombo->count();
}

void ProfileView::offerToCompare(int jobId) {
    if (!m_jobs.contains(jobId)) return;
    const Job &job = m_jobs[jobId];
    if (job.summary && job.trace) {
        m_compare->setProfile(jobId, *job.summary, job.trace);
    } else if (!job.savedPath.isEmpty()) {
        m_compare->setWaiting(jobId, "reading " + job.savedPath + " …");
        loadSaved(jobId);
    } else {
        m_compare->setWaiting(jobId, "no profile yet (it appears when the profile window ends)",
                              !job.loading);
    }
}

void ProfileView::pickComparedIfNone() {
    if (m_sections->currentWidget() != m_compare || m_compare->diff() || m_compare->busy() ||
        jobCount() < 2)
        return;
    // The job in view against the entry listed before it.
    const int row = std::max(0, m_jobCombo->currentIndex());
    const int other = row > 0 ? row - 1 : 1;
    m_compare->setSides(m_jobCombo->itemData(other).toInt(), m_jobCombo->itemData(row).toInt());
}

void ProfileView::compare(int baseline, int candidate) {
    m_sections->setCurrentWidget(m_compare);
    m_compare->setSides(baseline, candidate);
}

void ProfileView::appendSteps(int jobId, const QVector<StepStats> &steps) {
    ensureJob(jobId);
    Job &job = m_jobs[jobId];
    for (const StepStats &s : steps)
        job.steps.insert(s.step, s);
    if (jobId == m_current) m_chart->appendSteps(steps);
}

void ProfileView::setSummary(int jobId, const ProfileSummary &summary) {
    ensureJob(jobId);
    Job &job = m_jobs[jobId];
    job.summary = summary;
    // The summary's steps replace the live ones: they were analysed with the GPU lanes, which
    // arrive after each step.
    bool replaced = false;
    for (const StepStats &s : summary.steps) {
        replaced |= job.steps.contains(s.step);
        job.steps.insert(s.step, s);
    }
    if (job.trace) m_compare->setProfile(jobId, summary, job.trace); // ignored unless compared
    if (jobId != m_current) return;
    if (replaced)
        m_chart->setSteps(job.steps.values().toVector());
    else if (!summary.steps.empty())
        m_chart->appendSteps(QVector<StepStats>(summary.steps.begin(), summary.steps.end()));
    showSummary(&*job.summary);
}

void ProfileView::setTrace(int jobId, std::shared_ptr<const TraceFile> trace) {
    ensureJob(jobId);
    m_jobs[jobId].loading = false;
    m_jobs[jobId].trace = std::move(trace);
    if (m_jobs[jobId].summary)
        m_compare->setProfile(jobId, *m_jobs[jobId].summary, m_jobs[jobId].trace);
    if (jobId == m_current) showTrace(m_jobs[jobId].trace);
}

int ProfileView::addSavedProfile(const QString &name, const QString &path) {
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it)
        if (it->savedPath == path) return it.key(); // listed already
    // A job's own profile, found by the logdir's watcher: the job's entry reads it if needed.
    const QString dir = QDir::cleanPath(QFileInfo(path).absolutePath());
    for (auto it = m_jobs.begin(); it != m_jobs.end(); ++it)
        if (!it->runDir.isEmpty() && (dir == it->runDir || dir.startsWith(it->runDir + '/'))) {
            if (!it->trace && it->savedPath.isEmpty()) it->savedPath = path;
            return it.key();
        }
    const int id = m_nextSavedId++;
    Job job;
    job.savedPath = path;
    m_jobs.insert(id, job);
    m_jobCombo->addItem(name, id);
    m_jobCombo->setItemData(m_jobCombo->count() - 1, path, Qt::ToolTipRole);
    if (m_current < 0) setCurrentJob(id);
    pickComparedIfNone();
    return id;
}

void ProfileView::loadSaved(int jobId) {
    Job &job = m_jobs[jobId];
    if (job.savedPath.isEmpty() || job.loading || job.trace) return;
    job.loading = true;
    if (jobId == m_current) m_verdict->setText("Reading " + job.savedPath + " …");
    emit loadRequested(jobId, job.savedPath); // the app reads it, off the GUI thread
}

void ProfileView::setLoadProgress(int jobId, double fraction) {
    if (!m_jobs.contains(jobId) || !m_jobs[jobId].loading) return;
    const QString text = QString("Reading %1 … %2 %")
                             .arg(m_jobs[jobId].savedPath)
                             .arg(int(100 * std::clamp(fraction, 0.0, 1.0)));
    if (jobId == m_current) m_verdict->setText(text);
    m_compare->setWaiting(jobId, text);
}

void ProfileView::setLoadFailed(int jobId, const QString &error) {
    if (!m_jobs.contains(jobId)) return; // cleared meanwhile
    Job &job = m_jobs[jobId];
    job.loading = false;
    job.savedPath.clear(); // don't retry a broken file on every selection
    m_loadError = error;
    if (jobId == m_current) m_verdict->setText("Cannot open the profile: " + error);
    m_compare->setWaiting(jobId, "cannot open the profile: " + error, true);
}

void ProfileView::setCurrentJob(int jobId) {
    if (!m_jobs.contains(jobId)) return;
    m_current = jobId;
    m_jobCombo->setCurrentIndex(m_jobCombo->findData(jobId));
    const Job &job = m_jobs[jobId];
    m_chart->setSteps(job.steps.values().toVector());
    showSummary(job.summary ? &*job.summary : nullptr);
    showTrace(job.trace);
    if (!job.trace && !job.savedPath.isEmpty()) loadSaved(jobId);
}

void ProfileView::showTrace(const std::shared_ptr<const TraceFile> &trace) {
    m_shownTrace = trace;
    m_staleSections = {m_traceView, m_memoryView, m_statsView};
    refreshSection(); // the others catch up when shown: a live trace changes every second
}

void ProfileView::refreshSection() {
    QWidget *section = m_sections->currentWidget();
    if (section == m_compare) pickComparedIfNone();
    if (!m_staleSections.remove(section)) return;
    if (section == m_traceView) {
        if (m_shownTrace)
            m_traceView->setTrace(m_shownTrace);
        else
            m_traceView->clear();
    } else if (section == m_memoryView) {
        m_memoryView->setTrace(m_shownTrace);
    } else if (section == m_statsView) {
        m_statsView->setTrace(m_shownTrace);
    }
}

bool ProfileView::selectSection(const QString &title) {
    // "Compare/Timelines": a part of the Compare section.
    const QString name = title.section('/', 0, 0), part = title.section('/', 1);
    for (int i = 0; i < m_sections->count(); ++i) {
        QString text = m_sections->tabText(i).replace("&&", "&");
        if (text.compare(name, Qt::CaseInsensitive) == 0 ||
            text.section(' ', 0, 0).compare(name, Qt::CaseInsensitive) == 0) {
            if (!part.isEmpty() &&
                (m_sections->widget(i) != m_compare || !m_compare->selectPart(part)))
                return false;
            m_sections->setCurrentIndex(i);
            return true;
        }
    }
    return false;
}

int ProfileView::currentJob() const {
    return m_current;
}

void ProfileView::clear() {
    m_jobs.clear();
    m_current = -1;
    m_jobCombo->clear();
    m_compare->clear();
    m_chart->clear();
    showSummary(nullptr);
    showTrace(nullptr);
}

void ProfileView::setOperatorFilter(const QString &text) {
    m_opFilter->setText(text);
}

void ProfileView::showSummary(const ProfileSummary *summary) {
    m_recommendations->clear();
    if (!summary) {
        m_verdict->setText(m_current < 0 ? "No job yet: start one with profiling on."
                                         : "No analysis yet: it appears once steps are profiled.");
        m_verdict->setStyleSheet({});
        m_breakdown->clear();
        m_device->clear();
        m_stages->setData({});
        m_ops->setData({});
        return;
    }
    const QString name = QString::fromUtf8(inputVerdictName(summary->verdict));
    m_verdict->setText(QString("%1%2%3")
                           .arg(name.left(1).toUpper() + name.mid(1))
                           .arg(summary->verdictText.empty() ? "" : ": ")
                           .arg(QString::fromStdString(summary->verdictText)));
    m_verdict->setStyleSheet(
        QString("color: %1; font-weight: 600;").arg(inputVerdictColor(summary->verdict).name()));

    QStringList parts{QString("Mean step %1 ms").arg(summary->meanStepMs, 0, 'f', 2)};
    for (int c = 0; c < kTimeCategories; ++c) {
        const double ms = summary->meanMs[size_t(c)];
        if (ms <= 0) continue;
        parts << QString("%1 %2 ms (%3%)")
                     .arg(timeCategoryLabel(TimeCategory(c)))
                     .arg(ms, 0, 'f', 2)
                     .arg(summary->meanStepMs > 0 ? 100 * ms / summary->meanStepMs : 0, 0, 'f', 0);
    }
    m_breakdown->setText(parts.join(" · "));
    QString device = summary->device.empty()
                         ? QString()
                         : QString("Device: %1").arg(QString::fromStdString(summary->device));
    if (!summary->deviceNote.empty())
        device += (device.isEmpty() ? "" : ". ") + QString::fromStdString(summary->deviceNote);
    m_device->setText(device);
    m_device->setVisible(!device.isEmpty());

    QStringList advice;
    for (const std::string &r : summary->recommendations)
        advice << QString::fromStdString(r);
    if (advice.isEmpty()) advice << "Nothing to change.";
    for (const QString &text : advice) {
        auto *item = new QListWidgetItem(QString::fromUtf8("• ") + text, m_recommendations);
        item->setData(Qt::UserRole, text);
    }
    m_stages->setData(summary->stages);
    m_ops->setData(summary->topOps);
}

QString ProfileView::verdictText() const {
    return m_verdict->text();
}

QString ProfileView::breakdownText() const {
    return m_breakdown->text();
}

QStringList ProfileView::recommendations() const {
    QStringList out;
    for (int i = 0; i < m_recommendations->count(); ++i)
        out << m_recommendations->item(i)->data(Qt::UserRole).toString();
    return out;
}

} // namespace trainscope
