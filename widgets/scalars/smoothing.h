// TensorBoard's scalar smoothing: a debiased exponential moving average over finite points,
// so the first points are not dragged toward zero and a constant series stays as it is.
#pragma once

#include <cstddef>
#include <vector>

namespace trainscope {

// weight in [0, 1): 0 leaves the series as it is. Non-finite points pass through unsmoothed.
std::vector<float> smoothDebiasedEma(const std::vector<float> &values, double weight);

} // namespace trainscope
