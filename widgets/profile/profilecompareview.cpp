#include "widgets/profile/profilecompareview.h"

#include "core/profile/stepanalysis.h"
#include "widgets/profile/breakdownbars.h"
#include "widgets/profile/profilediffmodels.h"
#include "widgets/profile/profileview.h"
#include "widgets/profile/sectionparts.h"
#include "widgets/profile/statstable.h"
#include "widgets/timeline/timelineview.h"
#include "widgets/timeline/traceview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace trainscope {
namespace {

const char *const kPickHint =
    "Pick a baseline and a candidate: two jobs, two profiles of a run, or traces.";

// The trace's steps in time order, for aligning the timelines.
void stepsOf(const TraceFile &trace, std::vector<int64_t> &starts, std::vector<int64_t> &ends) {
    std::vector<std::pair<int64_t, int64_t>> steps;
    for (const TraceEvent &e : trace.events)
        if (isStepEvent(e)) steps.emplace_back(e.startNs, e.endNs());
    std::sort(steps.begin(), steps.end());
    for (const auto &[start, end] : steps)
        starts.push_back(start), ends.push_back(end);
}

QString verdictHtml(const char *side, InputVerdict verdict, double inputShare) {
    QString name = QString::fromUtf8(inputVerdictName(verdict));
    name = name.left(1).toUpper() + name.mid(1);
    return QString("%1: <span style=\"color: %2; font-weight: 600;\">%3</span> (input %4 %)")
        .arg(side, inputVerdictColor(verdict).name(), name)
        .arg(100 * inputShare, 0, 'f', 1);
}

} // namespace

struct ProfileCompareView::Computed {
    ProfileDiff diff;
    std::shared_ptr<const TraceFile> traces[2];
    std::vector<int64_t> starts[2], ends[2];
};

ProfileCompareView::ProfileCompareView(QAbstractItemModel *choices, QWidget *parent)
    : QWidget(parent)
    , m_choices(choices)
    , m_headline(new QLabel(this))
    , m_parts(new QTabWidget(this))
    , m_bars(new BreakdownBars(this))
    , m_categories(new CategoryDiffModel(this))
    , m_stages(new StageDiffModel(this))
    , m_memory(new MemoryDiffModel(this))
    , m_operators(new NameDiffModel("Self", this))
    , m_kernels(new NameDiffModel("Time", this))
    , m_operatorTable(new StatsTable(this))
    , m_kernelTable(new StatsTable(this))
    , m_stepPick(new QSpinBox(this)) {
    auto *header = new QHBoxLayout;
    const char *names[2] = {"Baseline", "Candidate"};
    for (int s = 0; s < 2; ++s) {
        m_pick[s] = new QComboBox(this);
        m_pick[s]->setObjectName(s == 0 ? "baseline" : "candidate");
        m_pick[s]->setModel(choices);
        m_pick[s]->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        m_pick[s]->setMinimumContentsLength(12);
        connect(m_pick[s], &QComboBox::activated, this, &ProfileCompareView::selectionChanged);
        header->addWidget(new QLabel(names[s], this));
        header->addWidget(m_pick[s]);
    }
    auto *swap = new QPushButton("Swap", this);
    connect(swap, &QPushButton::clicked, this, [this] { setSides(candidate(), baseline()); });
    header->addWidget(swap);
    header->addStretch(1);
    m_headline->setObjectName("headline");
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Summary: the bars and the categories beside them, then stages and memory.
    auto *top = new QWidget(this);
    auto *topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_bars, 3);
    topLayout->addWidget(titledBox("Mean step by category", statsTableView(m_categories, this)), 2);
    auto *bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(titledBox("Input pipeline (ms per batch)", statsTableView(m_stages, this)));
    bottom->addWidget(titledBox("Memory", statsTableView(m_memory, this)));
    auto *summary = new QSplitter(Qt::Vertical);
    summary->addWidget(top);
    summary->addWidget(bottom);
    summary->setSizes({3, 2}); // proportions: stages and memory are a few rows
    m_parts->addTab(summary, "Summary");

    m_operatorTable->setSourceModel(m_operators, NameDiffModel::NameColumn);
    m_operatorTable->setPlaceholderText("Filter operators");
    m_operatorTable->setExportFileName("operators-compared.csv");
    m_operatorTable->sortByColumn(NameDiffModel::TimeDeltaColumn, Qt::DescendingOrder);
    m_kernelTable->setSourceModel(m_kernels, NameDiffModel::NameColumn);
    m_kernelTable->setPlaceholderText("Filter kernels");
    m_kernelTable->setExportFileName("kernels-compared.csv");
    m_kernelTable->sortByColumn(NameDiffModel::TimeDeltaColumn, Qt::DescendingOrder);
    m_parts->addTab(m_operatorTable, "Operators");
    m_parts->addTab(m_kernelTable, "Kernels");

    // Timelines: the baseline above the candidate, aligned at a step.
    auto *timelines = new QWidget(this);
    auto *align = new QHBoxLayout;
    m_stepPick->setObjectName("alignStep");
    m_stepPick->setRange(1, 1);
    m_stepPick->setPrefix("step ");
    connect(m_stepPick, qOverload<int>(&QSpinBox::valueChanged), this,
            [this](int k) { alignAtStep(k - 1); });
    align->addWidget(new QLabel("Align both at the profiled", this));
    align->addWidget(m_stepPick);
    align->addWidget(new QLabel("(panning or zooming one moves the other)", this));
    align->addStretch(1);
    auto *stack = new QSplitter(Qt::Vertical, timelines);
    for (int s = 0; s < 2; ++s) {
        m_timelines[s] = new TraceView(this);
        stack->addWidget(titledBox(names[s], m_timelines[s]));
        connect(m_timelines[s]->timeline(), &TimelineView::visibleRangeChanged, this,
                [this, s](double t0, double t1) { followRange(s, t0, t1); });
        connect(m_timelines[s], &TraceView::traceIndexed, this, [this] {
            if (!m_aligned && m_timelines[0]->index() && m_timelines[1]->index())
                alignAtStep(m_alignStep);
        });
    }
    auto *timelinesLayout = new QVBoxLayout(timelines);
    timelinesLayout->setContentsMargins(0, 0, 0, 0);
    timelinesLayout->addLayout(align);
    timelinesLayout->addWidget(stack, 1);
    m_parts->addTab(timelines, "Timelines");
    m_parts->setDocumentMode(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_headline);
    layout->addWidget(m_parts, 1);
    clearShown(kPickHint);
}

void ProfileCompareView::setSides(int baseline, int candidate) {
    const int ids[2] = {baseline, candidate};
    for (int s = 0; s < 2; ++s) {
        const int row = m_pick[s]->findData(ids[s]);
        if (row >= 0) m_pick[s]->setCurrentIndex(row);
    }
    selectionChanged();
}

void ProfileCompareView::clear() {
    m_worker.cancel();
    for (Side &side : m_sides)
        side = Side{};
    m_aligned = m_stuck = false;
    for (TraceView *timeline : m_timelines)
        timeline->clear();
    clearShown(kPickHint);
}

int ProfileCompareView::baseline() const {
    return m_pick[0]->currentIndex() < 0 ? -1 : m_pick[0]->currentData().toInt();
}

int ProfileCompareView::candidate() const {
    return m_pick[1]->currentIndex() < 0 ? -1 : m_pick[1]->currentData().toInt();
}

void ProfileCompareView::selectionChanged() {
    const int ids[2] = {baseline(), candidate()};
    if (ids[0] == m_sides[0].id && ids[1] == m_sides[1].id) return;
    for (int s = 0; s < 2; ++s)
        if (m_sides[s].id != ids[s]) m_sides[s] = Side{ids[s], {}, {}, {}, {}};
    m_worker.cancel();
    m_aligned = m_stuck = false;
    clearShown("Reading the profiles …");
    if (ids[0] >= 0 && ids[1] >= 0) emit sidesChanged(ids[0], ids[1]);
}

void ProfileCompareView::setProfile(int id, const ProfileSummary &summary,
                                    std::shared_ptr<const TraceFile> trace) {
    bool wanted = false;
    for (Side &side : m_sides)
        if (side.id == id) {
            side.summary = summary;
            side.trace = trace;
            wanted = true;
        }
    if (wanted && m_sides[0].summary && m_sides[1].summary && m_sides[0].trace && m_sides[1].trace)
        compute();
}

void ProfileCompareView::setWaiting(int id, const QString &why, bool final) {
    if (id != m_sides[0].id && id != m_sides[1].id) return;
    m_headline->setText(labelOf(id) + ": " + why);
    m_stuck |= final;
}

bool ProfileCompareView::busy() const {
    return m_sides[0].id >= 0 && m_sides[1].id >= 0 && !m_diff && !m_stuck;
}

QString ProfileCompareView::labelOf(int id) const {
    for (int row = 0; row < m_choices->rowCount(); ++row) {
        const QModelIndex index = m_choices->index(row, 0);
        if (index.data(Qt::UserRole).toInt() == id) return index.data().toString();
    }
    return QString("job %1").arg(id);
}

void ProfileCompareView::compute() {
    struct Input {
        ProfileSummary summary;
        std::shared_ptr<const TraceFile> trace;
        std::string label;
    };
    Input in[2];
    for (int s = 0; s < 2; ++s)
        in[s] = {*m_sides[s].summary, m_sides[s].trace, labelOf(m_sides[s].id).toStdString()};
    m_worker.run(
        [a = in[0], b = in[1]] {
            auto out = std::make_shared<Computed>();
            const Input *sides[2] = {&a, &b};
            ProfileFigures figures[2];
            for (int s = 0; s < 2; ++s) {
                figures[s] = profileFigures(*sides[s]->trace, sides[s]->summary, sides[s]->label);
                out->traces[s] = sides[s]->trace;
                stepsOf(*sides[s]->trace, out->starts[s], out->ends[s]);
            }
            out->diff = diffProfiles(figures[0], figures[1]);
            return std::shared_ptr<const Computed>(std::move(out));
        },
        [this](const std::shared_ptr<const Computed> &computed) { show(*computed); });
}

void ProfileCompareView::show(const Computed &c) {
    const ProfileDiff &d = c.diff;
    m_diff = d;
    QString speed;
    if (d.speedup() >= 1)
        speed = QString(": %1× faster").arg(d.speedup(), 0, 'f', 2);
    else if (d.speedup() > 0)
        speed = QString(": %1× slower").arg(1 / d.speedup(), 0, 'f', 2);
    m_headline->setText(
        QString("<b>Mean step %1 → %2 ms</b> (%3)%4 over %5 and %6 profiled steps<br>%7 · %8")
            .arg(d.meanStepMs.baseline, 0, 'f', 2)
            .arg(d.meanStepMs.candidate, 0, 'f', 2)
            .arg(signedPercent(d.meanStepMs))
            .arg(speed)
            .arg(d.steps.baseline)
            .arg(d.steps.candidate)
            .arg(verdictHtml("Baseline", d.baselineVerdict, d.inputShare.baseline))
            .arg(verdictHtml("Candidate", d.candidateVerdict, d.inputShare.candidate)));
    std::array<double, kTimeCategories> means[2];
    for (int k = 0; k < kTimeCategories; ++k) {
        means[0][size_t(k)] = d.categoryMs[size_t(k)].baseline;
        means[1][size_t(k)] = d.categoryMs[size_t(k)].candidate;
    }
    m_bars->setMeans(means[0], means[1], "baseline", "candidate");
    m_categories->setData(d);
    m_stages->setData(d.stages);
    m_memory->setData(d.memory);
    m_operators->setData(d.operators);
    m_kernels->setData(d.kernels);
    for (int s = 0; s < 2; ++s) {
        m_sides[s].stepStartsNs = c.starts[s];
        m_sides[s].stepEndsNs = c.ends[s];
        if (m_timelines[s]->index() == nullptr ||
            &m_timelines[s]->index()->trace() != c.traces[s].get())
            m_timelines[s]->setTrace(c.traces[s]);
    }
    const int steps = int(std::min(c.starts[0].size(), c.starts[1].size()));
    m_stepPick->setRange(1, std::max(1, steps));
    emit diffShown();
}

void ProfileCompareView::clearShown(const QString &why) {
    m_diff.reset();
    m_headline->setText(why);
    m_bars->clear();
    m_categories->setData(ProfileDiff{});
    m_stages->setData({});
    m_memory->setData({});
    m_operators->setData({});
    m_kernels->setData({});
}

void ProfileCompareView::alignAtStep(int step) {
    m_alignStep = std::max(0, step);
    double t0[2] = {0, 0}, width = 0;
    for (int s = 0; s < 2; ++s) {
        const Side &side = m_sides[s];
        if (side.stepStartsNs.empty() || !m_timelines[s]->index()) return;
        const size_t k = std::min(size_t(m_alignStep), side.stepStartsNs.size() - 1);
        t0[s] = double(side.stepStartsNs[k]);
        width = std::max(width, double(side.stepEndsNs[k] - side.stepStartsNs[k]));
    }
    const double span = std::max(width, 1000.0) * 1.1, margin = span * 0.05;
    m_alignOffsetNs = t0[1] - t0[0];
    m_aligned = true;
    m_following = true;
    for (int s = 0; s < 2; ++s)
        m_timelines[s]->timeline()->setVisibleRange(t0[s] - margin, t0[s] - margin + span);
    m_following = false;
}

void ProfileCompareView::followRange(int from, double t0, double t1) {
    if (!m_aligned || m_following) return;
    m_following = true;
    const double offset = from == 0 ? m_alignOffsetNs : -m_alignOffsetNs;
    m_timelines[1 - from]->timeline()->setVisibleRange(t0 + offset, t1 + offset);
    m_following = false;
}

bool ProfileCompareView::selectPart(const QString &title) {
    for (int i = 0; i < m_parts->count(); ++i)
        if (m_parts->tabText(i).compare(title, Qt::CaseInsensitive) == 0) {
            m_parts->setCurrentIndex(i);
            return true;
        }
    return false;
}

QString ProfileCompareView::headlineText() const {
    QString text = m_headline->text();
    text.replace("<br>", "\n");
    return text.remove(QRegularExpression("<[^>]*>"));
}

} // namespace trainscope
