// What a sweep found: the best trial, Keras Tuner's results summary, and the job that trains
// the best configuration again with early stopping.
#pragma once

#include "core/tune/sweepspec.h"
#include "core/tune/trial.h"

#include <optional>
#include <string>
#include <vector>

namespace trainscope {

// The best completed trial by score (nothing when no trial completed).
std::optional<Trial> bestTrial(const std::vector<Trial> &trials, const Objective &objective);

// Like Keras Tuner's results_summary(): the best `count` trials with parameters and scores.
std::string resultsSummary(const std::vector<Trial> &trials, const Objective &objective,
                           int count = 10);

// The best configuration as a job of its own ("best"): its epochs doubled, early stopping on
// the objective, the best weights restored.
JobSpec retrainJob(const SweepSpec &spec, const Trial &best);

} // namespace trainscope
