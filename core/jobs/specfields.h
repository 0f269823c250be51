// Reading and checking specs (jobs and sweeps) the same way everywhere: SpecFields reads one JSON
// object's fields by name with their types checked and rejects any field nobody asked for; the
// check functions validate a spec struct's values. Every failure is a SpecError naming the field.
// Private to core: it includes nlohmann/json, which only core links.
#pragma once

#include "core/jobs/specerror.h"

#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace trainscope {

// The text of a number in messages: "0.6", "1e-09", "128".
std::string specNumber(double value);
// Parses spec text; a syntax error, or nesting past 64 levels, is SpecError(root, ...).
nlohmann::json parseSpecJson(const std::string &text, const std::string &root);
// The text of the spec file at `path`; SpecError(path, "cannot open") when it cannot be read.
std::string readSpecFile(const std::string &path);
// `parse(text)` of the file at `path`, its errors naming the file: "PATH: FIELD: REASON".
template <typename Parse> auto parseSpecFile(const std::string &path, Parse parse) {
    const std::string text = readSpecFile(path);
    try {
        return parse(text);
    } catch (const SpecError &e) {
        throw e.within(path + ": ");
    }
}

class SpecFields {
public:
    // `path` names the object in errors ("pipeline", "space[2]"); the top ("") is named `root`.
    SpecFields(const nlohmann::json &object, std::string path, std::string root = "spec");
    // Throws SpecError for a field that no call asked for, listing the known ones. A function
    // that returns what it read ends its SpecFields' scope before `return`: thrown after the
    // return value is built, the exception leaks that value (Clang 14, CWG 2176).
    ~SpecFields() noexcept(false);
    SpecFields(const SpecFields &) = delete;
    SpecFields &operator=(const SpecFields &) = delete;

    std::string field(const std::string &key) const;
    bool has(const std::string &key) const { return m_object.contains(key); }
    // The field's value (marked as known), or nullptr when it is absent.
    const nlohmann::json *at(const std::string &key);
    const nlohmann::json &required(const std::string &key); // "missing" when absent

    // Each leaves `out` as it is when the field is absent.
    void string(const std::string &key, std::string &out);
    void boolean(const std::string &key, bool &out);
    void number(const std::string &key, double &out);
    template <typename T> void integer(const std::string &key, T &out) {
        if (const nlohmann::json *v = at(key))
            out = T(wholeNumber(*v, key, double(std::numeric_limits<T>::lowest()),
                                double(std::numeric_limits<T>::max())));
    }
    void integers(const std::string &key, std::vector<int> &out);
    // A whole number, or the word `word` ("autotune"), stored as `wordValue`.
    void integerOr(const std::string &key, const std::string &word, int wordValue, int &out);

private:
    double wholeNumber(const nlohmann::json &v, const std::string &key, double min, double max);

    const nlohmann::json &m_object;
    std::string m_path;
    std::vector<std::string> m_known; // in the order asked, each once
};

// Fields by type, for objects whose "type" decides which fields they read (a model, a layer,
// a schedule).
using FieldsByType = std::map<std::string, std::vector<std::string>>;
// A field of `object` that another type reads but `type` does not is refused: "PATH.FIELD: a
// TYPE KIND does not use it (its fields: ...)". An unknown type is left to validation.
void refuseFieldsOfOtherTypes(const nlohmann::json &object, const std::string &path,
                              const std::string &kind, const std::string &type,
                              const FieldsByType &fieldsByType);

// After `object`'s "type" changed (a --set, a sweep's choice): drops the fields the new type
// does not read, so the rest is kept and the new type's defaults fill the gaps.
void keepFieldsOfType(nlohmann::json &object, const FieldsByType &fieldsByType);

// Value checks on a spec struct.
void checkChoice(const std::string &field, const std::string &value,
                 const std::vector<std::string> &allowed); // "'x' is not one of a, b"
void checkRange(const std::string &field, double value, double min,
                double max);                                           // "0 is outside [1, 100]"
void checkAtLeast(const std::string &field, double value, double min); // "must be >= 1"

} // namespace trainscope
