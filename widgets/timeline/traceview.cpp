#include "widgets/timeline/traceview.h"

#include "widgets/timeline/selectionsummarymodel.h"
#include "widgets/timeline/timelineview.h"
#include "widgets/timeline/tracedetails.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace trainscope {

TraceView::TraceView(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_searchStatus(new QLabel(this))
    , m_note(new QLabel(this))
    , m_timeline(new TimelineView(this))
    , m_details(new TraceDetails(this))
    , m_summary(new SelectionSummaryModel(this))
    , m_summaryCaption(new QLabel(this))
    , m_summaryTable(new QTableView(this)) {
    m_search->setObjectName("traceSearch");
    m_search->setPlaceholderText(tr("Search events (Enter: next match)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(360);
    connect(m_search, &QLineEdit::returnPressed, this, &TraceView::findNext);
    connect(m_search, &QLineEdit::textEdited, this, [this] { m_searchStatus->clear(); });
    m_searchStatus->setObjectName("searchStatus");
    m_searchStatus->setMinimumWidth(90);
    m_note->setObjectName("traceNote");
    m_note->setStyleSheet("color: #8d6e00;");
    m_note->hide();
    auto *keys = new QLabel(tr("W/S zoom · A/D pan · drag to pan · Shift+drag to summarize · "
                               "F to fit the selection"),
                            this);
    keys->setStyleSheet("color: #757575;");

    m_summaryCaption->setObjectName("summaryCaption");
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_summary);
    proxy->setSortRole(SelectionSummaryModel::SortRole);
    m_summaryTable->setObjectName("selectionSummary");
    m_summaryTable->setModel(proxy);
    m_summaryTable->setSortingEnabled(true);
    m_summaryTable->sortByColumn(SelectionSummaryModel::TotalColumn, Qt::DescendingOrder);
    m_summaryTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_summaryTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_summaryTable->verticalHeader()->hide();
    m_summaryTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < SelectionSummaryModel::ColumnCount; ++c)
        m_summaryTable->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    connect(m_timeline, &TimelineView::eventSelected, this, [this](qint64 e) {
        m_details->setEvent(e < 0 ? std::nullopt : std::optional<uint32_t>(uint32_t(e)));
    });
    connect(m_details, &TraceDetails::navigateTo, this, [this](qint64 e) {
        m_timeline->selectEvent(uint32_t(e));
        m_timeline->centerOn(uint32_t(e));
    });
    connect(m_timeline, &TimelineView::rangeSelected, this, &TraceView::updateSummary);
    connect(m_timeline, &TimelineView::rangeCleared, this, &TraceView::updateSummary);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(m_searchStatus);
    bar->addWidget(m_note, 2);
    bar->addStretch();
    bar->addWidget(keys);

    auto *summaryBox = new QWidget(this);
    auto *summaryLayout = new QVBoxLayout(summaryBox);
    summaryLayout->setContentsMargins(0, 0, 0, 0);
    summaryLayout->addWidget(m_summaryCaption);
    summaryLayout->addWidget(m_summaryTable, 1);
    // Scrollable, so the details never squeeze the timeline on a short window.
    auto *detailsScroll = new QScrollArea;
    detailsScroll->setWidget(m_details);
    detailsScroll->setWidgetResizable(true);
    detailsScroll->setFrameShape(QFrame::NoFrame);
    auto *bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(detailsScroll);
    bottom->addWidget(summaryBox);
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_timeline);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({700, 250}); // the timeline gets most of the height from the start

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    updateSummary();
}

TraceView::~TraceView() = default;

void TraceView::setTrace(std::shared_ptr<const TraceFile> trace) {
    m_indexer.cancel(); // the latest trace wins
    if (!trace) {
        apply(nullptr);
        return;
    }
    if (trace->events.size() < kAsyncEvents) {
        apply(std::make_shared<const TimelineIndex>(std::move(trace)));
        return;
    }
    m_indexing = true;
    m_searchStatus->setText(
        tr("indexing %1 events…").arg(QLocale().toString(qulonglong(trace->events.size()))));
    m_indexer.run(
        [trace = std::move(trace)] {
            return std::shared_ptr<const TimelineIndex>(
                std::make_shared<const TimelineIndex>(trace));
        },
        [this](const std::shared_ptr<const TimelineIndex> &index) { apply(index); });
}

void TraceView::clear() {
    setTrace(nullptr);
}

bool TraceView::indexing() const {
    return m_indexing; // until the result is applied on the GUI thread
}

void TraceView::apply(std::shared_ptr<const TimelineIndex> index) {
    m_indexing = false;
    const bool keep = bool(m_index) && bool(index);
    m_index = std::move(index);
    m_details->setIndex(m_index);
    m_timeline->setIndex(m_index, keep);
    m_details->setEvent(m_timeline->selectedEvent());
    // Matches are positions in the old index: search again on the next Enter.
    m_searched.clear();
    m_matches.clear();
    m_matchPos = -1;
    m_searchStatus->clear();
    updateSummary();
    updateNote();
    emit traceIndexed();
}

void TraceView::updateNote() {
    const bool show = m_index && m_index->eventCount() > 0 && !m_index->hasGpuLane();
    if (show) {
        const std::string &note = m_index->trace().deviceInfo.note;
        m_note->setText(note.empty()
                            ? tr("No GPU lane in this trace: host and operator events only.")
                            : QString::fromStdString(note));
    }
    m_note->setVisible(show);
}

QString TraceView::noteText() const {
    return m_note->isVisibleTo(this) ? m_note->text() : QString();
}

double TraceView::visibleStartNs() const {
    return m_timeline->visibleStartNs();
}

double TraceView::visibleEndNs() const {
    return m_timeline->visibleEndNs();
}

std::optional<uint32_t> TraceView::selectedEvent() const {
    return m_timeline->selectedEvent();
}

void TraceView::setSearchText(const QString &text) {
    m_search->setText(text);
}

void TraceView::runSearch() {
    m_searched = m_search->text();
    m_matchPos = -1;
    m_matches.clear();
    if (m_index && !m_searched.isEmpty())
        m_matches = m_index->search(m_searched.toStdString(), kMaxMatches);
}

void TraceView::findNext() {
    jumpToMatch(1);
}

void TraceView::findPrevious() {
    jumpToMatch(-1);
}

void TraceView::jumpToMatch(int step) {
    if (m_search->text() != m_searched) runSearch();
    if (m_matches.empty()) {
        m_searchStatus->setText(m_searched.isEmpty() ? QString() : tr("no match"));
        return;
    }
    const int n = int(m_matches.size());
    m_matchPos = m_matchPos < 0 ? (step > 0 ? 0 : n - 1) : ((m_matchPos + step) % n + n) % n;
    const uint32_t event = m_matches[size_t(m_matchPos)];
    m_timeline->selectEvent(event);
    m_timeline->centerOn(event);
    m_searchStatus->setText(searchStatus());
}

QString TraceView::searchStatus() const {
    if (m_matches.empty()) return m_searched.isEmpty() ? QString() : tr("no match");
    const QString total = QLocale().toString(qulonglong(m_matches.size())) +
                          (m_matches.size() >= kMaxMatches ? "+" : "");
    return QString("%1 / %2").arg(m_matchPos + 1).arg(total);
}

void TraceView::updateSummary() {
    if (!m_index || !m_timeline->hasRangeSelection()) {
        m_summary->clear();
    } else {
        const int64_t t0 = int64_t(std::llround(m_timeline->rangeStartNs()));
        const int64_t t1 = int64_t(std::llround(m_timeline->rangeEndNs()));
        const std::vector<int> &lanes = m_timeline->rangeLanes();
        m_summary->setSummary(m_index->summarize(t0, t1, lanes), t1 - t0, int(lanes.size()));
    }
    m_summaryCaption->setText(m_summary->caption());
}

} // namespace trainscope
