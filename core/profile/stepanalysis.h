// Turns a trace into the overview users know from the TensorFlow and PyTorch profilers: each
// step split into input, host-to-device, device compute, kernel launch, host compute,
// device-to-host and other time (each instant counted once, in that priority order, so the
// parts sum to the step), a verdict on input-boundness, and advice naming the knob to turn.
#pragma once

#include "core/profile/stepstats.h"
#include "core/profile/traceevent.h"

#include <optional>
#include <string>
#include <vector>

namespace trainscope {

// The job settings the advice refers to.
struct AdviceContext {
    int mapWorkers = 1; // resolved (after autotune)
    int prefetch = 0;   // resolved
    std::string cache = "none";
    bool hasPreprocess = false;
    int batchSize = 0;
    std::string device = "cpu";
    std::string mixedPrecision = "none";
    int cores = 1;
    bool pinMemory = false;

    // The settings of a Trainscope job: a trace from elsewhere (PyTorch's profiler) has none,
    // and its advice names no job setting.
    bool fromJob() const { return batchSize > 0; }
};

// The category a trace event's time counts toward, or nothing (pipeline worker time, steps).
std::optional<TimeCategory> timeCategoryOf(const std::string &eventCategory);
// The same for one event: GPU copies count by direction (host-to-device, device-to-host).
std::optional<TimeCategory> timeCategoryOf(const TraceEvent &event);
// A step: our "step" ranges, or PyTorch's "ProfilerStep#N" annotations.
bool isStepEvent(const TraceEvent &event);
// Work on a GPU lane (kernels, copies, sets).
bool isGpuWork(const TraceEvent &event);

// One StepStats per step event, in trace order; startMs relative to the first step.
std::vector<StepStats> analyzeSteps(const std::vector<TraceEvent> &events);

// GPU utilisation, kernel sizes, idle gaps, pageable copies and Tensor Core use over `steps`.
DeviceFigures analyzeDevice(const std::vector<TraceEvent> &events,
                            const std::vector<StepStats> &steps);

// Per-name statistics of the events of `category`, largest self time first.
std::vector<OpStats> operatorStats(const std::vector<TraceEvent> &events,
                                   const std::string &category = "cpu_op");

// Means, verdict (input >= 20 %: highly, >= 5 %: moderately input-bound) and recommendations.
ProfileSummary summarize(std::vector<StepStats> steps, std::vector<StageStats> stages,
                         std::vector<OpStats> ops, const AdviceContext &context,
                         const DeviceFigures &device = {});

// Advice from the GPU figures (launch-bound steps, idle gaps, pageable copies, Tensor Cores).
void deviceAdvice(const DeviceFigures &device, const ProfileSummary &summary,
                  const AdviceContext &context, std::vector<std::string> &advice);

// All of the above from a whole trace.
struct TraceFile;
ProfileSummary summarizeTrace(const TraceFile &trace);

} // namespace trainscope
