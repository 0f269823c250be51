// sweep.json, as SweepSpec::fromJson reads it (every field but "space" and one of job, job_file
// or command is optional; unknown fields are rejected):
//
// {
//   "name": "fmnist-hyperband",
//   "job": { ...a JobSpec object... },       // or "job_file": "base.json" (relative to the
//                                            // sweep file), or "command": "python3 train.py
//                                            // --lr {optimizer.learning_rate}"
//   "objective": {"metric": "val/accuracy", "direction": "max"},       // or "min"
//   "space": [
//     {"name": "optimizer.learning_rate", "type": "float", "min": 1e-4, "max": 1e-2,
//      "sampling": "log"},                                  // "linear" (default), "reverse_log"
//     {"name": "model.hidden", "type": "int", "min": 64, "max": 512, "step": 64},
//     {"name": "model.dropout", "type": "float", "min": 0.0, "max": 0.5, "step": 0.1,
//      "default": 0.2},
//     {"name": "optimizer.type", "type": "choice", "values": ["adam", "sgd"], "ordered": false},
//     {"name": "optimizer.momentum", "type": "float", "min": 0.5, "max": 0.99,
//      "when": {"optimizer.type": ["sgd"]}},            // all parents must hold; a value or list
//     {"name": "training.batch_size", "type": "fixed", "value": 128},
//     {"name": "pipeline.pin_memory", "type": "boolean"}
//   ],
//   "oracle": {"type": "bayesian", "seed": 1, "initial_points": 8, "acquisition": "ei",
//              "kappa": 2.576},       // hyperband: "max_epochs", "factor", "iterations";
//                                     // random, bayesian: "allow_duplicates"
//   "pruner": {"type": "median", "warmup_epochs": 1, "min_trials": 3},  // asha: "reduction_factor"
//   "max_trials": 20, "workers": 2, "executions_per_trial": 1, "max_consecutive_failed_trials": 3,
//   "trial_timeout_s": 0
// }
//
// A choice's "ordered" defaults to true when its values are all numbers (as in Keras Tuner).
// In a command, {name} is a placeholder; ${VAR} and braces around anything but a name are
// left to the shell (commandtemplate.h: values are never shell syntax). A command sweep must
// name its objective's metric and direction; "trial_timeout_s" (0: none) bounds each trial.
#include "core/tune/sweepspec.h"

#include "core/jobs/specfields.h"
#include "core/tune/commandtemplate.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace trainscope {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ParamValue toValue(const json &v, const std::string &field) {
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number_integer()) return v.get<int64_t>();
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) return v.get<std::string>();
    throw SpecError(field, "expected a number, a string or true/false, got " + v.dump());
}

template <typename T> T jsonOf(const ParamValue &value) {
    return std::visit([](const auto &v) { return T(v); }, value);
}

bool isNumber(const ParamValue &v) {
    return std::holds_alternative<int64_t>(v) || std::holds_alternative<double>(v);
}
double toDouble(const ParamValue &v) {
    if (const auto *i = std::get_if<int64_t>(&v)) return double(*i);
    if (const auto *d = std::get_if<double>(&v)) return *d;
    return std::nan("");
}

// A value of the kind the parameter holds (the Int 3 for a JSON 3.0, the Float 1.0 for a 1).
ParamValue normalise(const Param &p, const ParamValue &v, const std::string &field) {
    if (p.kind == ParamKind::Int || p.kind == ParamKind::Float) {
        if (!isNumber(v)) throw SpecError(field, "expected a number, got " + paramJson(v));
        const double d = toDouble(v);
        if (p.kind == ParamKind::Float) return d;
        if (d != std::floor(d))
            throw SpecError(field, "expected a whole number, got " + paramJson(v));
        return int64_t(d);
    }
    if (p.kind == ParamKind::Boolean && !std::holds_alternative<bool>(v))
        throw SpecError(field, "expected true or false, got " + paramJson(v));
    return v;
}

// The enum a spec word names, or a SpecError naming the field and the words allowed.
template <typename Enum>
Enum fromWord(const std::string &field, const std::string &word,
              const std::vector<EnumWord<Enum>> &words) {
    std::vector<std::string> allowed;
    for (const EnumWord<Enum> &w : words) {
        if (word == w.word) return w.value;
        allowed.push_back(w.word);
    }
    checkChoice(field, word, allowed); // throws
    return words.front().value;
}

Param parseParam(const json &j, const std::string &path) {
    Param p;
    {
        SpecFields f(j, path);
        const json &name = f.required("name");
        if (!name.is_string() || name.get<std::string>().empty())
            throw SpecError(path + ".name", "expected a non-empty string");
        p.name = name.get<std::string>();
        f.required("type");
        std::string type;
        f.string("type", type);
        p.kind = fromWord(path + ".type", type, paramKindWords());
        if (p.kind == ParamKind::Int || p.kind == ParamKind::Float) {
            f.required("min");
            f.required("max");
            f.number("min", p.min);
            f.number("max", p.max);
            f.number("step", p.step);
            if (f.has("step") && p.step <= 0) throw SpecError(path + ".step", "must be > 0");
            std::string sampling = "linear";
            f.string("sampling", sampling);
            p.scale = fromWord(path + ".sampling", sampling, scaleWords());
        } else if (p.kind == ParamKind::Choice) {
            const json &values = f.required("values");
            if (!values.is_array()) throw SpecError(path + ".values", "expected a list");
            bool anyDouble = false;
            for (size_t i = 0; i < values.size(); ++i) {
                p.choices.push_back(
                    toValue(values[i], path + ".values[" + std::to_string(i) + "]"));
                anyDouble |= std::holds_alternative<double>(p.choices.back());
            }
            const bool numeric = std::all_of(p.choices.begin(), p.choices.end(), isNumber);
            for (ParamValue &c : p.choices) {
                if (!numeric && c.index() != p.choices.front().index())
                    throw SpecError(path + ".values", "mixes numbers, strings and booleans");
                if (anyDouble && std::holds_alternative<int64_t>(c))
                    c = double(std::get<int64_t>(c));
            }
            p.ordered = numeric && !p.choices.empty();
            f.boolean("ordered", p.ordered);
        } else if (p.kind == ParamKind::Fixed) {
            p.fixed = toValue(f.required("value"), path + ".value");
        }
        if (const json *d = f.at("default")) {
            const ParamValue v = toValue(*d, path + ".default");
            p.defaultValue = normalise(p, v, path + ".default");
            for (const ParamValue &c : p.choices) // a choice's default takes the choice's type
                if (c == v || (isNumber(c) && isNumber(v) && toDouble(c) == toDouble(v)))
                    p.defaultValue = c;
        }
        if (const json *when = f.at("when")) {
            if (!when->is_object())
                throw SpecError(path + ".when", "expected {\"parent\": [values...]}");
            for (auto it = when->begin(); it != when->end(); ++it) {
                Condition c{it.key(), {}};
                const std::string field = path + ".when." + it.key();
                if (it.value().is_array())
                    for (const json &v : it.value())
                        c.values.push_back(toValue(v, field));
                else
                    c.values.push_back(toValue(it.value(), field));
                p.conditions.push_back(std::move(c));
            }
        }
    } // the fields' check (a throwing destructor) ends before the value is returned
    return p;
}

ordered_json paramToJson(const Param &p) {
    ordered_json j;
    j["name"] = p.name;
    j["type"] = paramKindWord(p.kind);
    switch (p.kind) {
    case ParamKind::Int:
        j["min"] = int64_t(p.min);
        j["max"] = int64_t(p.max);
        if (p.step > 0) j["step"] = int64_t(p.step);
        break;
    case ParamKind::Float:
        j["min"] = p.min;
        j["max"] = p.max;
        if (p.step > 0) j["step"] = p.step;
        break;
    case ParamKind::Choice:
        j["values"] = ordered_json::array();
        for (const ParamValue &c : p.choices)
            j["values"].push_back(jsonOf<ordered_json>(c));
        j["ordered"] = p.ordered;
        break;
    case ParamKind::Fixed:
        j["value"] = jsonOf<ordered_json>(p.fixed);
        break;
    case ParamKind::Boolean:
        break;
    }
    if ((p.kind == ParamKind::Int || p.kind == ParamKind::Float) && p.scale != Scale::Linear)
        j["sampling"] = scaleWord(p.scale);
    if (p.defaultValue) j["default"] = jsonOf<ordered_json>(*p.defaultValue);
    if (!p.conditions.empty()) {
        ordered_json when = ordered_json::object();
        for (const Condition &c : p.conditions) {
            ordered_json values = ordered_json::array();
            for (const ParamValue &v : c.values)
                values.push_back(jsonOf<ordered_json>(v));
            when[c.parent] = values;
        }
        j["when"] = when;
    }
    return j;
}

// The values worth trying on the base spec: each choice, the ends of a range, the default.
std::vector<ParamValue> representatives(const Param &p) {
    std::vector<ParamValue> out;
    switch (p.kind) {
    case ParamKind::Choice:
        out = p.choices;
        break;
    case ParamKind::Boolean:
        out = {false, true};
        break;
    case ParamKind::Fixed:
        out = {p.fixed};
        break;
    case ParamKind::Int:
    case ParamKind::Float: {
        const double step = p.step > 0 ? p.step : 1;
        const double top = (p.kind == ParamKind::Int || p.step > 0)
                               ? p.min + std::floor((p.max - p.min) / step + 1e-9) * step
                               : p.max;
        if (p.kind == ParamKind::Int)
            out = {int64_t(p.min), int64_t(std::llround(top))};
        else
            out = {p.min, top};
        break;
    }
    }
    if (p.defaultValue) out.push_back(*p.defaultValue);
    return out;
}

void checkJobPaths(const JobSpec &job, const SearchSpace &space) {
    for (const Param &p : space.params())
        for (const ParamValue &v : representatives(p)) {
            JobSpec copy = job;
            try {
                // A conditional parameter is checked where it is active: its parents first
                // take the values it needs ("model.layers.1.units" while the layer is an lstm).
                for (const Condition &c : p.conditions)
                    if (!c.values.empty()) copy.set(c.parent + "=" + paramJson(c.values.front()));
                copy.set(p.name + "=" + paramJson(v));
            } catch (const SpecError &e) {
                const std::string what = e.what();
                if (e.field() == p.name && what == p.name + ": no such field")
                    throw SpecError("space." + p.name, "no such field in the job spec");
                throw SpecError("space." + p.name,
                                paramJson(v) + " is not accepted by the job spec: " + what);
            }
        }
}

// Reads the fields with their types; SweepSpec::validate checks the values.
SweepSpec parse(const json &j, const std::filesystem::path &baseDir) {
    SweepSpec s;
    {
        SpecFields top(j, "", "sweep");
        top.string("name", s.name);

        const int sources =
            int(top.has("job")) + int(top.has("job_file")) + int(top.has("command"));
        if (sources != 1)
            throw SpecError("job", "give exactly one of job, job_file or command (" +
                                       std::to_string(sources) + " given)");
        if (const json *job = top.at("job")) {
            try {
                s.job = JobSpec::fromJson(job->dump());
            } catch (const SpecError &e) {
                throw e.within("job.");
            }
        }
        if (const json *file = top.at("job_file")) {
            if (!file->is_string() || file->get<std::string>().empty())
                throw SpecError("job_file", "expected a file name");
            std::filesystem::path path = file->get<std::string>();
            if (path.is_relative()) path = baseDir / path;
            try {
                s.job = JobSpec::fromFile(path.string());
            } catch (const SpecError &e) {
                throw SpecError("job_file", e.what());
            }
        }
        top.string("command", s.command);

        const json *objective = top.at("objective");
        // A command's score has no meaning Trainscope could guess: it must be named.
        if (top.has("command") &&
            (!objective || !objective->is_object() || !objective->contains("metric") ||
             !objective->contains("direction")))
            throw SpecError("objective", "a command sweep names what its trials report and "
                                         "which way is better: \"objective\": {\"metric\": "
                                         "\"NAME\", \"direction\": \"min\"|\"max\"}");
        if (objective) {
            SpecFields f(*objective, "objective");
            f.string("metric", s.objective.metric);
            std::string direction = s.objective.maximize ? "max" : "min";
            f.string("direction", direction);
            s.objective.maximize =
                fromWord<bool>("objective.direction", direction, {{true, "max"}, {false, "min"}});
        }

        const json &space = top.required("space");
        if (!space.is_array() || space.empty())
            throw SpecError("space", "expected a non-empty list of parameters");
        std::vector<Param> params;
        for (size_t i = 0; i < space.size(); ++i)
            params.push_back(parseParam(space[i], "space[" + std::to_string(i) + "]"));
        s.space = SearchSpace(std::move(params));

        if (const json *oracle = top.at("oracle")) {
            SpecFields f(*oracle, "oracle");
            OracleSpec &o = s.oracle;
            f.string("type", o.type);
            f.integer("seed", o.seed);
            if (o.type == "bayesian") {
                f.integer("initial_points", o.initialPoints);
                f.string("acquisition", o.acquisition);
                f.number("kappa", o.kappa);
            }
            if (o.type == "hyperband") {
                f.integer("max_epochs", o.maxEpochs);
                f.integer("factor", o.factor);
                f.integer("iterations", o.iterations);
            }
            if (o.type == "random" || o.type == "bayesian" || o.type == "hyperband")
                f.boolean("allow_duplicates", o.allowDuplicates);
        }

        if (const json *pruner = top.at("pruner")) {
            SpecFields f(*pruner, "pruner");
            PrunerSpec &p = s.pruner;
            f.string("type", p.type);
            if (p.type != "none") f.integer("warmup_epochs", p.warmupEpochs);
            if (p.type == "median") f.integer("min_trials", p.minTrials);
            if (p.type == "asha") f.integer("reduction_factor", p.reductionFactor);
        }

        top.integer("max_trials", s.maxTrials);
        top.integer("workers", s.workers);
        top.integer("executions_per_trial", s.executionsPerTrial);
        top.integer("max_consecutive_failed_trials", s.maxConsecutiveFailedTrials);
        top.number("trial_timeout_s", s.trialTimeoutSeconds);
    } // the fields' check (a throwing destructor) ends before the value is returned
    return s;
}

SweepSpec parseAndValidate(const json &j, const std::filesystem::path &baseDir) {
    SweepSpec s = parse(j, baseDir);
    s.validate();
    return s;
}

} // namespace

SweepSpec SweepSpec::fromJson(const std::string &text) {
    return parseAndValidate(parseSpecJson(text, "sweep"), std::filesystem::current_path());
}

SweepSpec SweepSpec::fromFile(const std::string &path) {
    return parseSpecFile(path, [&](const std::string &text) {
        return parseAndValidate(parseSpecJson(text, "sweep"),
                                std::filesystem::path(path).parent_path());
    });
}

void SweepSpec::validate() const {
    if (name.empty()) throw SpecError("name", "must not be empty");
    if (job && !command.empty())
        throw SpecError("job", "give exactly one of job, job_file or command");
    if (!job && command.find_first_not_of(" \t\n") == std::string::npos)
        throw SpecError("command", "must not be empty");
    if (objective.metric.empty()) throw SpecError("objective.metric", "must not be empty");
    if (space.params().empty()) throw SpecError("space", "expected a non-empty list of parameters");
    validateOracleSpec(oracle, space);
    checkChoice("pruner.type", pruner.type, {"none", "median", "asha"});
    checkRange("pruner.warmup_epochs", pruner.warmupEpochs, 0, 100000);
    checkRange("pruner.min_trials", pruner.minTrials, 1, 100000);
    checkRange("pruner.reduction_factor", pruner.reductionFactor, 2, 1000);
    checkAtLeast("max_trials", maxTrials, 1);
    checkRange("workers", workers, 1, 256);
    checkRange("executions_per_trial", executionsPerTrial, 1, 1000);
    checkAtLeast("max_consecutive_failed_trials", maxConsecutiveFailedTrials, 1);
    if (!(trialTimeoutSeconds >= 0) || trialTimeoutSeconds > 1e9)
        throw SpecError("trial_timeout_s", "expected seconds >= 0 (0: no limit), got " +
                                               specNumber(trialTimeoutSeconds));
    if (job) {
        job->validate();
        checkJobPaths(*job, space);
    }
    for (const std::string &name : commandPlaceholders(command))
        if (!space.find(name)) throw SpecError("command", "{" + name + "} is not a parameter");
    if (!command.empty()) trialCommand({}); // an unclosed quote is the spec's fault
}

std::string SweepSpec::toJson() const {
    ordered_json j;
    j["name"] = name;
    // The job is written out whole, so sweep.json in the sweep directory stands on its own.
    if (job) j["job"] = ordered_json::parse(job->toJson());
    if (!command.empty()) j["command"] = command;
    j["objective"] = {{"metric", objective.metric},
                      {"direction", objective.maximize ? "max" : "min"}};
    j["space"] = ordered_json::array();
    for (const Param &p : space.params())
        j["space"].push_back(paramToJson(p));
    ordered_json o;
    o["type"] = oracle.type;
    o["seed"] = oracle.seed;
    if (oracle.type == "bayesian") {
        o["initial_points"] = oracle.initialPoints;
        o["acquisition"] = oracle.acquisition;
        o["kappa"] = oracle.kappa;
    }
    if (oracle.type == "hyperband") {
        o["max_epochs"] = oracle.maxEpochs;
        o["factor"] = oracle.factor;
        o["iterations"] = oracle.iterations;
    }
    if (oracle.type != "grid") o["allow_duplicates"] = oracle.allowDuplicates;
    j["oracle"] = o;
    ordered_json p;
    p["type"] = pruner.type;
    if (pruner.type != "none") p["warmup_epochs"] = pruner.warmupEpochs;
    if (pruner.type == "median") p["min_trials"] = pruner.minTrials;
    if (pruner.type == "asha") p["reduction_factor"] = pruner.reductionFactor;
    j["pruner"] = p;
    j["max_trials"] = maxTrials;
    j["workers"] = workers;
    j["executions_per_trial"] = executionsPerTrial;
    j["max_consecutive_failed_trials"] = maxConsecutiveFailedTrials;
    if (trialTimeoutSeconds > 0) j["trial_timeout_s"] = trialTimeoutSeconds;
    return j.dump(2);
}

JobSpec SweepSpec::trialJob(const Assignment &params, int epochs) const {
    if (!job) throw SpecError("job", "this sweep runs a command, not a training job");
    JobSpec spec = *job;
    std::vector<std::string> assignments;
    for (const Param &p : space.params()) { // in the space's order: parents first
        const auto it = params.find(p.name);
        if (it != params.end()) assignments.push_back(p.name + "=" + paramJson(it->second));
    }
    spec.set(assignments);
    if (epochs > 0) spec.training.epochs = epochs;
    return spec;
}

CommandLine SweepSpec::trialCommand(const Assignment &params) const {
    try {
        return expandCommand(command, [&](const std::string &name) -> std::optional<std::string> {
            if (!space.find(name)) throw SpecError("command", "{" + name + "} is not a parameter");
            const auto it = params.find(name);
            if (it == params.end()) return std::nullopt; // inactive
            return paramText(it->second);
        });
    } catch (const std::invalid_argument &e) {
        throw SpecError("command", e.what());
    }
}

} // namespace trainscope
