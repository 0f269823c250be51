#include "core/jobs/jobspec.h"

#include "core/jobs/modeljson.h"
#include "core/jobs/observer.h"
#include "core/jobs/specfields.h"

#include <algorithm>
#include <sstream>

namespace trainscope {
namespace {

using nlohmann::json;

const std::vector<std::string> kOps = {"flip",         "crop",     "noise",      "blur",
                                       "central_crop", "contrast", "brightness", "saturation",
                                       "hue",          "resize"};

const FieldsByType &scheduleFieldTable() {
    static const FieldsByType table = {
        {"none", {"type"}},
        {"step", {"type", "step_epochs", "gamma"}},
        {"exponential", {"type", "gamma"}},
        {"cosine", {"type", "warmup_epochs", "min_learning_rate"}},
        {"one_cycle", {"type", "pct_start", "div_factor", "final_div_factor"}},
        {"reduce_on_plateau",
         {"type", "monitor", "mode", "factor", "patience", "min_delta", "cooldown",
          "min_learning_rate"}}};
    return table;
}

ScheduleSpec parseSchedule(const json &object) {
    ScheduleSpec s;
    {
        SpecFields f(object, "optimizer.schedule");
        f.string("type", s.type);
        refuseFieldsOfOtherTypes(object, "optimizer.schedule", "schedule", s.type,
                                 scheduleFieldTable());
        f.integer("step_epochs", s.stepEpochs);
        f.number("gamma", s.gamma);
        f.number("warmup_epochs", s.warmupEpochs);
        f.number("min_learning_rate", s.minLearningRate);
        f.number("pct_start", s.pctStart);
        f.number("div_factor", s.divFactor);
        f.number("final_div_factor", s.finalDivFactor);
        f.string("monitor", s.monitor);
        f.string("mode", s.mode);
        f.number("factor", s.factor);
        f.integer("patience", s.patience);
        f.number("min_delta", s.minDelta);
        f.integer("cooldown", s.cooldown);
    } // the fields' check (a throwing destructor) ends before the value is returned
    return s;
}

json scheduleJson(const ScheduleSpec &s) {
    const json all = {{"type", s.type},
                      {"step_epochs", s.stepEpochs},
                      {"gamma", s.gamma},
                      {"warmup_epochs", s.warmupEpochs},
                      {"min_learning_rate", s.minLearningRate},
                      {"pct_start", s.pctStart},
                      {"div_factor", s.divFactor},
                      {"final_div_factor", s.finalDivFactor},
                      {"monitor", s.monitor},
                      {"mode", s.mode},
                      {"factor", s.factor},
                      {"patience", s.patience},
                      {"min_delta", s.minDelta},
                      {"cooldown", s.cooldown}};
    json j = json::object();
    for (const std::string &name : scheduleFields(s.type))
        j[name] = all.at(name);
    return j;
}

void validateSchedule(const ScheduleSpec &s) {
    const std::string at = "optimizer.schedule.";
    checkChoice(at + "type", s.type,
                {"none", "step", "exponential", "cosine", "one_cycle", "reduce_on_plateau"});
    checkRange(at + "step_epochs", s.stepEpochs, 1, 100000);
    checkRange(at + "gamma", s.gamma, 1e-9, 1);
    checkRange(at + "warmup_epochs", s.warmupEpochs, 0, 100000);
    checkRange(at + "min_learning_rate", s.minLearningRate, 0, 10);
    checkRange(at + "pct_start", s.pctStart, 0, 1);
    checkRange(at + "div_factor", s.divFactor, 1, 1e9);
    checkRange(at + "final_div_factor", s.finalDivFactor, 1, 1e12);
    checkChoice(at + "monitor", s.monitor, jobMetrics());
    checkChoice(at + "mode", s.mode, {"min", "max", "auto"});
    checkRange(at + "factor", s.factor, 1e-9, 0.999999);
    checkRange(at + "patience", s.patience, 0, 100000);
    checkRange(at + "min_delta", s.minDelta, 0, 1e9);
    checkRange(at + "cooldown", s.cooldown, 0, 100000);
}

// The member `part` of an object, or the element at index `part` of a list; null when absent.
json *childOf(json &node, const std::string &part) {
    if (node.is_object()) return node.contains(part) ? &node[part] : nullptr;
    if (!node.is_array() || part.empty() ||
        part.find_first_not_of("0123456789") != std::string::npos || part.size() > 6)
        return nullptr;
    const size_t index = std::stoul(part);
    return index < node.size() ? &node[index] : nullptr;
}

// The table that decides which fields the object at `path` reads, when its type is set:
// "model", "model.layers.2", "model.layers.1.layers.0", "optimizer.schedule".
const FieldsByType *fieldTableAt(const std::string &path) {
    if (path == "model") return &modelFieldTable();
    if (path == "optimizer.schedule") return &scheduleFieldTable();
    const size_t at = path.rfind(".layers.");
    if (path.rfind("model.layers.", 0) == 0 && at != std::string::npos &&
        path.find('.', at + 8) == std::string::npos)
        return &layerFieldTable();
    return nullptr;
}

std::vector<AugmentOp> parseOps(const json &list, const std::string &path) {
    if (!list.is_array()) throw SpecError(path, "must be a list of {\"op\": ..., \"amount\": ...}");
    std::vector<AugmentOp> ops;
    for (size_t i = 0; i < list.size(); ++i) {
        SpecFields f(list[i], path + "[" + std::to_string(i) + "]");
        AugmentOp op;
        f.string("op", op.op);
        if (op.op == "resize")
            f.integers("size", op.size);
        else
            f.number("amount", op.amount);
        ops.push_back(op);
    }
    return ops;
}

json opsJson(const std::vector<AugmentOp> &ops) {
    json list = json::array();
    for (const auto &op : ops)
        list.push_back(op.op == "resize" ? json{{"op", op.op}, {"size", op.size}}
                                         : json{{"op", op.op}, {"amount", op.amount}});
    return list;
}

void checkOps(const std::vector<AugmentOp> &ops, const std::string &path, bool augment) {
    for (size_t i = 0; i < ops.size(); ++i) {
        const std::string field = path + "[" + std::to_string(i) + "]";
        const AugmentOp &op = ops[i];
        checkChoice(field + ".op", op.op, kOps);
        checkRange(field + ".amount", op.amount, 0, 100);
        if (augment && (op.op == "central_crop" || op.op == "resize"))
            throw SpecError(field + ".op", op.op + " changes the image's size: put it in "
                                                   "pipeline.preprocess");
        if (op.op == "central_crop" && !(op.amount > 0 && op.amount <= 1))
            throw SpecError(field + ".amount", "central_crop keeps a share in (0, 1]");
        if (op.op == "hue") checkRange(field + ".amount", op.amount, 0, 0.5);
        if (augment && (op.op == "contrast" || op.op == "saturation"))
            checkRange(field + ".amount", op.amount, 0, 1);
        if (op.op == "resize" && (op.size.size() != 2 || op.size[0] < 1 || op.size[1] < 1 ||
                                  op.size[0] > 4096 || op.size[1] > 4096))
            throw SpecError(field + ".size", "expected [height, width], each in [1, 4096]");
    }
}

// Reads the fields with their types; JobSpec::validate checks the values.
JobSpec parse(const json &j) {
    JobSpec s;
    {
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
            f.string("test_path", s.dataset.testPath);
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
        if (const json *model = top.at("model")) s.model = parseModel(*model);
        if (const json *optimizer = top.at("optimizer")) {
            SpecFields f(*optimizer, "optimizer");
            f.string("type", s.optimizer.type);
            f.number("learning_rate", s.optimizer.learningRate);
            f.number("momentum", s.optimizer.momentum);
            f.number("weight_decay", s.optimizer.weightDecay);
            f.number("clip_norm", s.optimizer.clipNorm);
            if (const json *schedule = f.at("schedule"))
                s.optimizer.schedule = parseSchedule(*schedule);
        }
        if (const json *training = top.at("training")) {
            SpecFields f(*training, "training");
            f.integer("epochs", s.training.epochs);
            f.integer("batch_size", s.training.batchSize);
            f.string("device", s.training.device);
            f.string("mixed_precision", s.training.mixedPrecision);
            f.integer("seed", s.training.seed);
            f.number("label_smoothing", s.training.labelSmoothing);
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
    } // the fields' check (a throwing destructor) ends before the value is returned
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
                    {"seed", dataset.seed},
                    {"image_size", dataset.imageSize},
                    {"channels", dataset.channels},
                    {"text_mode", dataset.textMode},
                    {"max_tokens", dataset.maxTokens},
                    {"sequence_length", dataset.sequenceLength},
                    {"test_path", dataset.testPath}};
    j["pipeline"] = {
        {"map_workers", pipeline.mapWorkers == 0 ? json("autotune") : json(pipeline.mapWorkers)},
        {"shuffle_buffer", pipeline.shuffleBuffer},
        {"preprocess", opsJson(pipeline.preprocess)},
        {"augment", opsJson(pipeline.augment)},
        {"cache", pipeline.cache},
        {"prefetch", pipeline.prefetch < 0 ? json("autotune") : json(pipeline.prefetch)},
        {"snapshot", pipeline.snapshot},
        {"pin_memory", pipeline.pinMemory}};
    j["model"] = modelJson(model);
    j["optimizer"] = {
        {"type", optimizer.type},          {"learning_rate", optimizer.learningRate},
        {"momentum", optimizer.momentum},  {"weight_decay", optimizer.weightDecay},
        {"clip_norm", optimizer.clipNorm}, {"schedule", scheduleJson(optimizer.schedule)}};
    j["training"] = {{"epochs", training.epochs},
                     {"batch_size", training.batchSize},
                     {"device", training.device},
                     {"mixed_precision", training.mixedPrecision},
                     {"seed", training.seed},
                     {"label_smoothing", training.labelSmoothing},
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
    checkOps(pipeline.preprocess, "pipeline.preprocess", false);
    checkOps(pipeline.augment, "pipeline.augment", true);
    checkChoice("pipeline.cache", pipeline.cache, {"none", "memory"});
    if (pipeline.prefetch != -1) checkRange("pipeline.prefetch", pipeline.prefetch, 0, 64);

    validateModel(model);

    checkChoice("optimizer.type", optimizer.type, {"sgd", "adam", "adamw"});
    checkRange("optimizer.learning_rate", optimizer.learningRate, 1e-9, 10);
    checkRange("optimizer.momentum", optimizer.momentum, 0, 0.9999);
    checkRange("optimizer.weight_decay", optimizer.weightDecay, 0, 1);
    checkRange("optimizer.clip_norm", optimizer.clipNorm, 0, 1e9);
    validateSchedule(optimizer.schedule);

    checkRange("training.epochs", training.epochs, 1, 100000);
    checkRange("training.batch_size", training.batchSize, 1, 1 << 20);
    if (!isCudaIndex(training.device))
        checkChoice("training.device", training.device, {"cpu", "cuda", "auto"});
    checkChoice("training.mixed_precision", training.mixedPrecision, {"none", "fp16", "bf16"});
    checkRange("training.seed", training.seed, 0, 1 << 30);
    checkRange("training.label_smoothing", training.labelSmoothing, 0, 0.99);
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

namespace {

// Applies "a.b.c=value" to the spec's JSON `j` (parsing and validation come after).
void assign(json &j, const std::string &assignment) {
    const size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw SpecError(assignment, "expected key=value, e.g. optimizer.learning_rate=0.01");
    const std::string rawKey = assignment.substr(0, eq), text = assignment.substr(eq + 1);
    json value;
    try {
        value = json::parse(text); // numbers, booleans, lists, quoted strings
    } catch (const json::parse_error &) {
        value = text; // a bare word is a string
    }
    json *node = &j;
    std::string path; // of `node`, in dots: "model.layers.2"
    std::string key = rawKey;
    for (size_t open; (open = key.find('[')) != std::string::npos;) // layers[2] is layers.2
        key.replace(open, key.find(']', open) - open + 1,
                    "." + key.substr(open + 1, key.find(']', open) - open - 1));
    size_t start = 0;
    for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) {
        const std::string part = key.substr(start, dot - start);
        json *next = childOf(*node, part);
        if (!next) {
            if (node != &j || part != "early_stopping") throw SpecError(key, "no such field");
            JobSpec defaults; // early stopping is off until a field of it is set
            defaults.earlyStopping.emplace();
            (*node)[part] = specJson(defaults)[part];
            next = &(*node)[part];
        }
        node = next;
        path += (path.empty() ? "" : ".") + part;
    }
    const std::string leaf = key.substr(start);
    const FieldsByType *typed = fieldTableAt(path);
    json *target = childOf(*node, leaf);
    // A typed object (a model, a layer, a schedule) takes any field name here: parsing says
    // whether its type reads it.
    if (!target && !(typed && node->is_object())) throw SpecError(key, "no such field");
    if (!target) target = &(*node)[leaf];
    // A single value for a list field ("model.hidden=256") means a list of one.
    if (target->is_array() && !value.is_array() && leaf != "layers") value = json::array({value});
    *target = value;
    if (typed && leaf == "type") keepFieldsOfType(*node, *typed);
}

} // namespace

void JobSpec::set(const std::string &assignment) {
    set(std::vector<std::string>{assignment});
}

void JobSpec::set(const std::vector<std::string> &assignments) {
    json j = specJson(*this);
    for (const std::string &a : assignments)
        assign(j, a);
    *this = parseAndValidate(j); // rejects unknown leaves and bad values
}

const std::vector<std::string> &scheduleFields(const std::string &type) {
    static const std::vector<std::string> none = {"type"};
    const auto it = scheduleFieldTable().find(type);
    return it == scheduleFieldTable().end() ? none : it->second;
}

namespace {

void tunableLayerFields(const std::vector<LayerSpec> &layers, const std::string &path,
                        std::vector<std::string> &out) {
    static const std::vector<std::string> swappable = {"conv1d", "lstm", "gru"};
    static const std::vector<std::string> worth = {"units", "filters",    "kernel",
                                                   "rate",  "dim",        "size",
                                                   "times", "activation", "bidirectional"};
    for (size_t i = 0; i < layers.size(); ++i) {
        const std::string at = path + "." + std::to_string(i);
        const LayerSpec &l = layers[i];
        if (std::find(swappable.begin(), swappable.end(), l.type) != swappable.end())
            out.push_back(at + ".type");
        for (const std::string &f : layerFields(l.type))
            if (std::find(worth.begin(), worth.end(), f) != worth.end())
                out.push_back(at + "." + f);
        if (l.type == "repeat") tunableLayerFields(l.layers, at + ".layers", out);
    }
}

} // namespace

std::vector<std::string> JobSpec::tunableFields() const {
    std::vector<std::string> out = {"optimizer.learning_rate"};
    for (const std::string &f : modelFields(model.type))
        if (f != "type" && f != "layers" && f != "path" && f != "freeze")
            out.push_back("model." + f);
    tunableLayerFields(model.layers, "model.layers", out);
    for (const char *f : {"optimizer.type", "training.batch_size", "optimizer.weight_decay",
                          "optimizer.momentum", "training.epochs", "pipeline.shuffle_buffer",
                          "training.label_smoothing", "optimizer.clip_norm"})
        out.push_back(f);
    if (model.type == "mlp" || model.type == "cnn") out.push_back("model.type");
    return out;
}

std::map<std::string, HParamValue> JobSpec::hparams() const {
    auto autotuned = [](int v, bool autotune) -> HParamValue {
        return autotune ? HParamValue(std::string("autotune")) : HParamValue(double(v));
    };
    std::map<std::string, HParamValue> out = {
        {"model.type", model.type},
        {"optimizer.type", optimizer.type},
        {"optimizer.learning_rate", optimizer.learningRate},
        {"training.batch_size", double(training.batchSize)},
        {"training.epochs", double(training.epochs)},
        {"pipeline.map_workers", autotuned(pipeline.mapWorkers, pipeline.mapWorkers == 0)},
        {"pipeline.prefetch", autotuned(pipeline.prefetch, pipeline.prefetch < 0)},
        {"pipeline.cache", pipeline.cache}};
    if (optimizer.schedule.type != "none") out["optimizer.schedule.type"] = optimizer.schedule.type;
    const auto &fields = modelFields(model.type);
    auto reads = [&](const char *f) {
        return std::find(fields.begin(), fields.end(), f) != fields.end();
    };
    if (reads("hidden")) {
        std::string hidden;
        for (int h : model.hidden)
            hidden += (hidden.empty() ? "" : ",") + std::to_string(h);
        out["model.hidden"] = hidden;
    }
    if (reads("dropout")) out["model.dropout"] = model.dropout;
    if (reads("layers")) out["model.layers"] = layersText(model.layers);
    if (reads("path")) out["model.path"] = model.path;
    return out;
}

bool isCudaIndex(const std::string &device) {
    return device.size() > 5 && device.size() <= 9 && device.compare(0, 5, "cuda:") == 0 &&
           device.find_first_not_of("0123456789", 5) == std::string::npos;
}

} // namespace trainscope
