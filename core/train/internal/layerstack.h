// Private (LibTorch): a stack of layers built as a TorchScript module, so that what a job
// trains is what it saves: <run>/model.pt opens with torch.jit.load and computes the same
// logits. Each layer is a submodule ("layer0", "layer1"...) with PyTorch's parameter names and
// initialisation; its forward is TorchScript source over ATen operators.
#pragma once

#include "core/jobs/modelspec.h"

#include <torch/script.h>

namespace trainscope {

// Builds `layers` for examples of `exampleShape` ({features}, {steps, features} or {channels,
// height, width}; token indices when `vocabularySize` > 0) ending in `classes` logits. Checks
// each layer against the shape it receives; a mismatch is SpecError naming `path`.I ("a conv2d
// layer needs images [channels, height, width]; it gets [64]").
torch::jit::Module buildLayerStack(const std::vector<LayerSpec> &layers,
                                   const std::vector<int64_t> &exampleShape, int classes,
                                   int vocabularySize, const std::string &path);

} // namespace trainscope
