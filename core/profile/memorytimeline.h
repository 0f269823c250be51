// The memory view's analysis: per device, the allocator's allocated (and reserved) bytes over
// time, the peak, and which allocations were live at the peak, from a trace's MemoryEvents.
#pragma once

#include "core/profile/traceevent.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace trainscope {

// One step of a step function: `bytes` holds from `tsNs` until the next point.
struct MemoryPoint {
    int64_t tsNs = 0;
    int64_t bytes = 0;
};

// An allocation still live at the peak.
struct LiveAllocation {
    uint64_t address = 0;
    int64_t bytes = 0;
    int64_t allocatedNs = 0;
};

struct DeviceMemorySummary {
    int64_t peakBytes = 0; // the allocated series' maximum
    int64_t peakNs = 0;    // when it was first reached
    int64_t finalBytes = 0;
    uint64_t allocs = 0;
    uint64_t frees = 0;          // matched ones only
    uint64_t unmatchedFrees = 0; // frees of addresses not live: ignored, but counted
};

struct DeviceMemory {
    std::string device; // "cpu", "cuda:0", ...
    // One point per event, in time order: the allocator's reported total when it gave one,
    // else the sum of the live allocations tracked here.
    std::vector<MemoryPoint> allocated;
    std::vector<MemoryPoint> reserved; // only events that reported it; empty when none did
    DeviceMemorySummary summary;
    std::vector<LiveAllocation> liveAtPeak; // largest first (earliest first on ties), capped
    uint64_t liveCountAtPeak = 0;           // all of them, not only those listed
    int64_t liveBytesAtPeak = 0;            // their sum (may differ from a reported total)
    bool totalsReported = false;            // some event carried the allocator's total
};

struct MemoryTimeline {
    std::vector<DeviceMemory> devices; // "cpu" first, then by name ("cuda:2" before "cuda:10")
    int64_t firstNs = 0, lastNs = 0;   // over every device; 0 when there are no events

    bool empty() const { return devices.empty(); }
    const DeviceMemory *find(const std::string &device) const; // nullptr when absent
};

// Events in any order; ties in time keep their input order. O(n log n) in the event count.
// At most `maxLiveAtPeak` allocations are listed per device.
MemoryTimeline buildMemoryTimeline(const std::vector<MemoryEvent> &events,
                                   size_t maxLiveAtPeak = 200);

} // namespace trainscope
