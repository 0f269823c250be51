// The trace timeline's index: one lane per thread or GPU stream, nesting rows, and per-row
// level-of-detail boxes so that any zoom of a 10M-event trace draws in O(boxes + log n); plus hit
// testing, name search, area-selection summaries and flow lookup. Plain C++, no Qt.
#pragma once

#include "core/profile/tracefile.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trainscope {

struct TimelineLane {
    int pid = 0, tid = 0;
    bool gpu = false;
    int device = -1;   // GPU lanes: pid - kGpuPidBase; host lanes: -1
    std::string group; // the process: processNames[pid], else "process P" / "GPU d"
    std::string title; // thread name, else "thread N"; GPU lanes: "GPU d · stream s"
    int rows = 0;      // nesting depth (rows 0 .. rows-1)
    size_t events = 0;
};

// What to draw: one event, or every event of a stretch narrower than a pixel merged together.
struct TimelineBox {
    int64_t startNs = 0, endNs = 0;
    uint32_t event = 0; // the longest event merged in (its colour and label)
    uint32_t count = 1; // how many events the box stands for
};

// One line of an area selection's summary: an event name on the selected lanes.
struct NameTotal {
    std::string name;
    uint64_t count = 0;  // events overlapping the range
    int64_t totalNs = 0; // their durations clipped to the range, summed
};

// A flow's endpoints resolved to events (kNoEvent where no event on the lane holds the time).
struct FlowEvents {
    uint32_t from, to;
};

namespace timelinedetail {
// A box of a precomputed level of detail; longestNs is the duration of `event`.
struct LodBox {
    int64_t startNs, endNs, longestNs;
    uint32_t event, count;
};
} // namespace timelinedetail

class TimelineIndex {
public:
    static constexpr uint32_t kNoEvent = std::numeric_limits<uint32_t>::max();

    // Indexes `trace` (kept alive by the index; events are referred to by their position in
    // trace->events). An empty or null trace gives an empty index.
    explicit TimelineIndex(std::shared_ptr<const TraceFile> trace);
    ~TimelineIndex();
    TimelineIndex(const TimelineIndex &) = delete;
    TimelineIndex &operator=(const TimelineIndex &) = delete;

    const TraceFile &trace() const { return *m_trace; }
    const TraceEvent &event(uint32_t e) const { return m_trace->events[e]; }
    size_t eventCount() const { return m_slotOf.size(); }

    // Host lanes first (by pid, then tid), then GPU lanes (by device, then stream).
    const std::vector<TimelineLane> &lanes() const { return m_lanes; }
    int laneCount() const { return int(m_lanes.size()); }
    int findLane(int pid, int tid) const; // -1 when no event is on (pid, tid)
    bool hasGpuLane() const;

    // The extent of every event ([0, 0] when empty).
    int64_t beginNs() const { return m_begin; }
    int64_t endNs() const { return m_end; }

    // The boxes of (lane, row) overlapping [t0, t1] at `nsPerPixel`, sorted and disjoint,
    // appended to `out`. Neighbours closer than a pixel are merged when one of them is narrower
    // than a pixel; events wider than a pixel with a visible gap stay one box each. Costs
    // O(boxes + log n): the merging starts from a precomputed level of detail.
    void query(int lane, int row, int64_t t0, int64_t t1, double nsPerPixel,
               std::vector<TimelineBox> &out) const;
    size_t rowSize(int lane, int row) const;    // events in the row
    size_t levelCount(int lane, int row) const; // stored levels of detail (the raw row excluded)

    // The event of (lane, row) at tNs: one containing it, else the nearest within toleranceNs.
    std::optional<uint32_t> eventAt(int lane, int row, int64_t tNs, int64_t toleranceNs) const;

    int laneOf(uint32_t event) const;
    int rowOf(uint32_t event) const;
    // Small ids for event categories, in order of first appearance (for palettes).
    uint8_t categoryOf(uint32_t event) const { return m_category[event]; }
    const std::vector<std::string> &categories() const { return m_categories; }

    // Events whose name contains `needle` (case-insensitive), in time order; at most `limit`
    // (the earliest). An empty needle matches nothing.
    std::vector<uint32_t> search(const std::string &needle,
                                 size_t limit = std::numeric_limits<size_t>::max()) const;

    // Per event name on `lanes`: events overlapping [t0, t1] and their time inside it, largest
    // total first (then by name).
    std::vector<NameTotal> summarize(int64_t t0, int64_t t1, const std::vector<int> &lanes) const;

    // Flows (indices into trace().flows) with an endpoint in [t0, t1] or spanning it, by index;
    // at most `limit` of them (which ones, when there are more, is unspecified). Flows with
    // neither end on a lane of the trace are left out.
    std::vector<uint32_t> flowsIn(int64_t t0, int64_t t1,
                                  size_t limit = std::numeric_limits<size_t>::max()) const;
    // The flows that start or end on `event`.
    std::vector<uint32_t> flowsOf(uint32_t event) const;
    // The events a flow's endpoints fall in (the deepest one on the lane holding the time; a
    // kernel's flow ends at its start).
    FlowEvents flowEvents(uint32_t flow) const;
    // The event on `lane` holding tNs, deepest row first; kNoEvent when none.
    uint32_t eventContaining(int lane, int64_t tNs) const;

    // Builds the name and flow tables that search, summaries and flows use (otherwise built on
    // their first use); safe to call on a worker thread while the index is read elsewhere.
    void prepareLookups() const;
    bool flowsReady() const { return m_flowsReady.load(std::memory_order_acquire); }

private:
    using LodBox = timelinedetail::LodBox;
    struct Level {
        double resolutionNs; // merged at this many ns per pixel
        std::vector<LodBox> boxes;
    };
    struct Row {
        std::vector<int64_t> starts, ends; // sorted; rows never overlap, so ends are sorted too
        std::vector<uint32_t> events;
        std::vector<Level> levels; // coarser and coarser
    };
    struct Names; // interned event names, built on first search or summary
    struct Flows; // flows sorted by time and by lane endpoint, built on first flow query

    void build();
    uint8_t categoryId(const std::string &category);
    void buildLevels(Row &row, std::vector<LodBox> &scratch) const;
    const Row *rowAt(int lane, int row) const;
    const Names &names() const;
    const Flows &flows() const;

    std::shared_ptr<const TraceFile> m_trace;
    std::vector<TimelineLane> m_lanes;
    std::vector<std::vector<Row>> m_rows; // [lane][row]
    std::vector<uint32_t> m_slotOf;       // per event: m_rowBase[lane] + row
    std::vector<uint32_t> m_rowBase;      // per lane: its first slot
    std::vector<int> m_laneOfSlot;
    std::vector<uint8_t> m_category;
    std::vector<std::string> m_categories;
    std::vector<std::pair<uint64_t, int>> m_laneKeys; // sorted (pid, tid) keys -> lane
    int64_t m_begin = 0, m_end = 0;

    mutable std::once_flag m_namesOnce, m_flowsOnce;
    mutable std::unique_ptr<Names> m_names;
    mutable std::unique_ptr<Flows> m_flows;
    mutable std::atomic<bool> m_flowsReady{false};
};

} // namespace trainscope
