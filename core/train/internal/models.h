// Private (LibTorch): the model a job spec names, as a TorchScript module (a preset or a layer
// stack built here, or the user's own file), and its optimizer.
#pragma once

#include "core/jobs/jobspec.h"

#include <torch/script.h>
#include <torch/torch.h>

namespace trainscope {

// The model for inputs of `exampleShape` with `classes` outputs (logits); `vocabularySize` > 0:
// inputs are token indices. A torchscript model is loaded from model.path onto the CPU, with
// the parameters matching model.freeze no longer requiring gradients. Throws SpecError naming
// the field (a layer that does not fit its input, a file that cannot be loaded).
torch::jit::Module buildModel(const ModelSpec &spec, const std::vector<int64_t> &exampleShape,
                              int classes, int vocabularySize = 0);

// One forward pass on `batch` (in eval mode, without gradients) checks the contract: logits of
// shape [batch, classes]. A mismatch is SpecError naming the model ("model.path: net.pt gives
// [8, 10]; expected [8, 4] (batch, classes)").
void checkLogits(torch::jit::Module &model, const ModelSpec &spec, const torch::Tensor &batch,
                 int classes);

// The parameters an optimizer trains: those requiring gradients.
std::vector<torch::Tensor> trainableParameters(const torch::jit::Module &model);

// Copies every parameter and buffer of `from` into the one of the same name in `to`; a name
// `to` lacks, or a shape that differs, throws std::runtime_error naming it.
void copyWeights(const torch::jit::Module &from, torch::jit::Module &to);

std::unique_ptr<torch::optim::Optimizer> buildOptimizer(const OptimizerSpec &spec,
                                                        std::vector<torch::Tensor> params);

} // namespace trainscope
