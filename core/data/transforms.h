// Per-example image transforms the input pipeline applies (what each op's amount means:
// AugmentOp): blur, central crop, resize and the colour adjustments as deterministic,
// cacheable preprocessing; flip, crop, noise and random contrast, brightness, saturation and
// hue as augmentations. Each does real work proportional to its amount, so a slow pipeline is
// slow for real.
#pragma once

#include "core/jobs/jobspec.h"

#include <cstdint>
#include <random>
#include <vector>

namespace trainscope {

// Whether `op` changes an example's size (central_crop, resize): preprocessing only.
bool changesShape(const AugmentOp &op);
// The shape of an example of `shape` after `ops`.
std::vector<int64_t> transformedShape(std::vector<int64_t> shape,
                                      const std::vector<AugmentOp> &ops);

// Applies a size-keeping `op` in place to one example of shape {channels, height, width} (a
// flat example is treated as a 1 x 1 x N image: flip and crop then do nothing). `random`:
// as an augmentation, drawing its amount (contrast, brightness, saturation, hue).
void applyTransform(const AugmentOp &op, float *example, const std::vector<int64_t> &shape,
                    std::mt19937_64 &rng, std::vector<float> &scratch, bool random = true);
// Applies any preprocessing op to `example` of `shape`, both updated.
void applyPreprocess(const AugmentOp &op, std::vector<float> &example, std::vector<int64_t> &shape,
                     std::vector<float> &scratch);

} // namespace trainscope
