// The one error a bad spec (job or sweep, file or form) raises: the field it names and why, so
// the CLI prints "FILE: FIELD: REASON" and a form can jump to the field's editor.
#pragma once

#include <stdexcept>
#include <string>

namespace trainscope {

// what() reads "FIELD: REASON" (the CLI prefixes the file name).
class SpecError : public std::runtime_error {
public:
    SpecError(const std::string &field, const std::string &reason)
        : std::runtime_error(field + ": " + reason)
        , m_field(field) {}
    const std::string &field() const { return m_field; }
    // The reason alone, without "FIELD: ".
    std::string reason() const { return std::string(what()).substr(m_field.size() + 2); }
    // The same error with `prefix` before the field ("job.", "sweep.json: ").
    SpecError within(const std::string &prefix) const { return {prefix + m_field, reason()}; }

private:
    std::string m_field;
};

} // namespace trainscope
