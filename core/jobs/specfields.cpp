#include "core/jobs/specfields.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace trainscope {

using nlohmann::json;

namespace {

std::string join(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

} // namespace

std::string specNumber(double value) {
    std::ostringstream s;
    s.precision(15); // whole numbers in full (1073741824), fractions as written (0.6, 1e-09)
    s << value;
    return s.str();
}

json parseSpecJson(const std::string &text, const std::string &root) {
    // A spec is a few levels deep; far deeper nesting is hostile and would recurse when
    // printed in a message, so it is refused while parsing.
    constexpr int kMaxDepth = 64;
    const json::parser_callback_t depthLimit = [&](int depth, json::parse_event_t, json &) {
        if (depth > kMaxDepth)
            throw SpecError(root, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
        return true;
    };
    try {
        return json::parse(text, depthLimit);
    } catch (const json::exception &e) { // malformed, or a number past double (5e11111)
        throw SpecError(root, std::string("not valid JSON: ") + e.what());
    }
}

std::string readSpecFile(const std::string &path) {
    std::ifstream in(path);
    if (!in) throw SpecError(path, "cannot open");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

SpecFields::SpecFields(const json &object, std::string path, std::string root)
    : m_object(object)
    , m_path(std::move(path)) {
    if (!object.is_object()) throw SpecError(m_path.empty() ? root : m_path, "must be an object");
}

SpecFields::~SpecFields() noexcept(false) {
    if (std::uncaught_exceptions()) return;
    for (auto it = m_object.begin(); it != m_object.end(); ++it)
        if (std::find(m_known.begin(), m_known.end(), it.key()) == m_known.end())
            throw SpecError(field(it.key()), "unknown field (known: " + join(m_known) + ")");
}

std::string SpecFields::field(const std::string &key) const {
    return m_path.empty() ? key : m_path + "." + key;
}

const json *SpecFields::at(const std::string &key) {
    if (std::find(m_known.begin(), m_known.end(), key) == m_known.end()) m_known.push_back(key);
    const auto it = m_object.find(key);
    return it == m_object.end() ? nullptr : &*it;
}

const json &SpecFields::required(const std::string &key) {
    const json *v = at(key);
    if (!v) throw SpecError(field(key), "missing");
    return *v;
}

void SpecFields::string(const std::string &key, std::string &out) {
    if (const json *v = at(key)) {
        if (!v->is_string()) throw SpecError(field(key), "expected a string, got " + v->dump());
        out = v->get<std::string>();
    }
}

void SpecFields::boolean(const std::string &key, bool &out) {
    if (const json *v = at(key)) {
        if (!v->is_boolean())
            throw SpecError(field(key), "expected true or false, got " + v->dump());
        out = v->get<bool>();
    }
}

void SpecFields::number(const std::string &key, double &out) {
    if (const json *v = at(key)) {
        if (!v->is_number()) throw SpecError(field(key), "expected a number, got " + v->dump());
        out = v->get<double>();
    }
}

double SpecFields::wholeNumber(const json &v, const std::string &key, double min, double max) {
    if (!v.is_number()) throw SpecError(field(key), "expected a number, got " + v.dump());
    if (v.is_number_unsigned() && double(v.get<uint64_t>()) > max)
        throw SpecError(field(key), v.dump() + " is out of range");
    const double d = v.is_number_integer() ? double(v.get<int64_t>()) : v.get<double>();
    if (d != std::floor(d)) throw SpecError(field(key), "expected a whole number, got " + v.dump());
    if (d < min || d > max) throw SpecError(field(key), v.dump() + " is out of range");
    return d;
}

void SpecFields::integers(const std::string &key, std::vector<int> &out) {
    if (const json *v = at(key)) {
        if (!v->is_array())
            throw SpecError(field(key), "expected a list of whole numbers, got " + v->dump());
        std::vector<int> values;
        for (const json &item : *v)
            values.push_back(int(wholeNumber(item, key, std::numeric_limits<int>::lowest(),
                                             std::numeric_limits<int>::max())));
        out = std::move(values);
    }
}

void SpecFields::integerOr(const std::string &key, const std::string &word, int wordValue,
                           int &out) {
    const json *v = at(key);
    if (v && v->is_string()) {
        if (v->get<std::string>() != word)
            throw SpecError(field(key), "expected a number or \"" + word + "\", got " + v->dump());
        out = wordValue;
        return;
    }
    integer(key, out);
}

void refuseFieldsOfOtherTypes(const json &object, const std::string &path, const std::string &kind,
                              const std::string &type, const FieldsByType &fieldsByType) {
    const auto own = fieldsByType.find(type);
    if (own == fieldsByType.end() || !object.is_object()) return;
    auto reads = [](const std::vector<std::string> &fields, const std::string &name) {
        return std::find(fields.begin(), fields.end(), name) != fields.end();
    };
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (reads(own->second, it.key())) continue;
        for (const auto &[other, fields] : fieldsByType)
            if (reads(fields, it.key()))
                throw SpecError((path.empty() ? "" : path + ".") + it.key(),
                                "a " + type + " " + kind +
                                    " does not use it (its fields: " + join(own->second) + ")");
    }
}

void keepFieldsOfType(json &object, const FieldsByType &fieldsByType) {
    if (!object.is_object() || !object.contains("type") || !object["type"].is_string()) return;
    const auto own = fieldsByType.find(object["type"].get<std::string>());
    if (own == fieldsByType.end()) return; // an unknown type: validation names it
    for (auto it = object.begin(); it != object.end();)
        it = std::find(own->second.begin(), own->second.end(), it.key()) != own->second.end()
                 ? std::next(it)
                 : object.erase(it);
}

void checkChoice(const std::string &field, const std::string &value,
                 const std::vector<std::string> &allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
        throw SpecError(field, "'" + value + "' is not one of " + join(allowed));
}

void checkRange(const std::string &field, double value, double min, double max) {
    if (!(value >= min && value <= max))
        throw SpecError(field, specNumber(value) + " is outside [" + specNumber(min) + ", " +
                                   specNumber(max) + "]");
}

void checkAtLeast(const std::string &field, double value, double min) {
    if (!(value >= min)) throw SpecError(field, "must be >= " + specNumber(min));
}

} // namespace trainscope
