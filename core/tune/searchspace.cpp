#include "core/tune/searchspace.h"

#include "core/jobs/jobspec.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

namespace trainscope {
namespace {

using nlohmann::json;

// Grids larger than this are a mistake in the space, not a sweep anyone will run.
constexpr size_t kMaxGrid = 1'000'000;

bool isNumber(const ParamValue &v) {
    return std::holds_alternative<int64_t>(v) || std::holds_alternative<double>(v);
}

double asNumber(const ParamValue &v) {
    if (const auto *i = std::get_if<int64_t>(&v)) return double(*i);
    if (const auto *d = std::get_if<double>(&v)) return *d;
    if (const auto *b = std::get_if<bool>(&v)) return *b ? 1 : 0;
    return std::nan("");
}

// Numbers compare by value whatever their type (a condition read as 1 matches 1.0).
bool sameValue(const ParamValue &a, const ParamValue &b) {
    if (isNumber(a) && isNumber(b)) {
        if (std::holds_alternative<int64_t>(a) && std::holds_alternative<int64_t>(b))
            return std::get<int64_t>(a) == std::get<int64_t>(b);
        return asNumber(a) == asNumber(b);
    }
    return a == b;
}

// Short text of a number for messages: "10", "0.6", "1e-05".
std::string num(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
        return std::to_string(int64_t(v));
    return json(v).dump();
}

// Removes the noise of min + k * step (0.30000000000000004 -> 0.3).
double clean(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return std::strtod(buf, nullptr);
}

// A uniform double in [0, 1), the same on every standard library (distributions are not).
double unit(std::mt19937_64 &rng) {
    return double(rng() >> 11) * 0x1.0p-53;
}

bool isStepped(const Param &p) {
    return p.kind == ParamKind::Int || (p.kind == ParamKind::Float && p.step > 0);
}
double stepOf(const Param &p) {
    return p.step > 0 ? p.step : 1;
}
// The index of the largest step value (the values are min + k * step, k in 0..this).
int64_t lastStep(const Param &p) {
    return int64_t(std::floor((p.max - p.min) / stepOf(p) + 1e-9));
}
double stepValue(const Param &p, int64_t k) {
    const double v = p.min + double(k) * stepOf(p);
    return p.kind == ParamKind::Int ? std::round(v) : clean(v);
}
// The nearest allowed value of an Int or Float.
double snap(const Param &p, double v) {
    v = std::clamp(v, p.min, p.max);
    if (!isStepped(p)) return v;
    const int64_t k = std::clamp<int64_t>(std::llround((v - p.min) / stepOf(p)), 0, lastStep(p));
    return stepValue(p, k);
}

// [0, 1] -> [min, max] along the parameter's scale (Keras Tuner's prob_to_value).
double fromUnit(const Param &p, double u) {
    u = std::clamp(u, 0.0, 1.0);
    if (p.min == p.max) return p.min;
    switch (p.scale) {
    case Scale::Linear:
        return p.min + u * (p.max - p.min);
    case Scale::Log:
        return p.min * std::pow(p.max / p.min, u);
    case Scale::ReverseLog:
        return p.max + p.min - p.min * std::pow(p.max / p.min, 1 - u);
    }
    return p.min;
}
double toUnit(const Param &p, double v) {
    if (p.min == p.max) return 0;
    v = std::clamp(v, p.min, p.max);
    double u = 0;
    switch (p.scale) {
    case Scale::Linear:
        u = (v - p.min) / (p.max - p.min);
        break;
    case Scale::Log:
        u = std::log(v / p.min) / std::log(p.max / p.min);
        break;
    case Scale::ReverseLog:
        u = 1 - std::log((p.max + p.min - v) / p.min) / std::log(p.max / p.min);
        break;
    }
    return std::clamp(u, 0.0, 1.0);
}

ParamValue numberValue(const Param &p, double v) {
    if (p.kind == ParamKind::Int) return int64_t(std::llround(v));
    return v;
}

// Every value a discrete parameter can take, in order.
std::vector<ParamValue> discreteValues(const Param &p) {
    switch (p.kind) {
    case ParamKind::Choice:
        return p.choices;
    case ParamKind::Boolean:
        return {false, true};
    case ParamKind::Fixed:
        return {p.fixed};
    case ParamKind::Int:
    case ParamKind::Float: {
        const int64_t n = lastStep(p);
        if (n >= int64_t(kMaxGrid))
            throw SpecError("space." + p.name, "has more than " + std::to_string(kMaxGrid) +
                                                   " values: too many for a grid");
        std::vector<ParamValue> values;
        for (int64_t k = 0; k <= n; ++k)
            values.push_back(numberValue(p, stepValue(p, k)));
        return values;
    }
    }
    return {};
}

size_t choiceIndex(const Param &p, const ParamValue &v) {
    for (size_t i = 0; i < p.choices.size(); ++i)
        if (sameValue(p.choices[i], v)) return i;
    throw SpecError("space." + p.name, paramJson(v) + " is not one of the choices");
}

// Whether `v` is a value the parameter can take (defaults, condition values).
bool allows(const Param &p, const ParamValue &v) {
    switch (p.kind) {
    case ParamKind::Choice:
        return std::any_of(p.choices.begin(), p.choices.end(),
                           [&](const ParamValue &c) { return sameValue(c, v); });
    case ParamKind::Boolean:
        return std::holds_alternative<bool>(v);
    case ParamKind::Fixed:
        return sameValue(p.fixed, v);
    case ParamKind::Int:
    case ParamKind::Float: {
        if (!isNumber(v)) return false;
        const double x = asNumber(v);
        if (x < p.min || x > p.max) return false;
        return std::fabs(snap(p, x) - x) <= 1e-9 * std::max(1.0, std::fabs(x));
    }
    }
    return false;
}

ParamValue effectiveDefault(const Param &p) {
    if (p.defaultValue) return *p.defaultValue;
    switch (p.kind) {
    case ParamKind::Choice:
        return p.choices.empty() ? ParamValue() : p.choices.front();
    case ParamKind::Boolean:
        return false;
    case ParamKind::Fixed:
        return p.fixed;
    case ParamKind::Int:
    case ParamKind::Float:
        return numberValue(p, p.min);
    }
    return {};
}

// Python's repr, for the Keras-like summary.
std::string py(const ParamValue &v) {
    if (const auto *b = std::get_if<bool>(&v)) return *b ? "True" : "False";
    if (const auto *s = std::get_if<std::string>(&v)) {
        std::string out = "'";
        for (char c : *s)
            out += (c == '\'' || c == '\\') ? std::string("\\") + c : std::string(1, c);
        return out + "'";
    }
    return paramJson(v);
}

std::string pyList(const std::vector<ParamValue> &values) {
    std::string out = "[";
    for (size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + py(values[i]);
    return out + "]";
}

const char *kindName(ParamKind kind) {
    switch (kind) {
    case ParamKind::Choice:
        return "Choice";
    case ParamKind::Int:
        return "Int";
    case ParamKind::Float:
        return "Float";
    case ParamKind::Boolean:
        return "Boolean";
    case ParamKind::Fixed:
        return "Fixed";
    }
    return "?";
}

size_t width(const Param &p) {
    switch (p.kind) {
    case ParamKind::Fixed:
        return 0;
    case ParamKind::Choice:
        return p.ordered ? 1 : p.choices.size();
    default:
        return 1;
    }
}

void checkParam(const Param &p, const std::vector<Param> &earlier) {
    const std::string field = "space." + p.name;
    switch (p.kind) {
    case ParamKind::Choice: {
        if (p.choices.empty()) throw SpecError(field, "no choices");
        for (size_t i = 0; i < p.choices.size(); ++i)
            for (size_t j = 0; j < i; ++j)
                if (sameValue(p.choices[i], p.choices[j]))
                    throw SpecError(field, "choice " + paramJson(p.choices[i]) + " listed twice");
        break;
    }
    case ParamKind::Int:
    case ParamKind::Float: {
        if (!std::isfinite(p.min) || !std::isfinite(p.max) || !std::isfinite(p.step))
            throw SpecError(field, "min, max and step must be finite numbers");
        if (p.min > p.max)
            throw SpecError(field, "min (" + num(p.min) + ") > max (" + num(p.max) + ")");
        if (p.step < 0) throw SpecError(field, "step must be > 0");
        if (p.kind == ParamKind::Int && (p.min != std::floor(p.min) || p.max != std::floor(p.max) ||
                                         p.step != std::floor(p.step)))
            throw SpecError(field, "an Int's min, max and step must be whole numbers");
        if (p.scale != Scale::Linear && p.min <= 0)
            throw SpecError(field, std::string(scaleWord(p.scale)) + " sampling needs min > 0");
        break;
    }
    case ParamKind::Boolean:
    case ParamKind::Fixed:
        break;
    }
    if (p.defaultValue && !allows(p, *p.defaultValue))
        throw SpecError(field, "default " + paramJson(*p.defaultValue) + " is not a value of it");
    for (const Condition &c : p.conditions) {
        if (c.parent == p.name) throw SpecError(field, "a condition on itself");
        const auto parent = std::find_if(earlier.begin(), earlier.end(),
                                         [&](const Param &q) { return q.name == c.parent; });
        if (parent == earlier.end())
            throw SpecError(field, "condition on '" + c.parent +
                                       "', which is not a parameter declared before it");
        if (c.values.empty())
            throw SpecError(field, "condition on '" + c.parent + "' lists no values");
        for (const ParamValue &v : c.values)
            if (!allows(*parent, v))
                throw SpecError(field, "condition value " + paramJson(v) + " is not a value of '" +
                                           c.parent + "'");
    }
}

} // namespace

const std::vector<EnumWord<ParamKind>> &paramKindWords() {
    static const std::vector<EnumWord<ParamKind>> words = {{ParamKind::Float, "float"},
                                                           {ParamKind::Int, "int"},
                                                           {ParamKind::Choice, "choice"},
                                                           {ParamKind::Boolean, "boolean"},
                                                           {ParamKind::Fixed, "fixed"}};
    return words;
}

const std::vector<EnumWord<Scale>> &scaleWords() {
    static const std::vector<EnumWord<Scale>> words = {
        {Scale::Linear, "linear"}, {Scale::Log, "log"}, {Scale::ReverseLog, "reverse_log"}};
    return words;
}

const char *paramKindWord(ParamKind kind) {
    for (const auto &w : paramKindWords())
        if (w.value == kind) return w.word;
    return "?";
}

const char *scaleWord(Scale scale) {
    for (const auto &w : scaleWords())
        if (w.value == scale) return w.word;
    return "?";
}

std::string paramJson(const ParamValue &value) {
    return std::visit([](const auto &v) { return json(v).dump(); }, value);
}

std::string paramText(const ParamValue &value) {
    if (const auto *s = std::get_if<std::string>(&value)) return *s;
    return paramJson(value);
}

SearchSpace::SearchSpace(std::vector<Param> params) {
    std::vector<Param> checked;
    std::set<std::string> names;
    for (size_t i = 0; i < params.size(); ++i) {
        const Param &p = params[i];
        if (p.name.empty())
            throw SpecError("space[" + std::to_string(i) + "].name", "must not be empty");
        if (!names.insert(p.name).second) throw SpecError("space." + p.name, "declared twice");
        // A parent declared later gets its own message rather than "not a parameter".
        for (const Condition &c : p.conditions)
            for (size_t j = i + 1; j < params.size(); ++j)
                if (params[j].name == c.parent)
                    throw SpecError("space." + p.name, "its condition's parent '" + c.parent +
                                                           "' must be declared before it");
        checkParam(p, checked);
        checked.push_back(p);
    }
    m_params = std::move(checked);
}

const Param *SearchSpace::find(const std::string &name) const {
    for (const Param &p : m_params)
        if (p.name == name) return &p;
    return nullptr;
}

bool SearchSpace::active(const Param &param, const Assignment &partial) const {
    for (const Condition &c : param.conditions) {
        const auto it = partial.find(c.parent);
        if (it == partial.end()) return false; // the parent is itself inactive
        if (std::none_of(c.values.begin(), c.values.end(),
                         [&](const ParamValue &v) { return sameValue(v, it->second); }))
            return false;
    }
    return true;
}

Assignment SearchSpace::sample(std::mt19937_64 &rng) const {
    Assignment a;
    for (const Param &p : m_params) {
        if (!active(p, a)) continue;
        switch (p.kind) {
        case ParamKind::Choice:
            a[p.name] = p.choices[std::min(size_t(unit(rng) * double(p.choices.size())),
                                           p.choices.size() - 1)];
            break;
        case ParamKind::Boolean:
            a[p.name] = unit(rng) < 0.5;
            break;
        case ParamKind::Fixed:
            a[p.name] = p.fixed;
            break;
        case ParamKind::Int:
        case ParamKind::Float:
            if (isStepped(p) && p.scale == Scale::Linear) { // uniform over the steps
                const int64_t n = lastStep(p);
                const int64_t k = std::min<int64_t>(int64_t(unit(rng) * double(n + 1)), n);
                a[p.name] = numberValue(p, stepValue(p, k));
            } else {
                a[p.name] = numberValue(p, snap(p, fromUnit(p, unit(rng))));
            }
            break;
        }
    }
    return a;
}

std::vector<Assignment> SearchSpace::grid() const {
    std::vector<std::vector<ParamValue>> values;
    for (const Param &p : m_params) {
        if (p.kind == ParamKind::Float && p.step <= 0)
            throw SpecError(
                "space." + p.name,
                "a continuous Float has no grid: give it a step, or use another oracle");
        values.push_back(discreteValues(p));
    }
    std::vector<Assignment> out;
    Assignment partial;
    // Depth-first over the parameters in order, so the first one varies slowest; a parameter
    // inactive under the partial assignment is skipped, not expanded.
    std::function<void(size_t)> expand = [&](size_t i) {
        if (i == m_params.size()) {
            if (out.size() >= kMaxGrid)
                throw SpecError("space", "the grid has more than " + std::to_string(kMaxGrid) +
                                             " combinations");
            out.push_back(partial);
            return;
        }
        const Param &p = m_params[i];
        if (!active(p, partial)) return expand(i + 1);
        for (const ParamValue &v : values[i]) {
            partial[p.name] = v;
            expand(i + 1);
        }
        partial.erase(p.name);
    };
    expand(0);
    return out;
}

std::string SearchSpace::key(const Assignment &a) const {
    std::string out;
    for (const auto &[name, value] : a) {
        std::string text;
        const Param *p = find(name);
        // Normalised by kind, so a value read back from JSON (5 vs 5.0) or decoded with a
        // rounding error in the last digit still gives the same key.
        if (p && p->kind == ParamKind::Int && isNumber(value)) {
            text = std::to_string(std::llround(asNumber(value)));
        } else if (std::holds_alternative<double>(value) || (p && p->kind == ParamKind::Float)) {
            char buf[40];
            std::snprintf(buf, sizeof buf, "%.12g", asNumber(value));
            text = buf;
        } else {
            text = paramJson(value);
        }
        out += (out.empty() ? "" : ",") + json(name).dump() + ":" + text;
    }
    return "{" + out + "}";
}

size_t SearchSpace::dimensions() const {
    size_t n = 0;
    for (const Param &p : m_params)
        n += width(p);
    return n;
}

std::vector<double> SearchSpace::encode(const Assignment &a) const {
    std::vector<double> x(dimensions(), 0.0);
    size_t at = 0;
    for (const Param &p : m_params) {
        const size_t w = width(p);
        const auto it = a.find(p.name);
        if (w > 0 && it != a.end()) {
            const ParamValue &v = it->second;
            switch (p.kind) {
            case ParamKind::Choice: {
                const size_t i = choiceIndex(p, v);
                if (p.ordered)
                    x[at] = p.choices.size() > 1 ? double(i) / double(p.choices.size() - 1) : 0;
                else
                    x[at + i] = 1;
                break;
            }
            case ParamKind::Boolean:
                x[at] = asNumber(v) != 0 ? 1 : 0;
                break;
            case ParamKind::Int:
            case ParamKind::Float:
                x[at] = toUnit(p, asNumber(v));
                break;
            case ParamKind::Fixed:
                break;
            }
        }
        at += w;
    }
    return x;
}

Assignment SearchSpace::decode(const std::vector<double> &x) const {
    if (x.size() != dimensions())
        throw std::invalid_argument("SearchSpace::decode: expected " +
                                    std::to_string(dimensions()) + " coordinates, got " +
                                    std::to_string(x.size()));
    Assignment a;
    size_t at = 0;
    for (const Param &p : m_params) {
        const size_t w = width(p);
        const size_t first = at;
        at += w;
        if (!active(p, a)) continue;
        const double u = w ? std::clamp(x[first], 0.0, 1.0) : 0;
        switch (p.kind) {
        case ParamKind::Choice:
            if (p.ordered) {
                const double last = double(p.choices.size() - 1);
                a[p.name] = p.choices[size_t(std::llround(u * last))];
            } else {
                size_t best = 0; // argmax; the first wins a tie
                for (size_t i = 1; i < w; ++i)
                    if (x[first + i] > x[first + best]) best = i;
                a[p.name] = p.choices[best];
            }
            break;
        case ParamKind::Boolean:
            a[p.name] = u >= 0.5;
            break;
        case ParamKind::Fixed:
            a[p.name] = p.fixed;
            break;
        case ParamKind::Int:
        case ParamKind::Float:
            a[p.name] = numberValue(p, snap(p, fromUnit(p, u)));
            break;
        }
    }
    return a;
}

std::string SearchSpace::summary() const {
    std::string out =
        "Search space summary\nDefault search space size: " + std::to_string(m_params.size()) +
        "\n";
    for (const Param &p : m_params) {
        std::string conditions = "[";
        for (size_t i = 0; i < p.conditions.size(); ++i)
            conditions +=
                std::string(i ? ", " : "") +
                "{'class_name': 'Parent', 'config': {'name': " + py(p.conditions[i].parent) +
                ", 'values': " + pyList(p.conditions[i].values) + "}}";
        conditions += "]";
        std::string config;
        if (p.kind == ParamKind::Fixed) {
            config = "{'conditions': " + conditions + ", 'value': " + py(p.fixed) + "}";
        } else {
            config = "{'default': " + py(effectiveDefault(p)) + ", 'conditions': " + conditions;
            if (p.kind == ParamKind::Choice) {
                config += ", 'values': " + pyList(p.choices) +
                          ", 'ordered': " + (p.ordered ? "True" : "False");
            } else if (p.kind == ParamKind::Int || p.kind == ParamKind::Float) {
                const std::string step = p.kind == ParamKind::Int ? py(int64_t(stepOf(p)))
                                         : p.step > 0             ? py(p.step)
                                                                  : "None";
                config += ", 'min_value': " + py(numberValue(p, p.min)) +
                          ", 'max_value': " + py(numberValue(p, p.max)) + ", 'step': " + step +
                          ", 'sampling': '" + scaleWord(p.scale) + "'";
            }
            config += "}";
        }
        out += p.name + " (" + kindName(p.kind) + ")\n" + config + "\n";
    }
    return out;
}

} // namespace trainscope
