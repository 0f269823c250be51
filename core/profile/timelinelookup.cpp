// The timeline index's lookups beyond drawing: lane titles, name search, area-selection
// summaries and flows. The name and flow tables are built on first use, so opening a trace
// pays only for what drawing needs.
#include "core/profile/timelineindex.h"

#include "core/profile/timelineindexprivate.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace trainscope {
using namespace timelinedetail;

void timelinedetail::describeLane(TimelineLane &lane, const TraceFile &trace) {
    lane.gpu = lane.pid >= kGpuPidBase;
    lane.device = lane.gpu ? lane.pid - kGpuPidBase : -1;
    auto process = trace.processNames.find(lane.pid);
    if (lane.gpu) {
        lane.group = process != trace.processNames.end() ? process->second
                                                         : "GPU " + std::to_string(lane.device);
        lane.title = "GPU " + std::to_string(lane.device) + " · stream " + std::to_string(lane.tid);
        return;
    }
    lane.group = process != trace.processNames.end() ? process->second : std::string();
    auto thread = trace.threadNames.find({lane.pid, lane.tid});
    lane.title = thread != trace.threadNames.end() && !thread->second.empty()
                     ? thread->second
                     : "thread " + std::to_string(lane.tid);
}

namespace {

uint64_t fnv1a(std::string_view s) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s)
        h = (h ^ c) * 1099511628211ull;
    return h;
}

// Open addressing over the distinct names (FNV-1a): interning 10M names is a hash per event,
// so the table stays flat and small.
class NameInterner {
public:
    explicit NameInterner(std::vector<std::string_view> &names)
        : m_names(names) {
        m_slots.assign(1024, 0);
    }
    uint32_t id(std::string_view name) {
        const size_t mask = m_slots.size() - 1;
        for (size_t i = size_t(fnv1a(name)) & mask;; i = (i + 1) & mask) {
            if (m_slots[i] == 0) {
                m_names.push_back(name);
                m_slots[i] = uint32_t(m_names.size()); // id + 1
                if (m_names.size() * 2 > m_slots.size()) grow();
                return uint32_t(m_names.size() - 1);
            }
            if (m_names[m_slots[i] - 1] == name) return m_slots[i] - 1;
        }
    }

private:
    void grow() {
        std::vector<uint32_t> old(m_slots.size() * 2, 0);
        std::swap(old, m_slots);
        for (uint32_t slot : old)
            if (slot) {
                size_t i = size_t(fnv1a(m_names[slot - 1])) & (m_slots.size() - 1);
                while (m_slots[i])
                    i = (i + 1) & (m_slots.size() - 1);
                m_slots[i] = slot;
            }
    }
    std::vector<std::string_view> &m_names;
    std::vector<uint32_t> m_slots;
};

} // namespace

const TimelineIndex::Names &TimelineIndex::names() const {
    std::call_once(m_namesOnce, [this] {
        auto table = std::make_unique<Names>();
        const std::vector<TraceEvent> &events = m_trace->events;
        table->idOf.resize(eventCount());
        NameInterner interner(table->names);
        const std::string *last = nullptr;
        uint32_t lastId = 0;
        for (size_t i = 0; i < table->idOf.size(); ++i) {
            const std::string &name = events[i].name;
            if (!last || name != *last) { // runs of one name are common: skip the hash
                lastId = interner.id(name);
                last = &name;
            }
            table->idOf[i] = lastId;
        }
        table->lowerNames.reserve(table->names.size());
        for (std::string_view name : table->names) {
            std::string lower(name);
            for (char &c : lower)
                c = char(std::tolower(static_cast<unsigned char>(c)));
            table->lowerNames.push_back(std::move(lower));
        }
        m_names = std::move(table);
    });
    return *m_names;
}

std::vector<uint32_t> TimelineIndex::search(const std::string &needle, size_t limit) const {
    if (needle.empty() || limit == 0) return {};
    std::string lower = needle;
    for (char &c : lower)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    const Names &table = names();
    std::vector<char> matches(table.names.size(), 0);
    bool any = false;
    for (size_t id = 0; id < matches.size(); ++id)
        any |= (matches[id] = table.lowerNames[id].find(lower) != std::string::npos);
    if (!any) return {};
    std::vector<std::pair<int64_t, uint32_t>> hits;
    for (size_t i = 0; i < table.idOf.size(); ++i)
        if (matches[table.idOf[i]]) hits.emplace_back(m_trace->events[i].startNs, uint32_t(i));
    if (hits.size() > limit) {
        std::nth_element(hits.begin(), hits.begin() + long(limit), hits.end());
        hits.resize(limit);
    }
    std::sort(hits.begin(), hits.end());
    std::vector<uint32_t> out;
    out.reserve(hits.size());
    for (const auto &hit : hits)
        out.push_back(hit.second);
    return out;
}

std::vector<NameTotal> TimelineIndex::summarize(int64_t t0, int64_t t1,
                                                const std::vector<int> &lanes) const {
    if (t1 < t0) std::swap(t0, t1);
    const Names &table = names();
    std::vector<std::pair<uint64_t, int64_t>> totals(table.names.size(), {0, 0});
    for (int lane : lanes) {
        if (lane < 0 || lane >= laneCount()) continue;
        for (const Row &row : m_rows[size_t(lane)]) {
            size_t i =
                size_t(std::lower_bound(row.ends.begin(), row.ends.end(), t0) - row.ends.begin());
            for (const size_t n = row.events.size(); i < n && row.starts[i] <= t1; ++i) {
                const int64_t s = row.starts[i], e = row.ends[i];
                // Ranges count when they overlap the selection; instants when they are in it.
                if (e > s ? (e <= t0 || s >= t1) : s < t0) continue;
                auto &total = totals[table.idOf[row.events[i]]];
                ++total.first;
                total.second += std::min(e, t1) - std::max(s, t0);
            }
        }
    }
    std::vector<NameTotal> out;
    for (size_t id = 0; id < totals.size(); ++id)
        if (totals[id].first)
            out.push_back({std::string(table.names[id]), totals[id].first, totals[id].second});
    std::sort(out.begin(), out.end(), [](const NameTotal &a, const NameTotal &b) {
        return a.totalNs != b.totalNs ? a.totalNs > b.totalNs : a.name < b.name;
    });
    return out;
}

const TimelineIndex::Flows &TimelineIndex::flows() const {
    std::call_once(m_flowsOnce, [this] {
        auto table = std::make_unique<Flows>();
        const std::vector<TraceFlow> &flows = m_trace->flows;
        const size_t count = std::min(flows.size(), size_t(kNoEvent) - 1);

        // Each endpoint on its lane, by time (counted first: no regrowth of big arrays).
        std::vector<size_t> sizes(m_lanes.size(), 0);
        auto lanesOf = [&](const TraceFlow &f) {
            return std::make_pair(findLane(f.fromPid, f.fromTid), findLane(f.toPid, f.toTid));
        };
        for (size_t i = 0; i < count; ++i) {
            const auto [from, to] = lanesOf(flows[i]);
            if (from >= 0) ++sizes[size_t(from)];
            if (to >= 0) ++sizes[size_t(to)];
        }
        table->onLane.resize(m_lanes.size());
        for (size_t lane = 0; lane < m_lanes.size(); ++lane)
            table->onLane[lane].reserve(sizes[lane]);
        for (size_t i = 0; i < count; ++i) {
            const TraceFlow &f = flows[i];
            const auto [from, to] = lanesOf(f);
            const auto flow = uint32_t(i);
            if (from >= 0) table->onLane[size_t(from)].push_back({f.fromNs, flow, false});
            if (to >= 0) table->onLane[size_t(to)].push_back({f.toNs, flow, true});
            if (from < 0 && to < 0) continue; // nowhere to draw it
            const int64_t earlier = std::min(f.fromNs, f.toNs), later = std::max(f.fromNs, f.toNs);
            size_t length = 0;
            while (length < 63 && (uint64_t(later - earlier) >> length) != 0)
                ++length;
            if (table->byLength.size() <= length) table->byLength.resize(length + 1);
            table->byLength[length].push_back({earlier, later, flow});
        }
        auto byEarlier = [](const Flows::Span &a, const Flows::Span &b) {
            return a.earlier < b.earlier;
        };
        for (std::vector<Flows::Span> &spans : table->byLength)
            if (!std::is_sorted(spans.begin(), spans.end(), byEarlier))
                std::sort(spans.begin(), spans.end(), byEarlier);

        // One sweep per row (shallow to deep) resolves every endpoint to the deepest event
        // holding it: O(flows + events), no search per flow.
        table->ends.assign(count, FlowEvents{kNoEvent, kNoEvent});
        const auto runtime = std::find(m_categories.begin(), m_categories.end(), "cuda_runtime");
        const int runtimeId =
            runtime == m_categories.end() ? -1 : int(runtime - m_categories.begin());
        auto byNs = [](const Flows::Endpoint &a, const Flows::Endpoint &b) { return a.ns < b.ns; };
        for (size_t lane = 0; lane < m_lanes.size(); ++lane) {
            std::vector<Flows::Endpoint> &ends = table->onLane[lane];
            if (!std::is_sorted(ends.begin(), ends.end(), byNs))
                std::stable_sort(ends.begin(), ends.end(), byNs);
            for (const Row &row : m_rows[lane]) {
                size_t k = 0;
                const size_t n = row.events.size();
                for (const Flows::Endpoint &ep : ends) {
                    while (k < n &&
                           (row.ends[k] < ep.ns || (row.ends[k] == ep.ns && row.starts[k] < ep.ns)))
                        ++k;
                    uint32_t hit = kNoEvent;
                    if (k < n && row.starts[k] <= ep.ns)
                        hit = row.events[k]; // [start, end) holds it, or an instant at it
                    else if (k > 0 && row.ends[k - 1] == ep.ns)
                        hit = row.events[k - 1]; // it ends exactly here
                    if (hit == kNoEvent) continue;
                    uint32_t &slot = ep.to ? table->ends[ep.flow].to : table->ends[ep.flow].from;
                    // A launch's start keeps its runtime call over anything nested inside it.
                    const bool keep = !ep.to && slot != kNoEvent && runtimeId >= 0 &&
                                      m_category[slot] == runtimeId && m_category[hit] != runtimeId;
                    if (!keep) slot = hit;
                }
            }
        }
        m_flows = std::move(table);
        m_flowsReady.store(true, std::memory_order_release);
    });
    return *m_flows;
}

void TimelineIndex::prepareLookups() const {
    flows();
    names();
}

std::vector<uint32_t> TimelineIndex::flowsIn(int64_t t0, int64_t t1, size_t limit) const {
    if (t1 < t0) std::swap(t0, t1);
    const Flows &table = flows();
    std::vector<uint32_t> out;
    for (size_t length = 0; length < table.byLength.size() && out.size() < limit; ++length) {
        // A flow of this class reaching t0 starts after t0 - 2^length.
        const std::vector<Flows::Span> &spans = table.byLength[length];
        const int64_t reach =
            length >= 62 ? std::numeric_limits<int64_t>::max() : int64_t(1) << length;
        constexpr int64_t lowest = std::numeric_limits<int64_t>::min();
        const int64_t from = t0 < lowest + reach ? lowest : t0 - reach;
        auto it = std::lower_bound(spans.begin(), spans.end(), from,
                                   [](const Flows::Span &s, int64_t t) { return s.earlier < t; });
        for (; it != spans.end() && it->earlier <= t1 && out.size() < limit; ++it)
            if (it->later >= t0) out.push_back(it->flow);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<uint32_t> TimelineIndex::flowsOf(uint32_t event) const {
    const int lane = laneOf(event);
    if (lane < 0) return {};
    const Flows &table = flows();
    const TraceEvent &e = m_trace->events[event];
    const std::vector<Flows::Endpoint> &ends = table.onLane[size_t(lane)];
    auto it = std::lower_bound(ends.begin(), ends.end(), e.startNs,
                               [](const Flows::Endpoint &ep, int64_t t) { return ep.ns < t; });
    std::vector<uint32_t> out;
    for (; it != ends.end() && it->ns <= e.endNs(); ++it) {
        const FlowEvents &fe = table.ends[it->flow];
        if ((it->to ? fe.to : fe.from) == event &&
            std::find(out.begin(), out.end(), it->flow) == out.end())
            out.push_back(it->flow);
    }
    return out;
}

FlowEvents TimelineIndex::flowEvents(uint32_t flow) const {
    const Flows &table = flows();
    return flow < table.ends.size() ? table.ends[flow] : FlowEvents{kNoEvent, kNoEvent};
}

} // namespace trainscope
