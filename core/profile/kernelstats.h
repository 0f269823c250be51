// The GPU kernel table of a profile: per kernel name its calls, time, share of all kernel time
// and launch configuration (grid, block, registers, shared memory) from PyTorch's kernel args.
#pragma once

#include "core/profile/stepstats.h"
#include "core/profile/traceevent.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trainscope {

// One field of the launch configuration over a kernel's calls: the most frequent value, or
// "varies" when several values tie for most frequent; empty when no call reported it (or every
// report was malformed).
struct LaunchField {
    std::string text;    // "[128, 1, 1]", "32", "varies", ""
    double value = -1;   // for sorting: threads (x*y*z), registers or bytes; -1 if varies/unknown
    size_t distinct = 0; // distinct well-formed values seen
    bool varies() const { return text == "varies"; }
};

struct KernelStats {
    std::string name;
    uint64_t calls = 0;
    double totalUs = 0, minUs = 0, maxUs = 0;
    double share = 0; // of all kernel time, 0..1
    LaunchField grid, block, registersPerThread, sharedMemory;
    double occupancyPct = -1; // mean "est. achieved occupancy %", -1 when never reported
    double meanUs() const { return calls ? totalUs / double(calls) : 0; }
};

// Per-name statistics of the events of `category`, largest total first (then by name).
std::vector<KernelStats> kernelStats(const std::vector<TraceEvent> &events,
                                     const std::string &category = "kernel");

// "[128, 1, 1]", "[128,1,1]", "(128, 1, 1)" or "128" (y = z = 1); nothing when malformed or
// not positive.
std::optional<std::array<int64_t, 3>> parseDim3(const std::string &text);
std::string formatDim3(const std::array<int64_t, 3> &dims); // "[128, 1, 1]"
// A non-negative integer ("32", " 4096 ", "32.0"); nothing when malformed.
std::optional<int64_t> parseCount(const std::string &text);

// Each operator's share of all operator self time (0..1), in the order of `ops`. Self times
// sum to the time spent in operators, so the shares sum to one even when operators nest.
std::vector<double> operatorSelfShares(const std::vector<OpStats> &ops);

} // namespace trainscope
