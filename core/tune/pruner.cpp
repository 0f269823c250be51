// Early stopping of poor trials from their per-epoch values, as Optuna's MedianPruner and
// SuccessiveHalvingPruner (ASHA) decide. A trial is never stopped before warmupEpochs epochs.
#include "core/tune/oracle.h"

#include <algorithm>
#include <cmath>

namespace trainscope {
namespace {

// Trials whose values say something about the space: failed and invalid ones are left out.
bool comparable(const Trial &t, const Trial &self) {
    return t.id != self.id && t.status != TrialStatus::Failed && t.status != TrialStatus::Invalid;
}

// The values other trials reported at `epoch` (from 1), NaNs left out.
std::vector<double> valuesAt(const Trial &trial, const std::vector<Trial> &others, size_t epoch) {
    std::vector<double> out;
    for (const Trial &t : others)
        if (comparable(t, trial) && t.values.size() >= epoch && !std::isnan(t.values[epoch - 1]))
            out.push_back(t.values[epoch - 1]);
    return out;
}

bool pruneMedian(const PrunerSpec &spec, const Objective &objective, const Trial &trial,
                 const std::vector<Trial> &others) {
    const size_t epoch = trial.values.size();
    std::vector<double> values = valuesAt(trial, others, epoch);
    if (int(values.size()) < std::max(1, spec.minTrials)) return false;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return objective.better(median, trial.values.back());
}

// Rungs at epochs w, w*r, w*r^2, ...: at a rung the trial goes on only if it is among the best
// 1/r of the trials that reached it (the best one, while fewer than r have).
bool pruneAsha(const PrunerSpec &spec, const Objective &objective, const Trial &trial,
               const std::vector<Trial> &others) {
    const int64_t epoch = int64_t(trial.values.size());
    const int64_t r = std::max(2, spec.reductionFactor);
    int64_t rung = std::max(1, spec.warmupEpochs);
    while (rung < epoch)
        rung *= r;
    if (rung != epoch) return false; // decisions are taken at rungs only
    std::vector<double> values = valuesAt(trial, others, size_t(epoch));
    const double value = trial.values.back();
    values.push_back(value);
    std::sort(values.begin(), values.end(),
              [&](double a, double b) { return objective.better(a, b); });
    const size_t promotable = std::max<size_t>(1, values.size() / size_t(r));
    return objective.better(values[promotable - 1], value);
}

} // namespace

bool shouldPrune(const PrunerSpec &spec, const Objective &objective, const Trial &trial,
                 const std::vector<Trial> &others) {
    const int epoch = int(trial.values.size());
    if (spec.type == "none" || epoch == 0 || epoch < std::max(1, spec.warmupEpochs)) return false;
    if (std::isnan(trial.values.back())) return true; // a diverged trial (Optuna prunes NaN)
    if (spec.type == "median") return pruneMedian(spec, objective, trial, others);
    if (spec.type == "asha") return pruneAsha(spec, objective, trial, others);
    return false;
}

} // namespace trainscope
