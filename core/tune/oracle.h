// Oracles decide the next trial from the history alone (plus their seed), so a resumed sweep,
// or a second process sharing the study, continues exactly where the sweep stood.
#pragma once

#include "core/tune/searchspace.h"
#include "core/tune/trial.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trainscope {

struct Suggestion {
    Assignment params;
    int epochs = 0;       // 0: the base spec's
    int continueFrom = 0; // Hyperband promotion: resume this trial's checkpoint
    int bracket = -1, rung = -1;
};

struct OracleSpec {
    std::string type = "random"; // "random", "grid", "bayesian", "hyperband"
    uint64_t seed = 0;
    // bayesian
    int initialPoints = 0;          // random points first (0: 2 x dimensions, at least 5)
    std::string acquisition = "ei"; // "ei" or "ucb"
    double kappa = 2.576;           // ucb
    // hyperband
    int maxEpochs = 27, factor = 3, iterations = 1;
    bool allowDuplicates = false;
};

class Oracle {
public:
    virtual ~Oracle() = default;
    // `trials`: every trial so far, in id order (running ones included, so parallel workers
    // get different points). Nothing: no trial can start now (e.g. a Hyperband rung waits for
    // its trials), or the oracle is finished().
    virtual std::optional<Suggestion> suggest(const std::vector<Trial> &trials) = 0;
    // No further trial will ever come (grid exhausted, Hyperband's iterations done).
    virtual bool finished(const std::vector<Trial> &trials) const = 0;
};

// Checks the settings without building an oracle (the sweep spec calls it when read): throws
// SpecError naming "oracle.<field>", or "space.<param>" when a grid meets a continuous Float.
void validateOracleSpec(const OracleSpec &spec, const SearchSpace &space);
// Throws SpecError naming "oracle.<field>" for bad settings.
std::unique_ptr<Oracle> makeOracle(const OracleSpec &spec, const SearchSpace &space,
                                   const Objective &objective);

// Early stopping of poor trials from their per-epoch values (Optuna's pruners).
struct PrunerSpec {
    std::string type = "none"; // "none", "median", "asha"
    int warmupEpochs = 1;      // never stop before this many epochs
    int minTrials = 3;         // median: compare against at least this many trials
    int reductionFactor = 3;   // asha
};
// Whether `trial`, having reported values for `epoch` epochs, should stop now.
bool shouldPrune(const PrunerSpec &spec, const Objective &objective, const Trial &trial,
                 const std::vector<Trial> &others);

} // namespace trainscope
