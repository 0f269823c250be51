// The trace tab's body: a search box, the timeline, the clicked event's details and the area
// selection's summary, plus a note when the trace has no GPU lane. Feed it a TraceFile (again
// as a live job's trace grows); it indexes large traces off the GUI thread.
#pragma once

#include "core/profile/timelineindex.h"

#include "widgets/background.h"

#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QLineEdit;
class QTableView;

namespace trainscope {

class SelectionSummaryModel;
class TimelineView;
class TraceDetails;

class TraceView : public QWidget {
    Q_OBJECT
public:
    static constexpr size_t kAsyncEvents = 500'000; // larger traces are indexed on a worker
    static constexpr size_t kMaxMatches = 100'000;  // search results kept

    explicit TraceView(QWidget *parent = nullptr);
    ~TraceView() override;

    // Shows `trace`. Called again (a live job's grown trace) it keeps the visible range, the
    // selected event and the area selection where they still apply. Null clears.
    void setTrace(std::shared_ptr<const TraceFile> trace);
    void clear();
    bool indexing() const; // a large trace is being indexed; the last one is still shown

    TimelineView *timeline() const { return m_timeline; }
    TraceDetails *details() const { return m_details; }
    SelectionSummaryModel *summaryModel() const { return m_summary; }
    const std::shared_ptr<const TimelineIndex> &index() const { return m_index; }
    double visibleStartNs() const;
    double visibleEndNs() const;
    std::optional<uint32_t> selectedEvent() const;

    // Search as the box does it: Enter runs the search (when the text changed) and jumps to the
    // next match, selecting and centring it.
    void setSearchText(const QString &text);
    void findNext();
    void findPrevious();
    int searchResultCount() const { return int(m_matches.size()); }
    int searchPosition() const { return m_matchPos + 1; } // 1-based; 0 before the first jump
    QString searchStatus() const;                         // "3 / 120", as shown
    QString noteText() const;                             // the no-GPU note ("" when hidden)

signals:
    void traceIndexed(); // a setTrace() has been applied

private:
    void apply(std::shared_ptr<const TimelineIndex> index);
    void runSearch();
    void jumpToMatch(int step);
    void updateSummary();
    void updateNote();

    std::shared_ptr<const TimelineIndex> m_index;
    Background m_indexer{this}; // large traces are indexed off the GUI thread
    bool m_indexing = false;

    QLineEdit *m_search;
    QLabel *m_searchStatus;
    QLabel *m_note;
    TimelineView *m_timeline;
    TraceDetails *m_details;
    SelectionSummaryModel *m_summary;
    QLabel *m_summaryCaption;
    QTableView *m_summaryTable;

    QString m_searched; // the text m_matches were found for
    std::vector<uint32_t> m_matches;
    int m_matchPos = -1;
};

} // namespace trainscope
