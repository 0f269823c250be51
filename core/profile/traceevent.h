// One event of a trace, as the Chrome trace-event format (and Perfetto) knows it: complete
// ranges (ph X) with a category, on a thread, in nanoseconds since the trace began.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace trainscope {

struct TraceEvent {
    std::string name;
    std::string category; // "step", "input", "h2d", "host_compute", "d2h", "cpu_op", "kernel", ...
    int64_t startNs = 0;
    int64_t durationNs = 0;
    int pid = 0;
    int tid = 0;
    std::vector<std::pair<std::string, std::string>> args;

    int64_t endNs() const { return startNs + durationNs; }
};

} // namespace trainscope
