#include "core/train/internal/models.h"

#include "core/train/internal/layerstack.h"

#include <filesystem>

namespace trainscope {
namespace {

std::string shapeText(c10::IntArrayRef sizes) {
    std::string out = "[";
    for (size_t i = 0; i < sizes.size(); ++i)
        out += (i ? ", " : "") + std::to_string(sizes[i]);
    return out + "]";
}

std::string firstLine(const std::string &text) {
    return text.substr(0, text.find('\n'));
}

torch::jit::Module loadTorchScript(const ModelSpec &spec) {
    if (!std::filesystem::is_regular_file(spec.path))
        throw SpecError("model.path", spec.path + ": no such file");
    torch::jit::Module module;
    try {
        module = torch::jit::load(spec.path, torch::kCPU);
    } catch (const std::exception &e) {
        throw SpecError("model.path", spec.path +
                                          ": not a TorchScript module (save one with "
                                          "torch.jit.save(torch.jit.script(model), path)): " +
                                          firstLine(e.what()));
    }
    for (const std::string &pattern : spec.freeze) {
        bool matched = false;
        for (const auto &p : module.named_parameters())
            if (matchesPattern(p.name, pattern)) {
                p.value.requires_grad_(false);
                matched = true;
            }
        if (!matched)
            throw SpecError("model.freeze",
                            "'" + pattern + "' matches no parameter of " + spec.path);
    }
    return module;
}

} // namespace

torch::jit::Module buildModel(const ModelSpec &spec, const std::vector<int64_t> &shape, int classes,
                              int vocabularySize) {
    if (spec.type == "torchscript") return loadTorchScript(spec);
    return buildLayerStack(modelLayers(spec, shape), shape, classes, vocabularySize,
                           spec.type == "sequential" ? "model.layers" : "model");
}

void checkLogits(torch::jit::Module &model, const ModelSpec &spec, const torch::Tensor &batch,
                 int classes) {
    const std::string field = spec.type == "torchscript" ? "model.path" : "model";
    const std::string what = spec.type == "torchscript" ? spec.path : "the model";
    torch::NoGradGuard noGrad;
    const bool training = model.is_training();
    model.eval();
    torch::jit::IValue out;
    try {
        out = model.forward({batch});
    } catch (const std::exception &e) {
        model.train(training);
        throw SpecError(field, what + " cannot take a batch of shape " + shapeText(batch.sizes()) +
                                   ": " + firstLine(e.what()));
    }
    model.train(training);
    if (!out.isTensor())
        throw SpecError(field, what + " returns " + out.tagKind() +
                                   "; expected a tensor of logits [batch, classes]");
    const torch::Tensor logits = out.toTensor();
    const std::vector<int64_t> expected = {batch.size(0), classes};
    if (logits.sizes().vec() != expected)
        throw SpecError(field, what + " gives logits of shape " + shapeText(logits.sizes()) +
                                   " for a batch of shape " + shapeText(batch.sizes()) +
                                   "; expected " + shapeText(expected) + " (batch, classes)");
}

std::vector<torch::Tensor> trainableParameters(const torch::jit::Module &model) {
    std::vector<torch::Tensor> out;
    for (const torch::Tensor &p : model.parameters())
        if (p.requires_grad()) out.push_back(p);
    return out;
}

void copyWeights(const torch::jit::Module &from, torch::jit::Module &to) {
    std::map<std::string, torch::Tensor> target;
    for (const auto &p : to.named_parameters())
        target[p.name] = p.value;
    for (const auto &b : to.named_buffers())
        target[b.name] = b.value;
    torch::NoGradGuard noGrad;
    auto copy = [&](const std::string &name, const torch::Tensor &value) {
        const auto it = target.find(name);
        if (it == target.end()) throw std::runtime_error("the model has no " + name);
        if (it->second.sizes() != value.sizes())
            throw std::runtime_error(name + " is " + shapeText(value.sizes()) + " there but " +
                                     shapeText(it->second.sizes()) + " here");
        it->second.copy_(value);
    };
    for (const auto &p : from.named_parameters())
        copy(p.name, p.value);
    for (const auto &b : from.named_buffers())
        copy(b.name, b.value);
}

std::unique_ptr<torch::optim::Optimizer> buildOptimizer(const OptimizerSpec &spec,
                                                        std::vector<torch::Tensor> params) {
    using namespace torch::optim;
    if (spec.type == "sgd")
        return std::make_unique<SGD>(
            params,
            SGDOptions(spec.learningRate).momentum(spec.momentum).weight_decay(spec.weightDecay));
    if (spec.type == "adamw")
        return std::make_unique<AdamW>(
            params, AdamWOptions(spec.learningRate).weight_decay(spec.weightDecay));
    return std::make_unique<Adam>(params,
                                  AdamOptions(spec.learningRate).weight_decay(spec.weightDecay));
}

} // namespace trainscope
