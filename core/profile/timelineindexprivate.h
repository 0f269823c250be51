// What timelineindex.cpp and timelinelookup.cpp share: lane keys, the merge rule of the levels
// of detail, and the lazily built name and flow tables. Not part of core's public headers.
#pragma once

#include "core/profile/timelineindex.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace trainscope {
namespace timelinedetail {

inline uint64_t laneKey(int pid, int tid) {
    return (uint64_t(uint32_t(pid)) << 32) | uint32_t(tid);
}
inline int keyPid(uint64_t key) {
    return int(uint32_t(key >> 32));
}
inline int keyTid(uint64_t key) {
    return int(uint32_t(key));
}

// Neighbours closer than `res` merge when one of them is narrower than `res`: two wide boxes
// stay apart however close they are, so adjacent wide events keep their boundary.
inline bool shouldMerge(const LodBox &cur, const LodBox &next, double res) {
    return double(next.startNs - cur.endNs) < res &&
           (double(cur.endNs - cur.startNs) < res || double(next.endNs - next.startNs) < res);
}

inline void absorb(LodBox &cur, const LodBox &next) {
    cur.endNs = std::max(cur.endNs, next.endNs);
    cur.count += next.count;
    if (next.longestNs > cur.longestNs) { // ties keep the earlier event
        cur.longestNs = next.longestNs;
        cur.event = next.event;
    }
}

// Fills a lane's group and title from its (pid, tid) and the trace's names.
void describeLane(TimelineLane &lane, const TraceFile &trace);

} // namespace timelinedetail

struct TimelineIndex::Names {
    std::vector<uint32_t> idOf;          // per event
    std::vector<std::string_view> names; // per id, viewing the trace's strings
    std::vector<std::string> lowerNames; // per id, for case-insensitive search
};

struct TimelineIndex::Flows {
    struct Endpoint {
        int64_t ns;
        uint32_t flow;
        bool to; // the flow's end (else its start)
    };
    struct Span {
        int64_t earlier, later; // the flow's endpoints in time order
        uint32_t flow;
    };
    std::vector<std::vector<Endpoint>> onLane; // per lane, by time
    std::vector<FlowEvents> ends;              // per flow
    // Flows by length class (class k: later - earlier < 2^k ns), each by earlier endpoint: a
    // range query looks back at most 2^k per class, so it reads little beyond what it returns.
    std::vector<std::vector<Span>> byLength;
};

} // namespace trainscope
