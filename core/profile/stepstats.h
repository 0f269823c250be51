// Plain values the step-time profiler hands out: per-step time breakdowns, per-stage input
// pipeline figures, per-operator statistics and the overall verdict with recommendations.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace trainscope {

// Each instant of a step is counted once, in this priority order, so the parts sum to the step.
enum class TimeCategory {
    Input,
    HostToDevice,
    DeviceCompute,
    KernelLaunch,
    HostCompute,
    DeviceToHost,
    Other
};
constexpr int kTimeCategories = 7;
const char *timeCategoryName(TimeCategory category); // "input", "host_to_device", ...

struct StepStats {
    int64_t step = 0;
    double startMs = 0; // since the job started
    double totalMs = 0;
    std::array<double, kTimeCategories> ms{}; // by TimeCategory
    bool operatorsObserved = false;           // LibTorch's operator observers slowed this step down
    // From the GPU lanes: the time some kernel, copy or set ran (-1: the trace has no GPU lane),
    // and how many kernels started in the step.
    double gpuBusyMs = -1;
    int kernels = 0;

    double of(TimeCategory c) const { return ms[size_t(c)]; }
    double gpuUtilization() const {
        return gpuBusyMs >= 0 && totalMs > 0 ? gpuBusyMs / totalMs : -1;
    }
};

// What the GPU lanes say about the profiled steps (means per step), for the advice.
struct DeviceFigures {
    bool present = false;   // the trace has GPU work inside its steps
    double utilization = 0; // busy share of the step, 0..1
    double kernelsPerStep = 0;
    double meanKernelUs = 0;
    double longestIdleMs = 0;         // the longest gap between GPU work inside a step
    double pageableCopiesPerStep = 0; // host-to-device copies from pageable memory
    double pageableCopyMs = 0;
    double matmulShare = 0;     // of kernel time: GEMM and convolution kernels
    double tensorCoreShare = 0; // of kernel time: kernels that run on Tensor Cores
};

// One input-pipeline stage's cost (read, preprocess, augment, batch, ...). `totalMs` is the
// time the stage took on every worker, summed: with several workers running at once, the
// pipeline spends about that divided by the workers on each batch (its wall time).
struct StageStats {
    std::string stage;
    uint64_t batches = 0;
    double totalMs = 0;
    int workers = 1; // map workers that ran the stage in parallel
    double msPerBatch() const { return batches ? totalMs / double(batches) : 0; } // CPU, summed
    double wallMsPerBatch() const { return msPerBatch() / double(workers > 0 ? workers : 1); }
};

struct OpStats {
    std::string name;
    uint64_t calls = 0;
    double totalUs = 0, minUs = 0, maxUs = 0;
    double selfUs = 0; // total minus the time of operators nested inside (PyTorch's "self CPU")
    double meanUs() const { return calls ? totalUs / double(calls) : 0; }
};

enum class InputVerdict { NotInputBound, ModeratelyInputBound, HighlyInputBound };
const char *inputVerdictName(InputVerdict verdict); // "not input-bound", ...

struct ProfileSummary {
    std::vector<StepStats> steps;                 // the profiled (active) steps
    std::array<double, kTimeCategories> meanMs{}; // per step, by category
    double meanStepMs = 0;
    double inputShare = 0; // of the mean step, 0..1
    InputVerdict verdict = InputVerdict::NotInputBound;
    std::string verdictText;                  // one sentence with the measured share
    std::vector<std::string> recommendations; // each names the knob to turn
    std::vector<StageStats> stages;           // slowest first
    std::vector<OpStats> topOps;              // every operator, by self time, largest first
    std::string device;                       // "cpu", "cuda:0"
    std::string deviceNote;                   // e.g. why there is no GPU lane
    DeviceFigures deviceFigures;
};

} // namespace trainscope
