#include "core/train/internal/models.h"

namespace trainscope {

torch::nn::Sequential buildModel(const ModelSpec &spec, const std::vector<int64_t> &shape,
                                 int classes, int vocabularySize) {
    namespace nn = torch::nn;
    nn::Sequential net;
    if (spec.type == "text_cnn") {
        if (vocabularySize <= 0)
            throw std::runtime_error(
                "model.type \"text_cnn\" needs a text_folder dataset in \"int\" mode");
        const int channels = spec.channels.empty() ? 128 : spec.channels.front();
        // Token indices arrive as floats (the pipeline's one type); embed, convolve over the
        // sequence, keep each filter's strongest response (global max pooling), classify.
        net->push_back(nn::Functional([](torch::Tensor x) { return x.to(torch::kLong); }));
        net->push_back(nn::Embedding(vocabularySize, spec.embeddingDim));
        net->push_back(nn::Functional([](torch::Tensor x) { return x.transpose(1, 2); }));
        net->push_back(nn::Conv1d(nn::Conv1dOptions(spec.embeddingDim, channels, 5).padding(2)));
        net->push_back(nn::ReLU());
        net->push_back(nn::AdaptiveMaxPool1d(1));
        net->push_back(nn::Flatten());
        if (spec.dropout > 0) net->push_back(nn::Dropout(spec.dropout));
        net->push_back(nn::Linear(channels, classes));
        return net;
    }
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
