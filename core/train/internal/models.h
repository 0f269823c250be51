// Private (LibTorch): the model zoo a job spec chooses from.
#pragma once

#include "core/jobs/jobspec.h"

#include <torch/torch.h>

namespace trainscope {

// An MLP, a small CNN or a text CNN for inputs of `exampleShape`, with `classes` outputs
// (logits). `vocabularySize` > 0: inputs are token indices (for the text CNN).
torch::nn::Sequential buildModel(const ModelSpec &spec, const std::vector<int64_t> &exampleShape,
                                 int classes, int vocabularySize = 0);

std::unique_ptr<torch::optim::Optimizer> buildOptimizer(const OptimizerSpec &spec,
                                                        std::vector<torch::Tensor> params);

} // namespace trainscope
