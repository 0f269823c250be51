#include "core/jobs/modeljson.h"

#include "core/jobs/specfields.h"

#include <algorithm>
#include <map>

namespace trainscope {

using nlohmann::json;

const FieldsByType &modelFieldTable() {
    static const FieldsByType table = {
        {"mlp", {"type", "hidden", "dropout"}},
        {"cnn", {"type", "channels", "dropout"}},
        {"text_cnn", {"type", "embedding_dim", "channels", "dropout"}},
        {"sequential", {"type", "layers"}},
        {"torchscript", {"type", "path", "freeze"}}};
    return table;
}

const FieldsByType &layerFieldTable() {
    static const std::vector<std::string> conv = {"type",   "filters", "kernel",
                                                  "stride", "padding", "activation"};
    static const std::vector<std::string> pool = {"type", "size", "stride"};
    static const std::vector<std::string> rnn = {"type", "units", "bidirectional",
                                                 "return_sequences"};
    static const FieldsByType table = {{"dense", {"type", "units", "activation"}},
                                       {"dropout", {"type", "rate"}},
                                       {"conv1d", conv},
                                       {"conv2d", conv},
                                       {"max_pool", pool},
                                       {"avg_pool", pool},
                                       {"global_max_pool", {"type"}},
                                       {"global_avg_pool", {"type"}},
                                       {"flatten", {"type"}},
                                       {"batch_norm", {"type"}},
                                       {"layer_norm", {"type"}},
                                       {"embedding", {"type", "dim"}},
                                       {"lstm", rnn},
                                       {"gru", rnn},
                                       {"activation", {"type", "activation"}},
                                       {"repeat", {"type", "times", "layers"}}};
    return table;
}

namespace {

std::vector<std::string> keysOf(const std::map<std::string, std::vector<std::string>> &table) {
    std::vector<std::string> keys;
    for (const auto &[key, fields] : table)
        keys.push_back(key);
    return keys;
}

std::string joined(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

bool contains(const std::vector<std::string> &items, const std::string &item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

std::vector<LayerSpec> parseLayers(const json &list, const std::string &path);

LayerSpec parseLayer(const json &object, const std::string &path) {
    LayerSpec l;
    {
        SpecFields f(object, path);
        f.string("type", l.type);
        refuseFieldsOfOtherTypes(object, path, "layer", l.type, layerFieldTable());
        l = defaultLayer(l.type);
        l.layers.clear(); // a repeat block's come from the spec
        const auto fields = layerFieldTable().find(l.type);
        if (fields == layerFieldTable().end()) {
            f.at("type");
            throw SpecError(path + ".type",
                            "'" + l.type + "' is not one of " + joined(keysOf(layerFieldTable())));
        }
        for (const std::string &name : fields->second) {
            if (name == "units") f.integerOr("units", "classes", 0, l.units);
            if (name == "activation") f.string("activation", l.activation);
            if (name == "rate") f.number("rate", l.rate);
            if (name == "filters") f.integer("filters", l.filters);
            if (name == "kernel") f.integer("kernel", l.kernel);
            if (name == "stride") f.integer("stride", l.stride);
            if (name == "padding") f.integerOr("padding", "same", -1, l.padding);
            if (name == "size") f.integer("size", l.size);
            if (name == "dim") f.integer("dim", l.dim);
            if (name == "bidirectional") f.boolean("bidirectional", l.bidirectional);
            if (name == "return_sequences") f.boolean("return_sequences", l.returnSequences);
            if (name == "times") f.integer("times", l.times);
            if (name == "layers")
                if (const json *inner = f.at("layers"))
                    l.layers = parseLayers(*inner, path + ".layers");
        }
    } // the fields' check (a throwing destructor) ends before the value is returned
    return l;
}

std::vector<LayerSpec> parseLayers(const json &list, const std::string &path) {
    if (!list.is_array())
        throw SpecError(path, "must be a list of layers, e.g. [{\"type\": \"dense\", \"units\": "
                              "64}]");
    std::vector<LayerSpec> layers;
    for (size_t i = 0; i < list.size(); ++i)
        layers.push_back(parseLayer(list[i], path + "." + std::to_string(i)));
    return layers;
}

json layerJson(const LayerSpec &l) {
    json j = json::object();
    const auto fields = layerFieldTable().find(l.type);
    if (fields == layerFieldTable().end()) return {{"type", l.type}};
    for (const std::string &name : fields->second) {
        if (name == "type") j["type"] = l.type;
        if (name == "units") j["units"] = l.units == 0 ? json("classes") : json(l.units);
        if (name == "activation") j["activation"] = l.activation;
        if (name == "rate") j["rate"] = l.rate;
        if (name == "filters") j["filters"] = l.filters;
        if (name == "kernel") j["kernel"] = l.kernel;
        if (name == "stride") j["stride"] = l.stride;
        if (name == "padding") j["padding"] = l.padding < 0 ? json("same") : json(l.padding);
        if (name == "size") j["size"] = l.size;
        if (name == "dim") j["dim"] = l.dim;
        if (name == "bidirectional") j["bidirectional"] = l.bidirectional;
        if (name == "return_sequences") j["return_sequences"] = l.returnSequences;
        if (name == "times") j["times"] = l.times;
        if (name == "layers") {
            j["layers"] = json::array();
            for (const LayerSpec &inner : l.layers)
                j["layers"].push_back(layerJson(inner));
        }
    }
    return j;
}

void validateLayers(const std::vector<LayerSpec> &layers, const std::string &path, int depth) {
    if (depth > 8) throw SpecError(path, "repeat blocks nest deeper than 8 levels");
    for (size_t i = 0; i < layers.size(); ++i) {
        const LayerSpec &l = layers[i];
        const std::string at = path + "." + std::to_string(i) + ".";
        checkChoice(at + "type", l.type, layerTypes());
        const auto &fields = layerFields(l.type);
        auto uses = [&](const char *name) { return contains(fields, name); };
        if (uses("units")) checkRange(at + "units", l.units, l.type == "dense" ? 0 : 1, 65536);
        if (uses("activation")) checkChoice(at + "activation", l.activation, activationNames());
        if (uses("rate")) checkRange(at + "rate", l.rate, 0, 0.95);
        if (uses("filters")) checkRange(at + "filters", l.filters, 1, 65536);
        if (uses("kernel")) checkRange(at + "kernel", l.kernel, 1, 1024);
        if (uses("stride")) checkRange(at + "stride", l.stride, uses("size") ? 0 : 1, 1024);
        if (uses("padding")) checkRange(at + "padding", l.padding, -1, 1024);
        if (uses("padding") && l.padding < 0 && l.kernel % 2 == 0)
            throw SpecError(at + "padding", "\"same\" needs an odd kernel (kernel is " +
                                                std::to_string(l.kernel) + ")");
        if (uses("size")) checkRange(at + "size", l.size, 1, 1024);
        if (uses("dim")) checkRange(at + "dim", l.dim, 1, 65536);
        if (l.type == "repeat") {
            checkRange(at + "times", l.times, 0, 1000);
            if (l.layers.empty()) throw SpecError(at + "layers", "a repeat block needs layers");
            validateLayers(l.layers, at + "layers", depth + 1);
        }
    }
}

// The layers a stack stands for once its repeat blocks are unrolled, stopping past `cap`.
size_t unrolledCount(const std::vector<LayerSpec> &layers, size_t cap) {
    size_t n = 0;
    for (const LayerSpec &l : layers) {
        n += l.type == "repeat" ? size_t(std::max(l.times, 0)) * unrolledCount(l.layers, cap) : 1;
        if (n > cap) return cap + 1;
    }
    return n;
}

LayerSpec layer(const std::string &type) {
    LayerSpec l = defaultLayer(type);
    l.layers.clear();
    return l;
}
LayerSpec dense(int units, const std::string &activation) {
    LayerSpec l = layer("dense");
    l.units = units;
    l.activation = activation;
    return l;
}
LayerSpec dropout(double rate) {
    LayerSpec l = layer("dropout");
    l.rate = rate;
    return l;
}

} // namespace

bool LayerSpec::operator==(const LayerSpec &o) const {
    return type == o.type && units == o.units && activation == o.activation && rate == o.rate &&
           filters == o.filters && kernel == o.kernel && stride == o.stride &&
           padding == o.padding && size == o.size && dim == o.dim &&
           bidirectional == o.bidirectional && returnSequences == o.returnSequences &&
           times == o.times && layers == o.layers;
}

const std::vector<std::string> &modelTypes() {
    static const std::vector<std::string> types = {"mlp", "cnn", "text_cnn", "sequential",
                                                   "torchscript"};
    return types;
}

const std::vector<std::string> &layerTypes() {
    static const std::vector<std::string> types = {
        "dense",    "dropout",    "conv1d",          "conv2d",
        "max_pool", "avg_pool",   "global_max_pool", "global_avg_pool",
        "flatten",  "batch_norm", "layer_norm",      "embedding",
        "lstm",     "gru",        "activation",      "repeat"};
    return types;
}

const std::vector<std::string> &activationNames() {
    static const std::vector<std::string> names = {"none", "relu", "tanh",       "sigmoid",
                                                   "gelu", "elu",  "leaky_relu", "silu"};
    return names;
}

const std::vector<std::string> &modelFields(const std::string &type) {
    static const std::vector<std::string> none = {"type"};
    const auto it = modelFieldTable().find(type);
    return it == modelFieldTable().end() ? none : it->second;
}

const std::vector<std::string> &layerFields(const std::string &type) {
    static const std::vector<std::string> none = {"type"};
    const auto it = layerFieldTable().find(type);
    return it == layerFieldTable().end() ? none : it->second;
}

bool layerReads(const std::string &type, const std::string &field) {
    const auto &fields = layerFields(type);
    return std::find(fields.begin(), fields.end(), field) != fields.end();
}

LayerSpec defaultLayer(const std::string &type) {
    LayerSpec l;
    l.type = type;
    if (type == "max_pool" || type == "avg_pool") l.stride = 0;
    if (type == "repeat") l.layers = {LayerSpec{}};
    return l;
}

std::vector<LayerSpec> modelLayers(const ModelSpec &model, const std::vector<int64_t> &shape) {
    std::vector<LayerSpec> out;
    if (model.type == "sequential") return model.layers;
    if (model.type == "text_cnn") {
        LayerSpec embedding = layer("embedding"), conv = layer("conv1d");
        embedding.dim = model.embeddingDim;
        conv.filters = model.channels.empty() ? 128 : model.channels.front();
        conv.kernel = 5;
        conv.padding = -1;
        conv.activation = "relu";
        out = {embedding, conv, layer("global_max_pool")};
        if (model.dropout > 0) out.push_back(dropout(model.dropout));
        out.push_back(dense(0, "none"));
        return out;
    }
    std::vector<int> hidden = model.hidden;
    if (model.type == "cnn") {
        int64_t h = shape.size() == 3 ? shape[1] : 1, w = shape.size() == 3 ? shape[2] : 1;
        for (int c : model.channels) {
            LayerSpec conv = layer("conv2d");
            conv.filters = c;
            conv.padding = -1;
            conv.activation = "relu";
            out.push_back(conv);
            if (h >= 2 && w >= 2) { // the old preset's rule: pool while the image allows
                out.push_back(layer("max_pool"));
                h /= 2, w /= 2;
            }
        }
        hidden = {128};
    }
    out.push_back(layer("flatten"));
    for (int units : hidden) {
        out.push_back(dense(units, "relu"));
        if (model.dropout > 0) out.push_back(dropout(model.dropout));
    }
    out.push_back(dense(0, "none"));
    return out;
}

std::string layersText(const std::vector<LayerSpec> &layers) {
    std::string out;
    for (const LayerSpec &l : layers) {
        std::vector<std::string> args;
        const auto &fields = layerFields(l.type);
        auto uses = [&](const char *name) { return contains(fields, name); };
        if (uses("units")) args.push_back(l.units ? std::to_string(l.units) : "classes");
        if (uses("filters"))
            args.push_back(std::to_string(l.filters) + "x" + std::to_string(l.kernel));
        if (uses("dim")) args.push_back(std::to_string(l.dim));
        if (uses("rate")) args.push_back(specNumber(l.rate));
        if (uses("size")) args.push_back(std::to_string(l.size));
        if (uses("bidirectional") && l.bidirectional) args.push_back("bidirectional");
        if (uses("return_sequences") && l.returnSequences) args.push_back("sequences");
        if (uses("activation") && l.activation != "none") args.push_back(l.activation);
        std::string text = l.type;
        if (l.type == "repeat")
            text = std::to_string(l.times) + "x[" + layersText(l.layers) + "]";
        else if (!args.empty())
            text += "(" + joined(args) + ")";
        out += (out.empty() ? "" : " ") + text;
    }
    return out;
}

bool matchesPattern(const std::string &name, const std::string &pattern) {
    // Iterative glob with backtracking to the last '*'.
    size_t n = 0, p = 0, star = std::string::npos, mark = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++n, ++p;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++, mark = n;
        } else if (star != std::string::npos) {
            p = star + 1, n = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

void validateModel(const ModelSpec &model) {
    checkChoice("model.type", model.type, modelTypes());
    checkRange("model.embedding_dim", model.embeddingDim, 1, 4096);
    checkRange("model.dropout", model.dropout, 0, 0.95);
    for (int h : model.hidden)
        if (h < 1 || h > 65536) throw SpecError("model.hidden", "sizes must be in [1, 65536]");
    for (int c : model.channels)
        if (c < 1 || c > 4096) throw SpecError("model.channels", "counts must be in [1, 4096]");
    if (model.type == "cnn" && model.channels.empty())
        throw SpecError("model.channels", "a cnn needs at least one");
    if (model.type == "sequential") {
        if (model.layers.empty())
            throw SpecError("model.layers", "a sequential model needs at least one layer");
        validateLayers(model.layers, "model.layers", 0);
        // Nested repeats multiply: a hostile spec must not build a billion layers.
        constexpr size_t kMaxLayers = 4096;
        if (unrolledCount(model.layers, kMaxLayers) > kMaxLayers)
            throw SpecError("model.layers", "its repeat blocks unroll to more than " +
                                                std::to_string(kMaxLayers) + " layers");
    }
    if (model.type == "torchscript" && model.path.empty())
        throw SpecError("model.path", "a torchscript model needs the file saved by torch.jit.save");
    for (const std::string &pattern : model.freeze)
        if (pattern.empty()) throw SpecError("model.freeze", "a pattern must not be empty");
}

ModelSpec parseModel(const json &object) {
    ModelSpec m;
    {
        SpecFields f(object, "model");
        f.string("type", m.type);
        refuseFieldsOfOtherTypes(object, "model", "model", m.type, modelFieldTable());
        f.integer("embedding_dim", m.embeddingDim);
        f.integers("hidden", m.hidden);
        f.integers("channels", m.channels);
        f.number("dropout", m.dropout);
        if (const json *layers = f.at("layers")) m.layers = parseLayers(*layers, "model.layers");
        f.string("path", m.path);
        if (const json *freeze = f.at("freeze")) {
            if (!freeze->is_array())
                throw SpecError("model.freeze",
                                "expected a list of name patterns, e.g. [\"base.*\"]");
            for (const json &p : *freeze) {
                if (!p.is_string())
                    throw SpecError("model.freeze",
                                    "expected a list of name patterns, got " + freeze->dump());
                m.freeze.push_back(p.get<std::string>());
            }
        }
    } // the fields' check (a throwing destructor) ends before the value is returned
    return m;
}

json modelJson(const ModelSpec &m) {
    json j = json::object();
    for (const std::string &name : modelFields(m.type)) {
        if (name == "type") j["type"] = m.type;
        if (name == "hidden") j["hidden"] = m.hidden;
        if (name == "channels") j["channels"] = m.channels;
        if (name == "dropout") j["dropout"] = m.dropout;
        if (name == "embedding_dim") j["embedding_dim"] = m.embeddingDim;
        if (name == "layers") {
            j["layers"] = json::array();
            for (const LayerSpec &l : m.layers)
                j["layers"].push_back(layerJson(l));
        }
        if (name == "path") j["path"] = m.path;
        if (name == "freeze") j["freeze"] = m.freeze;
    }
    if (!modelFieldTable().count(m.type)) j["type"] = m.type;
    return j;
}

} // namespace trainscope
