#include "core/train/internal/layerstack.h"

#include "core/jobs/specerror.h"

#include <torch/torch.h>

#include <cstdio>

namespace trainscope {
namespace {

using torch::jit::Module;

std::string shapeText(const std::vector<int64_t> &shape) {
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", v);
    std::string s = text;
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    return s;
}

// The TorchScript expression applying `activation` to `x`; empty for "none".
std::string activationOf(const std::string &activation, const std::string &x) {
    if (activation == "none") return {};
    if (activation == "leaky_relu") return "torch.leaky_relu(" + x + ", 0.01)";
    return "torch." + activation + "(" + x + ")";
}

class StackBuilder {
public:
    StackBuilder(std::vector<int64_t> shape, int classes, int vocabularySize)
        : m_shape(std::move(shape))
        , m_tokens(vocabularySize > 0 && m_shape.size() == 1)
        , m_vocabularySize(vocabularySize)
        , m_classes(classes) {
        m_top.register_attribute("training", c10::BoolType::get(), true);
    }

    void add(const LayerSpec &l, const std::string &name, const std::string &path);
    Module finish(const std::string &path);

private:
    Module leaf(const std::string &name) {
        Module m("__torch__.trainscope." + name);
        m.register_attribute("training", c10::BoolType::get(), true);
        return m;
    }
    void attach(Module m, const std::string &name, const std::string &body) {
        m.define("def forward(self, x):\n" + body);
        m_top.register_module(name, m);
        m_forward += "    x = self." + name + ".forward(x)\n";
    }
    [[noreturn]] void refuse(const std::string &path, const LayerSpec &l,
                             const std::string &needs) const {
        const bool vowel = std::string("aeiou").find(l.type[0]) != std::string::npos;
        throw SpecError(path, (vowel ? "an " : "a ") + l.type + " layer needs " + needs +
                                  "; it gets " + (m_tokens ? "token indices " : "") +
                                  shapeText(m_shape));
    }
    void needRank(const std::string &path, const LayerSpec &l, std::initializer_list<size_t> ranks,
                  const std::string &needs) const {
        if (m_tokens) refuse(path, l, needs + " (put an embedding layer first)");
        for (size_t r : ranks)
            if (m_shape.size() == r) return;
        refuse(path, l, needs);
    }
    // A window's output length, or a refusal when the input is shorter than the window.
    int64_t windowed(const std::string &path, const LayerSpec &l, int64_t length, int kernel,
                     int stride, int padding) const {
        const int64_t out = (length + 2 * padding - kernel) / stride + 1;
        if (length + 2 * padding < kernel)
            throw SpecError(path, "a " + l.type + " layer's window (" + std::to_string(kernel) +
                                      ") is larger than its input " + shapeText(m_shape));
        return out;
    }

    // Refused before allocating: a spec's sizes must not take the machine's memory.
    void reserve(const std::string &path, const LayerSpec &l, double parameters) {
        constexpr double kMaxParameters = 1e9; // 4 GB of float32 weights
        m_parameters += parameters;
        if (m_parameters > kMaxParameters)
            throw SpecError(path, "the stack would hold " + std::to_string(int64_t(m_parameters)) +
                                      " parameters by this " + l.type +
                                      " layer (at most 1000000000)");
    }

    std::vector<int64_t> m_shape;
    double m_parameters = 0;
    bool m_tokens;
    int m_vocabularySize, m_classes;
    Module m_top{"__torch__.trainscope.Model"};
    std::string m_forward;
};

void StackBuilder::add(const LayerSpec &l, const std::string &name, const std::string &path) {
    namespace nn = torch::nn;
    const std::string &type = l.type;
    if (type == "repeat") {
        for (int r = 0; r < l.times; ++r)
            for (size_t i = 0; i < l.layers.size(); ++i)
                add(l.layers[i], name + "_" + std::to_string(r) + "_" + std::to_string(i),
                    path + ".layers." + std::to_string(i));
        return;
    }
    Module m = leaf(name);
    const bool sequence = m_shape.size() == 2, image = m_shape.size() == 3;
    if (type == "embedding") {
        if (!m_tokens)
            refuse(path, l, "token indices (a text_folder dataset in \"int\" mode), first");
        reserve(path, l, double(m_vocabularySize) * l.dim);
        m.register_parameter("weight", nn::Embedding(m_vocabularySize, l.dim)->weight, false);
        attach(m, name, "    return torch.embedding(self.weight, x.long())\n");
        m_shape = {m_shape[0], l.dim};
        m_tokens = false;
        return;
    }
    if (type == "dense") {
        needRank(path, l, {1, 2}, "features [n] or a sequence [steps, features]");
        const int units = l.units > 0 ? l.units : m_classes;
        reserve(path, l, double(m_shape.back() + 1) * units);
        nn::Linear linear(m_shape.back(), units);
        m.register_parameter("weight", linear->weight, false);
        m.register_parameter("bias", linear->bias, false);
        std::string body = "    x = torch.linear(x, self.weight, self.bias)\n";
        if (const std::string act = activationOf(l.activation, "x"); !act.empty())
            body += "    x = " + act + "\n";
        attach(m, name, body + "    return x\n");
        m_shape.back() = units;
        return;
    }
    if (type == "conv1d" || type == "conv2d") {
        const bool two = type == "conv2d";
        if (two)
            needRank(path, l, {3}, "images [channels, height, width]");
        else
            needRank(path, l, {2}, "a sequence [steps, features]");
        const int pad = l.padding < 0 ? (l.kernel - 1) / 2 : l.padding;
        const double inputs = double(two ? m_shape[0] : m_shape[1]);
        reserve(path, l, (inputs * l.kernel * (two ? l.kernel : 1) + 1) * l.filters);
        torch::Tensor weight, bias;
        if (two) {
            nn::Conv2d conv(
                nn::Conv2dOptions(m_shape[0], l.filters, l.kernel).stride(l.stride).padding(pad));
            weight = conv->weight, bias = conv->bias;
        } else {
            nn::Conv1d conv(
                nn::Conv1dOptions(m_shape[1], l.filters, l.kernel).stride(l.stride).padding(pad));
            weight = conv->weight, bias = conv->bias;
        }
        m.register_parameter("weight", weight, false);
        m.register_parameter("bias", bias, false);
        const std::string s = std::to_string(l.stride), p = std::to_string(pad);
        std::string body =
            two ? "    x = torch.conv2d(x, self.weight, self.bias, [" + s + ", " + s + "], [" + p +
                      ", " + p + "])\n"
                : "    x = torch.conv1d(x.transpose(1, 2), self.weight, self.bias, [" + s + "], [" +
                      p + "]).transpose(1, 2)\n";
        if (const std::string act = activationOf(l.activation, "x"); !act.empty())
            body += "    x = " + act + "\n";
        attach(m, name, body + "    return x\n");
        if (two)
            m_shape = {l.filters, windowed(path, l, m_shape[1], l.kernel, l.stride, pad),
                       windowed(path, l, m_shape[2], l.kernel, l.stride, pad)};
        else
            m_shape = {windowed(path, l, m_shape[0], l.kernel, l.stride, pad), l.filters};
        return;
    }
    if (type == "max_pool" || type == "avg_pool") {
        needRank(path, l, {2, 3},
                 "a sequence [steps, features] or images [channels, height, width]");
        const int k = l.size, s = l.stride > 0 ? l.stride : l.size;
        const std::string op = type == "max_pool" ? "max_pool" : "avg_pool";
        const std::string ks = std::to_string(k), ss = std::to_string(s);
        if (image) {
            attach(m, name,
                   "    return torch." + op + "2d(x, [" + ks + ", " + ks + "], [" + ss + ", " + ss +
                       "])\n");
            m_shape = {m_shape[0], windowed(path, l, m_shape[1], k, s, 0),
                       windowed(path, l, m_shape[2], k, s, 0)};
        } else {
            attach(m, name,
                   "    return torch." + op + "1d(x.transpose(1, 2), [" + ks + "], [" + ss +
                       "]).transpose(1, 2)\n");
            m_shape = {windowed(path, l, m_shape[0], k, s, 0), m_shape[1]};
        }
        return;
    }
    if (type == "global_max_pool" || type == "global_avg_pool") {
        needRank(path, l, {2, 3},
                 "a sequence [steps, features] or images [channels, height, width]");
        const std::string dims = image ? "[2, 3]" : "[1]";
        attach(m, name,
               type == "global_max_pool" ? "    return torch.amax(x, " + dims + ")\n"
                                         : "    return torch.mean(x, " + dims + ")\n");
        m_shape = {image ? m_shape[0] : m_shape[1]};
        return;
    }
    if (type == "flatten") {
        attach(m, name, "    return torch.flatten(x, 1)\n");
        int64_t n = 1;
        for (int64_t d : m_shape)
            n *= d;
        m_shape = {n};
        return;
    }
    if (type == "batch_norm") {
        needRank(path, l, {1, 2, 3}, "features");
        const int64_t channels = sequence ? m_shape[1] : m_shape[0];
        m.register_parameter("weight", torch::ones({channels}), false);
        m.register_parameter("bias", torch::zeros({channels}), false);
        m.register_buffer("running_mean", torch::zeros({channels}));
        m.register_buffer("running_var", torch::ones({channels}));
        const std::string call = "torch.batch_norm(X, self.weight, self.bias, self.running_mean, "
                                 "self.running_var, self.training, 0.1, 1e-05, True)";
        auto with = [&](const std::string &x) {
            std::string c = call;
            c.replace(c.find('X'), 1, x);
            return c;
        };
        attach(m, name,
               sequence ? "    return " + with("x.transpose(1, 2)") + ".transpose(1, 2)\n"
                        : "    return " + with("x") + "\n");
        return;
    }
    if (type == "layer_norm") {
        needRank(path, l, {1, 2, 3}, "features");
        const std::vector<int64_t> normalized =
            image ? m_shape : std::vector<int64_t>{m_shape.back()};
        m.register_parameter("weight", torch::ones(normalized), false);
        m.register_parameter("bias", torch::zeros(normalized), false);
        std::string dims;
        for (int64_t d : normalized)
            dims += (dims.empty() ? "" : ", ") + std::to_string(d);
        attach(m, name,
               "    return torch.layer_norm(x, [" + dims +
                   "], self.weight, self.bias, 1e-05, True)\n");
        return;
    }
    if (type == "dropout") {
        attach(m, name, "    return torch.dropout(x, " + number(l.rate) + ", self.training)\n");
        return;
    }
    if (type == "activation") {
        const std::string act = activationOf(l.activation, "x");
        attach(m, name, "    return " + (act.empty() ? std::string("x") : act) + "\n");
        return;
    }
    if (type == "lstm" || type == "gru") {
        needRank(path, l, {2},
                 "a sequence [steps, features] (an embedding, conv1d or another "
                 "recurrent layer with return_sequences before it)");
        const bool lstm = type == "lstm";
        const int directions = l.bidirectional ? 2 : 1;
        reserve(path, l,
                (lstm ? 4.0 : 3.0) * directions * (double(m_shape[1]) + l.units + 2) * l.units);
        std::vector<torch::Tensor> weights;
        if (lstm)
            weights = nn::LSTM(nn::LSTMOptions(m_shape[1], l.units)
                                   .batch_first(true)
                                   .bidirectional(l.bidirectional))
                          ->all_weights();
        else
            weights = nn::GRU(nn::GRUOptions(m_shape[1], l.units)
                                  .batch_first(true)
                                  .bidirectional(l.bidirectional))
                          ->all_weights();
        // PyTorch's names, in the order ATen's RNN kernels take them.
        static const char *kinds[] = {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"};
        std::string params;
        for (size_t i = 0; i < weights.size(); ++i) {
            const std::string pname = std::string(kinds[i % 4]) + (i >= 4 ? "_reverse" : "");
            m.register_parameter(pname, weights[i], false);
            params += (params.empty() ? "self." : ", self.") + pname;
        }
        const std::string bi = l.bidirectional ? "True" : "False";
        std::string body = "    h0 = torch.zeros([" + std::to_string(directions) + ", x.size(0), " +
                           std::to_string(l.units) + "], dtype=x.dtype, device=x.device)\n";
        body += lstm ? "    out, h, c = torch.lstm(x, [h0, h0], [" + params +
                           "], True, 1, 0.0, self.training, " + bi + ", True)\n"
                     : "    out, h = torch.gru(x, h0, [" + params +
                           "], True, 1, 0.0, self.training, " + bi + ", True)\n";
        // Keras' return_sequences=False: the last step of each direction (the backward one's
        // last step is the first position), i.e. the final hidden states.
        body += l.returnSequences ? "    return out\n"
                : l.bidirectional ? "    return torch.cat([h[0], h[1]], 1)\n"
                                  : "    return h[0]\n";
        attach(m, name, body);
        m_shape = l.returnSequences ? std::vector<int64_t>{m_shape[0], directions * l.units}
                                    : std::vector<int64_t>{directions * l.units};
        return;
    }
    throw SpecError(path + ".type", "'" + type + "' is not a layer type");
}

Module StackBuilder::finish(const std::string &path) {
    if (m_shape != std::vector<int64_t>{m_classes})
        throw SpecError(path, "the stack ends in " + shapeText(m_shape) + "; logits need [" +
                                  std::to_string(m_classes) + "] (one per class): end with " +
                                  (m_shape.size() == 1 ? "" : "flatten or global pooling, then ") +
                                  "{\"type\": \"dense\", \"units\": " + std::to_string(m_classes) +
                                  "}");
    m_top.define("def forward(self, x):\n" + m_forward + "    return x\n");
    return m_top;
}

} // namespace

Module buildLayerStack(const std::vector<LayerSpec> &layers, const std::vector<int64_t> &shape,
                       int classes, int vocabularySize, const std::string &path) {
    StackBuilder builder(shape, classes, vocabularySize);
    for (size_t i = 0; i < layers.size(); ++i)
        builder.add(layers[i], "layer" + std::to_string(i),
                    path == "model.layers" ? path + "." + std::to_string(i) : path);
    return builder.finish(path);
}

} // namespace trainscope
