// Runs a sweep: workers (threads) take suggestions from the oracle through the study, run each
// trial (a training job or an external command), report per-epoch values, prune poor trials,
// and record the result; a trial that crashes is FAILED with its error and the sweep goes on.
#pragma once

#include "tune/sweepspec.h"
#include "tune/trial.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace trainscope {

// Called on worker threads; must be thread-safe and quick.
class SweepObserver {
public:
    virtual ~SweepObserver() = default;
    virtual void onTrial(const Trial &) {} // created, a new epoch value, or finished
    virtual void onMessage(const std::string &) {}
};

struct SweepOutcome {
    int trials = 0, completed = 0, pruned = 0, failed = 0;
    std::optional<Trial> best;
    std::string stopReason; // "max_trials reached", "3 consecutive trials failed: ...", ...
};

struct SweepOptions {
    int workers = 0;     // 0: the spec's
    bool resume = false; // re-run the trials left RUNNING by a dead process, then continue
    const std::atomic<bool> *cancel = nullptr;
};

// Writes `spec` to DIR/sweep.json and the study (or, resuming, checks they match) and runs the
// sweep to its end. Throws SpecError/std::runtime_error for a bad spec or an unusable DIR.
SweepOutcome runSweep(const SweepSpec &spec, const std::string &dir, const SweepOptions &options,
                      SweepObserver *observer = nullptr);

} // namespace trainscope
