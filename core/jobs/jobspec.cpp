#include "jobspec.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace trainscope {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

// Reads the fields of one JSON object, rejecting any it does not know.
class Fields {
public:
    Fields(const json &j, std::string path)
        : m_j(j)
        , m_path(std::move(path)) {
        if (!j.is_object()) throw SpecError(m_path.empty() ? "spec" : m_path, "must be an object");
    }
    ~Fields() noexcept(false) {
        if (std::uncaught_exceptions()) return;
        for (auto it = m_j.begin(); it != m_j.end(); ++it)
            if (std::find(m_seen.begin(), m_seen.end(), it.key()) == m_seen.end())
                throw SpecError(field(it.key()), "unknown field (known: " + join(m_seen) + ")");
    }
    std::string field(const std::string &key) const {
        return m_path.empty() ? key : m_path + "." + key;
    }

    template <typename T> void get(const std::string &key, T &out) {
        m_seen.push_back(key);
        if (!m_j.contains(key)) return;
        try {
            out = m_j.at(key).get<T>();
        } catch (const json::exception &) {
            throw SpecError(field(key), std::string("expected ") + typeName<T>() + ", got " +
                                            m_j.at(key).dump());
        }
    }
    void number(const std::string &key, double &out, double min, double max) {
        get(key, out);
        if (out < min || out > max)
            throw SpecError(field(key), std::to_string(out) + " is outside [" +
                                            std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    void integer(const std::string &key, int &out, int min, int max) {
        get(key, out);
        if (out < min || out > max)
            throw SpecError(field(key), std::to_string(out) + " is outside [" +
                                            std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    void choice(const std::string &key, std::string &out, const std::vector<std::string> &allowed) {
        get(key, out);
        if (std::find(allowed.begin(), allowed.end(), out) == allowed.end())
            throw SpecError(field(key), "'" + out + "' is not one of " + join(allowed));
    }
    // An integer, or "autotune" stored as `autotuneValue`.
    void integerOrAutotune(const std::string &key, int &out, int min, int max, int autotuneValue) {
        if (m_j.contains(key) && m_j.at(key).is_string()) {
            m_seen.push_back(key);
            if (m_j.at(key).get<std::string>() != "autotune")
                throw SpecError(field(key),
                                "expected a number or \"autotune\", got " + m_j.at(key).dump());
            out = autotuneValue;
            return;
        }
        integer(key, out, min, max);
    }
    bool has(const std::string &key) const { return m_j.contains(key); }
    bool isNull(const std::string &key) const { return m_j.contains(key) && m_j.at(key).is_null(); }
    void skip(const std::string &key) { m_seen.push_back(key); }
    const json &at(const std::string &key) {
        m_seen.push_back(key);
        return m_j.at(key);
    }

private:
    template <typename T> static const char *typeName() {
        if constexpr (std::is_same_v<T, std::string>)
            return "a string";
        else if constexpr (std::is_same_v<T, bool>)
            return "true or false";
        else if constexpr (std::is_arithmetic_v<T>)
            return "a number";
        else
            return "a list";
    }
    const json &m_j;
    std::string m_path;
    std::vector<std::string> m_seen;
};

const std::vector<std::string> kOps = {"flip", "crop", "noise", "blur"};

std::vector<AugmentOp> parseOps(const json &list, const std::string &path) {
    if (!list.is_array()) throw SpecError(path, "must be a list of {\"op\": ..., \"amount\": ...}");
    std::vector<AugmentOp> ops;
    for (size_t i = 0; i < list.size(); ++i) {
        Fields f(list[i], path + "[" + std::to_string(i) + "]");
        AugmentOp op;
        f.choice("op", op.op, kOps);
        f.number("amount", op.amount, 0, 100);
        ops.push_back(op);
    }
    return ops;
}

json opsJson(const std::vector<AugmentOp> &ops) {
    json list = json::array();
    for (const auto &op : ops)
        list.push_back({{"op", op.op}, {"amount", op.amount}});
    return list;
}

JobSpec parse(const json &j) {
    JobSpec s;
    Fields top(j, "");
    top.get("name", s.name);
    if (s.name.empty()) throw SpecError("name", "must not be empty");
    if (top.has("dataset")) {
        Fields f(top.at("dataset"), "dataset");
        f.choice("name", s.dataset.name,
                 {"fashion_mnist", "image_folder", "text_folder", "synthetic"});
        f.get("path", s.dataset.path);
        f.integer("limit", s.dataset.limit, 0, 100'000'000);
        f.number("validation_split", s.dataset.validationSplit, 0, 0.9);
        f.integer("seed", s.dataset.seed, 0, 1 << 30);
        f.get("image_size", s.dataset.imageSize);
        if (s.dataset.imageSize.size() != 2 || s.dataset.imageSize[0] < 1 ||
            s.dataset.imageSize[1] < 1 || s.dataset.imageSize[0] > 4096 ||
            s.dataset.imageSize[1] > 4096)
            throw SpecError("dataset.image_size", "expected [height, width], each in [1, 4096]");
        f.integer("channels", s.dataset.channels, 1, 3);
        if (s.dataset.channels == 2)
            throw SpecError("dataset.channels", "must be 1 (grey) or 3 (RGB)");
        f.choice("text_mode", s.dataset.textMode, {"int", "multi_hot"});
        f.integer("max_tokens", s.dataset.maxTokens, 3, 1 << 22);
        f.integer("sequence_length", s.dataset.sequenceLength, 1, 1 << 20);
    }
    if (top.has("pipeline")) {
        Fields f(top.at("pipeline"), "pipeline");
        f.integerOrAutotune("map_workers", s.pipeline.mapWorkers, 1, 64, 0);
        f.integer("shuffle_buffer", s.pipeline.shuffleBuffer, 0, 10'000'000);
        if (f.has("preprocess"))
            s.pipeline.preprocess = parseOps(f.at("preprocess"), "pipeline.preprocess");
        if (f.has("augment")) s.pipeline.augment = parseOps(f.at("augment"), "pipeline.augment");
        f.choice("cache", s.pipeline.cache, {"none", "memory"});
        f.integerOrAutotune("prefetch", s.pipeline.prefetch, 0, 64, -1);
        f.get("snapshot", s.pipeline.snapshot);
        f.get("pin_memory", s.pipeline.pinMemory);
    }
    if (top.has("model")) {
        Fields f(top.at("model"), "model");
        f.choice("type", s.model.type, {"mlp", "cnn", "text_cnn"});
        f.integer("embedding_dim", s.model.embeddingDim, 1, 4096);
        f.get("hidden", s.model.hidden);
        f.get("channels", s.model.channels);
        f.number("dropout", s.model.dropout, 0, 0.95);
        for (int h : s.model.hidden)
            if (h < 1 || h > 65536) throw SpecError("model.hidden", "sizes must be in [1, 65536]");
        for (int c : s.model.channels)
            if (c < 1 || c > 4096) throw SpecError("model.channels", "counts must be in [1, 4096]");
        if (s.model.type == "cnn" && s.model.channels.empty())
            throw SpecError("model.channels", "a cnn needs at least one");
    }
    if (top.has("optimizer")) {
        Fields f(top.at("optimizer"), "optimizer");
        f.choice("type", s.optimizer.type, {"sgd", "adam", "adamw"});
        f.number("learning_rate", s.optimizer.learningRate, 1e-9, 10);
        f.number("momentum", s.optimizer.momentum, 0, 0.9999);
        f.number("weight_decay", s.optimizer.weightDecay, 0, 1);
    }
    if (top.has("training")) {
        Fields f(top.at("training"), "training");
        f.integer("epochs", s.training.epochs, 1, 100000);
        f.integer("batch_size", s.training.batchSize, 1, 1 << 20);
        f.choice("device", s.training.device, {"cpu", "cuda", "auto"});
        f.choice("mixed_precision", s.training.mixedPrecision, {"none", "fp16", "bf16"});
        f.integer("seed", s.training.seed, 0, 1 << 30);
        f.integer("threads", s.training.threads, 0, 256);
        f.get("initial_weights", s.training.initialWeights);
        f.integer("initial_epoch", s.training.initialEpoch, 0, 100000);
        if (s.training.initialEpoch >= s.training.epochs)
            throw SpecError("training.initial_epoch", "must be below training.epochs (" +
                                                          std::to_string(s.training.epochs) + ")");
    }
    if (top.has("early_stopping") && !top.at("early_stopping").is_null()) {
        EarlyStoppingSpec e;
        Fields f(j.at("early_stopping"), "early_stopping");
        f.choice("monitor", e.monitor,
                 {"val/loss", "val/accuracy", "train/loss", "train/accuracy"});
        f.choice("mode", e.mode, {"min", "max", "auto"});
        f.integer("patience", e.patience, 0, 100000);
        f.number("min_delta", e.minDelta, 0, 1e9);
        if (f.has("baseline") && !f.isNull("baseline")) {
            double b = 0;
            f.number("baseline", b, -1e300, 1e300);
            e.baseline = b;
        } else {
            f.skip("baseline"); // absent or null: no baseline
        }
        f.get("restore_best_weights", e.restoreBestWeights);
        s.earlyStopping = e;
    }
    if (top.has("callbacks")) {
        Fields f(top.at("callbacks"), "callbacks");
        f.get("checkpoint", s.checkpoint);
        f.get("confusion_matrix", s.confusionMatrix);
        f.integer("histograms_every", s.histogramsEvery, 0, 100000);
    }
    if (top.has("profile")) {
        Fields f(top.at("profile"), "profile");
        f.get("enabled", s.profile.enabled);
        f.integer("skip_first", s.profile.skipFirst, 0, 1 << 30);
        f.integer("wait", s.profile.wait, 0, 1 << 30);
        f.integer("warmup", s.profile.warmup, 0, 1 << 30);
        f.integer("active", s.profile.active, 1, 1 << 30);
        f.integer("repeat", s.profile.repeat, 0, 1 << 30);
    }
    return s;
}

} // namespace

JobSpec JobSpec::fromJson(const std::string &text) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error &e) {
        throw SpecError("spec", std::string("not valid JSON: ") + e.what());
    }
    return parse(j);
}

JobSpec JobSpec::fromFile(const std::string &path) {
    std::ifstream in(path);
    if (!in) throw SpecError(path, "cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        return fromJson(ss.str());
    } catch (const SpecError &e) {
        throw SpecError(path + ": " + e.field(),
                        std::string(e.what()).substr(e.field().size() + 2));
    }
}

std::string JobSpec::toJson() const {
    json j;
    j["name"] = name;
    j["dataset"] = {{"name", dataset.name},
                    {"path", dataset.path},
                    {"limit", dataset.limit},
                    {"validation_split", dataset.validationSplit},
                    {"seed", dataset.seed}};
    j["pipeline"] = {
        {"map_workers", pipeline.mapWorkers == 0 ? json("autotune") : json(pipeline.mapWorkers)},
        {"shuffle_buffer", pipeline.shuffleBuffer},
        {"preprocess", opsJson(pipeline.preprocess)},
        {"augment", opsJson(pipeline.augment)},
        {"cache", pipeline.cache},
        {"prefetch", pipeline.prefetch < 0 ? json("autotune") : json(pipeline.prefetch)},
        {"snapshot", pipeline.snapshot},
        {"pin_memory", pipeline.pinMemory}};
    j["model"] = {{"type", model.type},
                  {"hidden", model.hidden},
                  {"channels", model.channels},
                  {"dropout", model.dropout},
                  {"embedding_dim", model.embeddingDim}};
    j["optimizer"] = {{"type", optimizer.type},
                      {"learning_rate", optimizer.learningRate},
                      {"momentum", optimizer.momentum},
                      {"weight_decay", optimizer.weightDecay}};
    j["training"] = {{"epochs", training.epochs},
                     {"batch_size", training.batchSize},
                     {"device", training.device},
                     {"mixed_precision", training.mixedPrecision},
                     {"seed", training.seed},
                     {"threads", training.threads},
                     {"initial_weights", training.initialWeights},
                     {"initial_epoch", training.initialEpoch}};
    if (earlyStopping)
        j["early_stopping"] = {
            {"monitor", earlyStopping->monitor},
            {"mode", earlyStopping->mode},
            {"patience", earlyStopping->patience},
            {"min_delta", earlyStopping->minDelta},
            {"baseline", earlyStopping->baseline ? json(*earlyStopping->baseline) : json(nullptr)},
            {"restore_best_weights", earlyStopping->restoreBestWeights}};
    j["callbacks"] = {{"checkpoint", checkpoint},
                      {"confusion_matrix", confusionMatrix},
                      {"histograms_every", histogramsEvery}};
    j["profile"] = {{"enabled", profile.enabled}, {"skip_first", profile.skipFirst},
                    {"wait", profile.wait},       {"warmup", profile.warmup},
                    {"active", profile.active},   {"repeat", profile.repeat}};
    return j.dump(2);
}

void JobSpec::set(const std::string &assignment) {
    const size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw SpecError(assignment, "expected key=value, e.g. optimizer.learning_rate=0.01");
    const std::string key = assignment.substr(0, eq), text = assignment.substr(eq + 1);
    json value;
    try {
        value = json::parse(text); // numbers, booleans, lists, quoted strings
    } catch (const json::parse_error &) {
        value = text; // a bare word is a string
    }
    json j = json::parse(toJson());
    json *node = &j;
    size_t start = 0;
    for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) {
        const std::string part = key.substr(start, dot - start);
        if (!node->is_object() || !node->contains(part)) {
            if (node != &j || part != "early_stopping") throw SpecError(key, "no such field");
            JobSpec defaults; // early stopping is off until a field of it is set
            defaults.earlyStopping.emplace();
            (*node)[part] = json::parse(defaults.toJson())[part];
        }
        node = &(*node)[part];
    }
    const std::string leaf = key.substr(start);
    if (!node->is_object() || !node->contains(leaf)) throw SpecError(key, "no such field");
    // A single value for a list field ("model.hidden=256") means a list of one.
    if ((*node)[leaf].is_array() && !value.is_array()) value = json::array({value});
    (*node)[leaf] = value;
    *this = parse(j); // validates, and rejects unknown leaves
}

std::map<std::string, std::string> JobSpec::hparams() const {
    auto num = [](double v) {
        std::ostringstream s;
        s << v;
        return s.str();
    };
    std::string hidden;
    for (int h : model.hidden)
        hidden += (hidden.empty() ? "" : ",") + std::to_string(h);
    return {{"model.type", model.type},
            {"model.hidden", hidden},
            {"model.dropout", num(model.dropout)},
            {"optimizer.type", optimizer.type},
            {"optimizer.learning_rate", num(optimizer.learningRate)},
            {"training.batch_size", std::to_string(training.batchSize)},
            {"training.epochs", std::to_string(training.epochs)},
            {"pipeline.map_workers",
             pipeline.mapWorkers ? std::to_string(pipeline.mapWorkers) : "autotune"},
            {"pipeline.prefetch",
             pipeline.prefetch < 0 ? "autotune" : std::to_string(pipeline.prefetch)},
            {"pipeline.cache", pipeline.cache}};
}

} // namespace trainscope
