// Per-example image transforms the input pipeline applies: blur (deterministic, a typical
// cacheable preprocessing step), and the random augmentations flip, crop and noise. Each does
// real work proportional to its amount, so a slow pipeline is slow for real.
#pragma once

#include "core/jobs/jobspec.h"

#include <cstdint>
#include <random>
#include <vector>

namespace trainscope {

// Applies `op` in place to one example of shape {channels, height, width} (a flat example is
// treated as a 1 x 1 x N image: flip and crop then do nothing).
void applyTransform(const AugmentOp &op, float *example, const std::vector<int64_t> &shape,
                    std::mt19937_64 &rng, std::vector<float> &scratch);

} // namespace trainscope
