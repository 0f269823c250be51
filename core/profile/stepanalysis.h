// Turns a trace into the overview users know from the TensorFlow and PyTorch profilers: each
// step split into input, host-to-device, device compute, kernel launch, host compute,
// device-to-host and other time (each instant counted once, in that priority order, so the
// parts sum to the step), a verdict on input-boundness, and advice naming the knob to turn.
#pragma once

#include "profile/stepstats.h"
#include "profile/traceevent.h"

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
};

// The category a trace event's time counts toward, or nothing (pipeline worker time, steps).
std::optional<TimeCategory> timeCategoryOf(const std::string &eventCategory);

// One StepStats per "step" event, in trace order; startMs relative to the first step.
std::vector<StepStats> analyzeSteps(const std::vector<TraceEvent> &events);

// Per-name statistics of the events of `category`, largest self time first.
std::vector<OpStats> operatorStats(const std::vector<TraceEvent> &events,
                                   const std::string &category = "cpu_op");

// Means, verdict (input >= 20 %: highly, >= 5 %: moderately input-bound) and recommendations.
ProfileSummary summarize(std::vector<StepStats> steps, std::vector<StageStats> stages,
                         std::vector<OpStats> ops, const AdviceContext &context);

} // namespace trainscope
