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

} // namespace trainscope
