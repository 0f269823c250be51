// A sweep's hyperparameters, as Keras Tuner and Optuna know them: choices (ordered or not),
// integers and floats on linear, log or reverse-log scales (optionally stepped), booleans,
// fixed values, and conditional parameters active only while a parent takes given values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

namespace trainscope {

using ParamValue = std::variant<bool, int64_t, double, std::string>;
// JSON text of a value ("0.001", "256", "true", "\"adam\""): what JobSpec::set and command
// templates receive.
std::string paramJson(const ParamValue &value);
std::string paramText(const ParamValue &value); // strings unquoted, for display and templates

enum class ParamKind { Choice, Int, Float, Boolean, Fixed };
enum class Scale { Linear, Log, ReverseLog };

// The words sweep.json uses for them, one spelling for the spec, the form and the summary.
template <typename Enum> struct EnumWord {
    Enum value;
    const char *word;
};
// In the order a form lists them: float, int, choice, boolean, fixed.
const std::vector<EnumWord<ParamKind>> &paramKindWords();
const std::vector<EnumWord<Scale>> &scaleWords(); // linear, log, reverse_log
const char *paramKindWord(ParamKind kind);
const char *scaleWord(Scale scale);

struct Condition {
    std::string parent;
    std::vector<ParamValue> values; // active when the parent takes one of these
};

struct Param {
    std::string name; // a job-spec path ("optimizer.learning_rate"), or any name for commands
    ParamKind kind = ParamKind::Float;
    std::vector<ParamValue> choices;   // Choice
    bool ordered = false;              // Choice: the order means something (numbers sorted)
    double min = 0, max = 1, step = 0; // Int, Float; step 0: continuous (Int: 1)
    // (steps are additive, min + k * step, on every scale)
    Scale scale = Scale::Linear;
    ParamValue fixed; // Fixed
    std::optional<ParamValue> defaultValue;
    std::vector<Condition> conditions; // all must hold
};

// The active parameters of one configuration, by name (inactive ones are absent).
using Assignment = std::map<std::string, ParamValue>;

class SearchSpace {
public:
    SearchSpace() = default;
    // Checks names (unique), ranges (min <= max, log needs min > 0, step > 0), choices
    // (non-empty), conditions (the parent exists and comes earlier); throws SpecError naming
    // "space.<param>" and the reason.
    explicit SearchSpace(std::vector<Param> params);

    const std::vector<Param> &params() const { return m_params; }
    const Param *find(const std::string &name) const;
    bool active(const Param &param, const Assignment &partial) const;

    Assignment sample(std::mt19937_64 &rng) const;
    // Every combination of the discrete parameters, in order (the first parameter slowest);
    // throws SpecError when a parameter is continuous (a Float without a step).
    std::vector<Assignment> grid() const;
    // A stable text for duplicate detection.
    std::string key(const Assignment &a) const;

    // The unit-cube encoding the Bayesian oracle models: Int/Float scaled (log in log space),
    // ordered choices as one coordinate, unordered ones one-hot, booleans 0/1, inactive
    // parameters at 0. Fixed parameters take no coordinate.
    size_t dimensions() const;
    std::vector<double> encode(const Assignment &a) const;
    Assignment decode(const std::vector<double> &x) const; // snaps to steps and choices

    // Like Keras Tuner's search_space_summary().
    std::string summary() const;

private:
    std::vector<Param> m_params;
};

} // namespace trainscope
