// Which hyperparameters matter: for each parameter, the share of the completed trials' score
// variance it explains on its own (bias-corrected η², over quantile bins or values), summing to 1.
#pragma once

#include "core/tune/searchspace.h"
#include "core/tune/trial.h"

#include <string>
#include <vector>

namespace trainscope {

struct ParamImportance {
    std::string name;
    double importance = 0; // 0..1; the estimates of one sweep sum to 1 (or are all 0)
    // The bootstrap's spread (importanceReport only; 0 from parameterImportance): the standard
    // deviation and the 10th..90th percentile range of the estimate over resampled trials.
    double stddev = 0, low = 0, high = 0;
};

// One entry per searched parameter (Fixed ones are left out), most important first (ties in
// the space's order). Only COMPLETED trials with a finite score count. Per parameter the trials
// are grouped (numbers into about sqrt(n) quantile bins, at most 10, equal values kept
// together; choices and booleans by value; trials where the parameter is inactive form one more
// group) and the variance explained is epsilon² = (SS_between - (k-1) MS_within) / SS_total,
// clipped at 0: unlike plain η² it does not reward a noise parameter for having many groups.
// The estimates are then normalised to sum 1. Parameters never active, or never varied, get 0;
// with fewer than 3 scored trials, or scores all equal, every estimate is 0. It is a marginal,
// one-parameter-at-a-time estimate: interactions are not attributed. The objective's direction
// does not change variance; it is taken for symmetry with the other tuning functions.
std::vector<ParamImportance> parameterImportance(const SearchSpace &space,
                                                 const std::vector<Trial> &trials,
                                                 const Objective &objective);

// What the Tuning tab shows: nothing until enough trials completed, then each estimate with
// its uncertainty, so that one more trial moving a number is seen as noise, not news.
struct ImportanceReport {
    int completed = 0; // COMPLETED trials with a finite score
    int required = 0;  // minimumCompletedTrials(space)
    bool enough() const { return completed >= required; }
    // Empty until enough(); then parameterImportance's order and point estimates, with the
    // spread of `resamples` bootstrap draws of the trials (a fixed seed: the same trials give
    // the same report).
    std::vector<ParamImportance> params;
};

// max(10, 2 × searched parameters): at 10 trials a parameter gets 3 bins of about 3 trials,
// the fewest for a within-bin variance, and each more parameter needs its own trials before
// its share of the variance can be told from another's.
int minimumCompletedTrials(const SearchSpace &space);

ImportanceReport importanceReport(const SearchSpace &space, const std::vector<Trial> &trials,
                                  const Objective &objective, int resamples = 100);

} // namespace trainscope
