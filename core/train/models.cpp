#include "train/internal/models.h"

namespace trainscope {

torch::nn::Sequential buildModel(const ModelSpec &spec, const std::vector<int64_t> &shape,
                                 int classes) {
    namespace nn = torch::nn;
    nn::Sequential net;
    int64_t features = 1;
    for (int64_t d : shape)
        features *= d;
    if (spec.type == "cnn") {
        if (shape.size() != 3)
            throw std::runtime_error(
                "model.type \"cnn\" needs image inputs [channels, height, width]");
        int64_t channels = shape[0], h = shape[1], w = shape[2];
        for (int c : spec.channels) {
            net->push_back(nn::Conv2d(nn::Conv2dOptions(channels, c, 3).padding(1)));
            net->push_back(nn::ReLU());
            if (h >= 2 && w >= 2) {
                net->push_back(nn::MaxPool2d(2));
                h /= 2;
                w /= 2;
            }
            channels = c;
        }
        features = channels * h * w;
    }
    net->push_back(nn::Flatten());
    for (int hidden : spec.type == "mlp" ? spec.hidden : std::vector<int>{128}) {
        net->push_back(nn::Linear(features, hidden));
        net->push_back(nn::ReLU());
        if (spec.dropout > 0) net->push_back(nn::Dropout(spec.dropout));
        features = hidden;
    }
    net->push_back(nn::Linear(features, classes));
    return net;
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
