// Private (LibTorch): one pass of a model over a pipeline's batches, counted into an
// Evaluation (the trainer's validation and evaluateRun share it).
#pragma once

#include "core/data/pipeline.h"
#include "core/train/evaluation.h"

#include <torch/script.h>

namespace trainscope {

// In eval mode, without gradients; the model's training mode is left as it was.
Evaluation scoreModel(torch::jit::Module &model, Pipeline &pipeline, torch::Device device,
                      const std::vector<std::string> &classNames);

} // namespace trainscope
