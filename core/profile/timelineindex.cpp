// Building the index: lanes, nesting rows and levels of detail; the box query and hit testing.
// Search, summaries and flows live in timelinelookup.cpp.
#include "core/profile/timelineindex.h"

#include "core/profile/timelineindexprivate.h"

#include <algorithm>
#include <limits>
#include <tuple>
#include <unordered_map>

namespace trainscope {
using namespace timelinedetail;
namespace {

// Levels of detail merge at 256 ns, 1 µs, 4 µs, ... per pixel; finer views read the raw row.
constexpr double kFinestLevelNs = 256;
constexpr double kLevelStep = 4;
// A level is kept only when it has at most half the boxes of the last one kept, so a row's
// levels hold at most as many boxes as the row has events (and usually far fewer).
constexpr double kKeepRatio = 0.5;

struct Item {
    int64_t start, end;
    uint32_t event;
};

bool itemBefore(const Item &a, const Item &b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.end != b.end) return a.end > b.end; // the enclosing range first
    return a.event < b.event;
}

// The smallest resolution at which two neighbours would merge (see shouldMerge).
double pairThreshold(const LodBox &a, const LodBox &b) {
    const int64_t gap = b.startNs - a.endNs;
    const int64_t narrow = std::min(a.endNs - a.startNs, b.endNs - b.startNs);
    return double(std::max(gap, narrow));
}

// Merges neighbours of `src` closer than `res` when one of them is narrower than `res` (the
// rule the query applies per pixel) into `out`; returns the boxes written and sets `threshold`
// to the resolution at which they would merge further. `out` may be the source itself: box i
// is read before anything at i or beyond is written.
template <typename Src>
size_t mergeLevel(const Src &src, size_t n, double res, LodBox *out, double &threshold) {
    threshold = std::numeric_limits<double>::infinity();
    if (n == 0) return 0;
    size_t written = 0;
    LodBox cur = src(0);
    auto emit = [&](const LodBox &box) {
        if (written) threshold = std::min(threshold, pairThreshold(out[written - 1], box));
        out[written++] = box;
    };
    for (size_t i = 1; i < n; ++i) {
        const LodBox next = src(i);
        if (shouldMerge(cur, next, res)) {
            absorb(cur, next);
        } else {
            emit(cur);
            cur = next;
        }
    }
    emit(cur);
    return written;
}

// (pid, tid) keys to lane ids in order of first appearance. Events alternate between a few
// lanes, so a small direct-mapped cache answers before the hash map.
class LaneLookup {
public:
    uint32_t find(uint64_t key, std::vector<uint64_t> &keys) {
        Slot &slot = m_cache[(key * 0x9E3779B97F4A7C15ull) >> 58];
        if (slot.lane != kNone && slot.key == key) return slot.lane;
        auto [it, fresh] = m_ids.emplace(key, uint32_t(keys.size()));
        if (fresh) keys.push_back(key);
        slot = {key, it->second};
        return it->second;
    }

private:
    static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
    struct Slot {
        uint64_t key = 0;
        uint32_t lane = kNone;
    };
    Slot m_cache[64];
    std::unordered_map<uint64_t, uint32_t> m_ids;
};

} // namespace

TimelineIndex::TimelineIndex(std::shared_ptr<const TraceFile> trace)
    : m_trace(trace ? std::move(trace) : std::make_shared<const TraceFile>()) {
    build();
}

TimelineIndex::~TimelineIndex() = default;

void TimelineIndex::build() {
    const std::vector<TraceEvent> &events = m_trace->events;
    const size_t n = std::min(events.size(), size_t(kNoEvent) - 1);

    // Pass 1: the lanes (in order of first appearance, for now) with their sizes, each event's
    // category, and the extent. Runs of one category are common: skip the lookup.
    LaneLookup lookup;
    std::vector<uint64_t> keys;
    std::vector<size_t> counts;
    m_category.assign(n, 0);
    const std::string *lastCategory = nullptr;
    uint8_t lastCategoryId = 0;
    int64_t begin = std::numeric_limits<int64_t>::max(), end = std::numeric_limits<int64_t>::min();
    for (size_t i = 0; i < n; ++i) {
        const TraceEvent &e = events[i];
        const uint32_t lane = lookup.find(laneKey(e.pid, e.tid), keys);
        if (lane == counts.size()) counts.push_back(0);
        ++counts[lane];
        if (!lastCategory || e.category != *lastCategory) {
            lastCategory = &e.category;
            lastCategoryId = categoryId(e.category);
        }
        m_category[i] = lastCategoryId;
        begin = std::min(begin, e.startNs);
        end = std::max(end, e.startNs + std::max<int64_t>(0, e.durationNs));
    }
    m_begin = n ? begin : 0;
    m_end = n ? end : 0;

    // Lane order: host lanes by (pid, tid), then GPU lanes by (device, stream).
    std::vector<uint32_t> order(keys.size());
    for (uint32_t l = 0; l < order.size(); ++l)
        order[l] = l;
    auto sortKey = [&](uint32_t l) {
        const int pid = keyPid(keys[l]), tid = keyTid(keys[l]);
        return std::make_tuple(pid >= kGpuPidBase, pid, tid);
    };
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return sortKey(a) < sortKey(b); });
    std::vector<uint32_t> rank(keys.size());
    for (uint32_t r = 0; r < order.size(); ++r)
        rank[order[r]] = r;
    m_lanes.resize(order.size());
    for (uint32_t r = 0; r < order.size(); ++r) {
        TimelineLane &lane = m_lanes[r];
        lane.pid = keyPid(keys[order[r]]);
        lane.tid = keyTid(keys[order[r]]);
        lane.events = counts[order[r]];
        describeLane(lane, *m_trace);
        m_laneKeys.emplace_back(keys[order[r]], int(r));
    }
    std::sort(m_laneKeys.begin(), m_laneKeys.end());

    // Pass 2: events grouped by lane (a counting sort), then each lane sorted by time.
    std::vector<size_t> offset(m_lanes.size() + 1, 0);
    for (uint32_t l = 0; l < keys.size(); ++l)
        offset[rank[l] + 1] = counts[l];
    for (size_t l = 0; l < m_lanes.size(); ++l)
        offset[l + 1] += offset[l];
    std::vector<Item> items(n);
    {
        std::vector<size_t> fill(offset.begin(), offset.end() - 1);
        for (size_t i = 0; i < n; ++i) {
            const TraceEvent &e = events[i];
            const uint32_t lane = rank[lookup.find(laneKey(e.pid, e.tid), keys)];
            items[fill[lane]++] = {e.startNs, e.startNs + std::max<int64_t>(0, e.durationNs),
                                   uint32_t(i)};
        }
    }

    // Pass 3: nesting rows per lane, then the rows' arrays and levels of detail.
    m_slotOf.assign(n, 0);
    m_rows.resize(m_lanes.size());
    std::vector<uint32_t> depth;
    std::vector<std::pair<int64_t, uint32_t>> chain; // open ranges, each inside the one below
    std::vector<int64_t> rowEnd;
    std::vector<size_t> rowCount;
    std::vector<LodBox> scratch; // reused by every row: fresh pages are costly
    for (size_t l = 0; l < m_lanes.size(); ++l) {
        Item *first = items.data() + offset[l], *last = items.data() + offset[l + 1];
        if (!std::is_sorted(first, last, itemBefore)) std::sort(first, last, itemBefore);
        depth.resize(size_t(last - first));
        chain.clear();
        rowEnd.clear();
        for (Item *it = first; it != last; ++it) {
            while (!chain.empty() && chain.back().first <= it->start)
                chain.pop_back(); // ended
            // An open range that ends inside this one is superseded: whatever it could still
            // hold, this one holds too. So the chain stays a nesting and this goes deeper.
            while (!chain.empty() && chain.back().first < it->end)
                chain.pop_back();
            uint32_t row = chain.empty() ? 0 : chain.back().second + 1;
            while (row < rowEnd.size() && rowEnd[row] > it->start)
                ++row; // partially overlapping neighbours push it further down
            if (row == rowEnd.size()) rowEnd.push_back(0);
            rowEnd[row] = it->end;
            chain.emplace_back(it->end, row);
            depth[size_t(it - first)] = row;
        }
        rowCount.assign(rowEnd.size(), 0);
        for (uint32_t d : depth)
            ++rowCount[d];
        std::vector<Row> &rows = m_rows[l];
        rows.resize(rowEnd.size());
        for (size_t r = 0; r < rows.size(); ++r) {
            rows[r].starts.reserve(rowCount[r]);
            rows[r].ends.reserve(rowCount[r]);
            rows[r].events.reserve(rowCount[r]);
        }
        m_rowBase.push_back(uint32_t(m_laneOfSlot.size()));
        for (size_t r = 0; r < rows.size(); ++r)
            m_laneOfSlot.push_back(int(l));
        for (Item *it = first; it != last; ++it) {
            const uint32_t d = depth[size_t(it - first)];
            Row &row = rows[d];
            row.starts.push_back(it->start);
            row.ends.push_back(it->end);
            row.events.push_back(it->event);
            m_slotOf[it->event] = m_rowBase[l] + d;
        }
        m_lanes[l].rows = int(rows.size());
        for (Row &row : rows)
            buildLevels(row, scratch);
    }
}

uint8_t TimelineIndex::categoryId(const std::string &category) {
    auto found = std::find(m_categories.begin(), m_categories.end(), category);
    if (found != m_categories.end()) return uint8_t(found - m_categories.begin());
    if (m_categories.size() < 255) {
        m_categories.push_back(category);
        return uint8_t(m_categories.size() - 1);
    }
    if (m_categories.size() == 255) m_categories.push_back("other"); // id 255 gathers the rest
    return 255;
}

void TimelineIndex::buildLevels(Row &row, std::vector<LodBox> &scratch) const {
    auto raw = [&row](size_t i) {
        return LodBox{row.starts[i], row.ends[i], row.ends[i] - row.starts[i], row.events[i], 1};
    };
    auto merged = [&scratch](size_t i) { return scratch[i]; };
    const double extent = double(m_end - m_begin);
    size_t size = row.events.size(), kept = size;
    double threshold = std::numeric_limits<double>::infinity();
    for (size_t i = 1; i < size; ++i)
        threshold = std::min(threshold, pairThreshold(raw(i - 1), raw(i)));
    bool fromRaw = true; // afterwards each level is merged from the last one, in `scratch`
    for (double res = kFinestLevelNs; size > 1 && res <= 4 * extent; res *= kLevelStep) {
        if (res <= threshold) continue; // nothing would merge: the level equals the one before
        if (fromRaw) {
            if (scratch.size() < size) scratch.resize(size);
            size = mergeLevel(raw, size, res, scratch.data(), threshold);
            fromRaw = false;
        } else {
            size = mergeLevel(merged, size, res, scratch.data(), threshold);
        }
        if (double(size) <= kKeepRatio * double(kept)) {
            row.levels.push_back(
                Level{res, std::vector<LodBox>(scratch.begin(), scratch.begin() + long(size))});
            kept = size;
        }
    }
}

const TimelineIndex::Row *TimelineIndex::rowAt(int lane, int row) const {
    if (lane < 0 || lane >= int(m_rows.size()) || row < 0 ||
        row >= int(m_rows[size_t(lane)].size()))
        return nullptr;
    return &m_rows[size_t(lane)][size_t(row)];
}

size_t TimelineIndex::rowSize(int lane, int row) const {
    const Row *r = rowAt(lane, row);
    return r ? r->events.size() : 0;
}

size_t TimelineIndex::levelCount(int lane, int row) const {
    const Row *r = rowAt(lane, row);
    return r ? r->levels.size() : 0;
}

int TimelineIndex::findLane(int pid, int tid) const {
    const uint64_t key = laneKey(pid, tid);
    auto it = std::lower_bound(m_laneKeys.begin(), m_laneKeys.end(), std::make_pair(key, -1));
    return it != m_laneKeys.end() && it->first == key ? it->second : -1;
}

bool TimelineIndex::hasGpuLane() const {
    return !m_lanes.empty() && m_lanes.back().gpu;
}

int TimelineIndex::laneOf(uint32_t event) const {
    return event < m_slotOf.size() ? m_laneOfSlot[m_slotOf[event]] : -1;
}

int TimelineIndex::rowOf(uint32_t event) const {
    if (event >= m_slotOf.size()) return -1;
    const uint32_t slot = m_slotOf[event];
    return int(slot - m_rowBase[size_t(m_laneOfSlot[slot])]);
}

void TimelineIndex::query(int lane, int row, int64_t t0, int64_t t1, double nsPerPixel,
                          std::vector<TimelineBox> &out) const {
    const Row *r = rowAt(lane, row);
    if (!r || t1 < t0 || r->events.empty()) return;
    const double px = std::max(nsPerPixel, 0.0);
    const Level *level = nullptr;
    for (const Level &l : r->levels)
        if (l.resolutionNs <= px) level = &l;

    bool open = false;
    LodBox cur{};
    auto feed = [&](const LodBox &next) {
        if (open && shouldMerge(cur, next, px)) {
            absorb(cur, next);
            return;
        }
        if (open) out.push_back({cur.startNs, cur.endNs, cur.event, cur.count});
        cur = next;
        open = true;
    };
    if (level) {
        const std::vector<LodBox> &boxes = level->boxes;
        auto it = std::partition_point(boxes.begin(), boxes.end(),
                                       [t0](const LodBox &b) { return b.endNs < t0; });
        for (; it != boxes.end() && it->startNs <= t1; ++it)
            feed(*it);
    } else {
        size_t i = size_t(std::lower_bound(r->ends.begin(), r->ends.end(), t0) - r->ends.begin());
        for (const size_t n = r->events.size(); i < n && r->starts[i] <= t1; ++i)
            feed({r->starts[i], r->ends[i], r->ends[i] - r->starts[i], r->events[i], 1});
    }
    if (open) out.push_back({cur.startNs, cur.endNs, cur.event, cur.count});
}

std::optional<uint32_t> TimelineIndex::eventAt(int lane, int row, int64_t tNs,
                                               int64_t toleranceNs) const {
    const Row *r = rowAt(lane, row);
    if (!r || r->events.empty()) return std::nullopt;
    const size_t n = r->events.size();
    // The first event ending at or after tNs holds it or is the nearest one after it; the one
    // before it is the nearest before it (a row never overlaps itself).
    size_t k = size_t(std::lower_bound(r->ends.begin(), r->ends.end(), tNs) - r->ends.begin());
    if (k < n && r->starts[k] <= tNs) {
        if (r->ends[k] == tNs && k + 1 < n && r->starts[k + 1] == tNs) ++k; // it starts here
        return r->events[k];
    }
    int64_t best = toleranceNs;
    std::optional<uint32_t> found;
    if (k < n && r->starts[k] - tNs <= best) {
        best = r->starts[k] - tNs;
        found = r->events[k];
    }
    if (k > 0 && tNs - r->ends[k - 1] <= best) found = r->events[k - 1];
    return found;
}

uint32_t TimelineIndex::eventContaining(int lane, int64_t tNs) const {
    if (lane < 0 || lane >= laneCount()) return kNoEvent;
    const std::vector<Row> &rows = m_rows[size_t(lane)];
    for (size_t d = rows.size(); d-- > 0;) {
        const Row &r = rows[d];
        size_t k = size_t(std::upper_bound(r.ends.begin(), r.ends.end(), tNs) - r.ends.begin());
        if (k < r.events.size() && r.starts[k] <= tNs) return r.events[k]; // [start, end)
        if (k > 0 && r.ends[k - 1] == tNs) return r.events[k - 1]; // ends here, or an instant
    }
    return kNoEvent;
}

} // namespace trainscope
