#include "core/jobs/jobspec.h"

#include "core/jobs/observer.h"
#include "core/jobs/specfields.h"

#include <sstream>

namespace trainscope {
namespace {

using nlohmann::json;

const std::vector<std::string> kOps = {"flip", "crop", "noise", "blur"};

std::vector<AugmentOp> parseOps(const json &list, const std::string &path) {
    if (!list.is_array()) throw SpecError(path, "must be a list of {\"op\": ..., \"amount\": ...}");
    std::vector<AugmentOp> ops;
    for (size_t i = 0; i < list.size(); ++i) {
        SpecFields f(list[i], path + "[" + std::to_string(i) + "]");
        AugmentOp op;
        f.string("op", op.op);
        f.number("amount", op.amount);
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

void checkOps(const std::vector<AugmentOp> &ops, const std::string &path) {
    for (size_t i = 0; i < ops.size(); ++i) {
        const std::string field = path + "[" + std::to_string(i) + "]";
        checkChoice(field + ".op", ops[i].op, kOps);
        checkRange(field + ".amount", ops[i].amount, 0, 100);
    }
}

// Reads the fields with their types; JobSpec::validate checks the values.
JobSpec parse(const json &j) {
    JobSpec s;
    SpecFields top(j, "");
    top.string("name", s.name);
    if (const json *dataset = top.at("dataset")) {
        SpecFields f(*dataset, "dataset");
        f.string("name", s.dataset.name);
        f.string("path", s.dataset.path);
        f.integer("limit", s.dataset.limit);
        f.number("validation_split", s.dataset.validationSplit);
        f.integer("seed", s.dataset.seed);
        f.integers("image_size", s.dataset.imageSize);
        f.integer("channels", s.dataset.channels);
        f.string("text_mode", s.dataset.textMode);
        f.integer("max_tokens", s.dataset.maxTokens);
        f.integer("sequence_length", s.dataset.sequenceLength);
    }
    if (const json *pipeline = top.at("pipeline")) {
        SpecFields f(*pipeline, "pipeline");
        f.integerOr("map_workers", "autotune", 0, s.pipeline.mapWorkers);
        f.integer("shuffle_buffer", s.pipeline.shuffleBuffer);
        if (const json *ops = f.at("preprocess"))
            s.pipeline.preprocess = parseOps(*ops, "pipeline.preprocess");
        if (const json *ops = f.at("augment"))
            s.pipeline.augment = parseOps(*ops, "pipeline.augment");
        f.string("cache", s.pipeline.cache);
        f.integerOr("prefetch", "autotune", -1, s.pipeline.prefetch);
        f.string("snapshot", s.pipeline.snapshot);
        f.boolean("pin_memory", s.pipeline.pinMemory);
    }
    if (const json *model = top.at("model")) {
        SpecFields f(*model, "model");
        f.string("type", s.model.type);
        f.integer("embedding_dim", s.model.embeddingDim);
        f.integers("hidden", s.model.hidden);
        f.integers("channels", s.model.channels);
        f.number("dropout", s.model.dropout);
    }
    if (const json *optimizer = top.at("optimizer")) {
        SpecFields f(*optimizer, "optimizer");
        f.string("type", s.optimizer.type);
        f.number("learning_rate", s.optimizer.learningRate);
        f.number("momentum", s.optimizer.momentum);
        f.number("weight_decay", s.optimizer.weightDecay);
    }
    if (const json *training = top.at("training")) {
        SpecFields f(*training, "training");
        f.integer("epochs", s.training.epochs);
        f.integer("batch_size", s.training.batchSize);
        f.string("device", s.training.device);
        f.string("mixed_precision", s.training.mixedPrecision);
        f.integer("seed", s.training.seed);
        f.integer("threads", s.training.threads);
        f.string("initial_weights", s.training.initialWeights);
        f.integer("initial_epoch", s.training.initialEpoch);
    }
    if (const json *early = top.at("early_stopping"); early && !early->is_null()) {
        EarlyStoppingSpec e;
        SpecFields f(*early, "early_stopping");
        f.string("monitor", e.monitor);
        f.string("mode", e.mode);
        f.integer("patience", e.patience);
        f.number("min_delta", e.minDelta);
        if (const json *b = f.at("baseline"); b && !b->is_null()) { // null: no baseline
            double baseline = 0;
            f.number("baseline", baseline);
            e.baseline = baseline;
        }
        f.boolean("restore_best_weights", e.restoreBestWeights);
        s.earlyStopping = e;
    }
    if (const json *callbacks = top.at("callbacks")) {
        SpecFields f(*callbacks, "callbacks");
        f.boolean("checkpoint", s.checkpoint);
        f.boolean("confusion_matrix", s.confusionMatrix);
        f.integer("histograms_every", s.histogramsEvery);
    }
    if (const json *profile = top.at("profile")) {
        SpecFields f(*profile, "profile");
        f.boolean("enabled", s.profile.enabled);
        f.integer("skip_first", s.profile.skipFirst);
        f.integer("wait", s.profile.wait);
        f.integer("warmup", s.profile.warmup);
        f.integer("active", s.profile.active);
        f.integer("repeat", s.profile.repeat);
    }
    return s;
}

// The spec as a JSON object (what toJson writes and set edits).
json specJson(const JobSpec &spec) {
    const auto &[name, dataset, pipeline, model, optimizer, training, earlyStopping, checkpoint,
                 confusionMatrix, histogramsEvery, profile] = spec;
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
    return j;
}

// parse, then validate: unknown fields and types are reported before values.
JobSpec parseAndValidate(const json &j) {
    JobSpec s = parse(j);
    s.validate();
    return s;
}

} // namespace

JobSpec JobSpec::fromJson(const std::string &text) {
    return parseAndValidate(parseSpecJson(text, "spec"));
}

JobSpec JobSpec::fromFile(const std::string &path) {
    return parseSpecFile(path, fromJson);
}

void JobSpec::validate() const {
    if (name.empty()) throw SpecError("name", "must not be empty");
    checkChoice("dataset.name", dataset.name,
                {"fashion_mnist", "image_folder", "text_folder", "synthetic"});
    checkRange("dataset.limit", dataset.limit, 0, 100'000'000);
    checkRange("dataset.validation_split", dataset.validationSplit, 0, 0.9);
    checkRange("dataset.seed", dataset.seed, 0, 1 << 30);
    if (dataset.imageSize.size() != 2 || dataset.imageSize[0] < 1 || dataset.imageSize[1] < 1 ||
        dataset.imageSize[0] > 4096 || dataset.imageSize[1] > 4096)
        throw SpecError("dataset.image_size", "expected [height, width], each in [1, 4096]");
    checkRange("dataset.channels", dataset.channels, 1, 3);
    if (dataset.channels == 2) throw SpecError("dataset.channels", "must be 1 (grey) or 3 (RGB)");
    checkChoice("dataset.text_mode", dataset.textMode, {"int", "multi_hot"});
    checkRange("dataset.max_tokens", dataset.maxTokens, 3, 1 << 22);
    checkRange("dataset.sequence_length", dataset.sequenceLength, 1, 1 << 20);

    if (pipeline.mapWorkers != 0) checkRange("pipeline.map_workers", pipeline.mapWorkers, 1, 64);
    checkRange("pipeline.shuffle_buffer", pipeline.shuffleBuffer, 0, 10'000'000);
    checkOps(pipeline.preprocess, "pipeline.preprocess");
    checkOps(pipeline.augment, "pipeline.augment");
    checkChoice("pipeline.cache", pipeline.cache, {"none", "memory"});
    if (pipeline.prefetch != -1) checkRange("pipeline.prefetch", pipeline.prefetch, 0, 64);

    checkChoice("model.type", model.type, {"mlp", "cnn", "text_cnn"});
    checkRange("model.embedding_dim", model.embeddingDim, 1, 4096);
    checkRange("model.dropout", model.dropout, 0, 0.95);
    for (int h : model.hidden)
        if (h < 1 || h > 65536) throw SpecError("model.hidden", "sizes must be in [1, 65536]");
    for (int c : model.channels)
        if (c < 1 || c > 4096) throw SpecError("model.channels", "counts must be in [1, 4096]");
    if (model.type == "cnn" && model.channels.empty())
        throw SpecError("model.channels", "a cnn needs at least one");

    checkChoice("optimizer.type", optimizer.type, {"sgd", "adam", "adamw"});
    checkRange("optimizer.learning_rate", optimizer.learningRate, 1e-9, 10);
    checkRange("optimizer.momentum", optimizer.momentum, 0, 0.9999);
    checkRange("optimizer.weight_decay", optimizer.weightDecay, 0, 1);

    checkRange("training.epochs", training.epochs, 1, 100000);
    checkRange("training.batch_size", training.batchSize, 1, 1 << 20);
    checkChoice("training.device", training.device, {"cpu", "cuda", "auto"});
    checkChoice("training.mixed_precision", training.mixedPrecision, {"none", "fp16", "bf16"});
    checkRange("training.seed", training.seed, 0, 1 << 30);
    checkRange("training.threads", training.threads, 0, 256);
    checkRange("training.initial_epoch", training.initialEpoch, 0, 100000);
    if (training.initialEpoch >= training.epochs)
        throw SpecError("training.initial_epoch",
                        "must be below training.epochs (" + std::to_string(training.epochs) + ")");

    if (earlyStopping) {
        const EarlyStoppingSpec &e = *earlyStopping;
        checkChoice("early_stopping.monitor", e.monitor, jobMetrics());
        checkChoice("early_stopping.mode", e.mode, {"min", "max", "auto"});
        checkRange("early_stopping.patience", e.patience, 0, 100000);
        checkRange("early_stopping.min_delta", e.minDelta, 0, 1e9);
        if (e.baseline) checkRange("early_stopping.baseline", *e.baseline, -1e300, 1e300);
    }
    checkRange("callbacks.histograms_every", histogramsEvery, 0, 100000);

    checkRange("profile.skip_first", profile.skipFirst, 0, 1 << 30);
    checkRange("profile.wait", profile.wait, 0, 1 << 30);
    checkRange("profile.warmup", profile.warmup, 0, 1 << 30);
    checkRange("profile.active", profile.active, 1, 1 << 30);
    checkRange("profile.repeat", profile.repeat, 0, 1 << 30);
}

std::string JobSpec::toJson() const {
    return specJson(*this).dump(2);
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
    json j = specJson(*this);
    json *node = &j;
    size_t start = 0;
    for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) {
        const std::string part = key.substr(start, dot - start);
        if (!node->is_object() || !node->contains(part)) {
            if (node != &j || part != "early_stopping") throw SpecError(key, "no such field");
            JobSpec defaults; // early stopping is off until a field of it is set
            defaults.earlyStopping.emplace();
            (*node)[part] = specJson(defaults)[part];
        }
        node = &(*node)[part];
    }
    const std::string leaf = key.substr(start);
    if (!node->is_object() || !node->contains(leaf)) throw SpecError(key, "no such field");
    // A single value for a list field ("model.hidden=256") means a list of one.
    if ((*node)[leaf].is_array() && !value.is_array()) value = json::array({value});
    (*node)[leaf] = value;
    *this = parseAndValidate(j); // rejects unknown leaves and bad values
}

std::map<std::string, HParamValue> JobSpec::hparams() const {
    std::string hidden;
    for (int h : model.hidden)
        hidden += (hidden.empty() ? "" : ",") + std::to_string(h);
    auto autotuned = [](int v, bool autotune) -> HParamValue {
        return autotune ? HParamValue(std::string("autotune")) : HParamValue(double(v));
    };
    return {{"model.type", model.type},
            {"model.hidden", hidden},
            {"model.dropout", model.dropout},
            {"optimizer.type", optimizer.type},
            {"optimizer.learning_rate", optimizer.learningRate},
            {"training.batch_size", double(training.batchSize)},
            {"training.epochs", double(training.epochs)},
            {"pipeline.map_workers", autotuned(pipeline.mapWorkers, pipeline.mapWorkers == 0)},
            {"pipeline.prefetch", autotuned(pipeline.prefetch, pipeline.prefetch < 0)},
            {"pipeline.cache", pipeline.cache}};
}

} // namespace trainscope
