// A whole trace as Trainscope keeps it in memory: what the collectors recorded (or an imported
// PyTorch/Chrome trace held), with the lanes' names and the job facts the analysis refers to.
#pragma once

#include "core/profile/stepanalysis.h"
#include "core/profile/traceevent.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace trainscope {

// What the GPU collector saw, so the views can say why there is (or is no) GPU lane.
struct DeviceTraceInfo {
    std::string device = "cpu"; // "cpu", "cuda:0"
    std::string note;           // e.g. "no GPU: host and operator tracing only"
    uint64_t records = 0;       // GPU activity records decoded
    uint64_t dropped = 0;       // records CUPTI dropped (never hidden)
    double clockSkewNs = 0;     // worst residual of the GPU-to-host clock fit
};

struct TraceFile {
    std::vector<TraceEvent> events; // ranges and instants, any order
    std::vector<TraceFlow> flows;
    std::vector<CounterSample> counters;
    std::vector<MemoryEvent> memory;
    std::map<std::pair<int, int>, std::string> threadNames; // (pid, tid) -> name
    std::map<int, std::string> processNames;                // pid -> name
    std::vector<StageStats> stages; // the input pipeline's figures for the profiled run
    AdviceContext context;
    DeviceTraceInfo deviceInfo;
    std::map<std::string, uint64_t> dropped; // events the reader left out, by why
};

} // namespace trainscope
