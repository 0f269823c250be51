// Small pieces shared by the Chrome trace writer and reader (private to core/profile): exact
// microsecond text for nanosecond times, JSON string escaping, and the "trainscope" section
// that carries the pipeline figures, job context and GPU collector report.
#pragma once

#include "core/profile/tracefile.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace trainscope {

// 1234567 ns -> "1234.567" (PyTorch writes microseconds with three decimals).
void appendMicros(std::string &out, int64_t ns);

// "1234.567", "1234", "1.5e3" -> nanoseconds; false when `text` is not a number.
bool parseMicros(std::string_view text, int64_t &ns);

// Appends `s` quoted and escaped; invalid UTF-8 bytes become U+FFFD so the file stays valid.
void appendJsonString(std::string &out, std::string_view s);
// Whether `s` is a JSON number or an array of numbers ("[128, 1, 1]"), written back unquoted.
bool looksLikeJsonNumbers(std::string_view s);

std::string trainscopeSectionJson(const TraceFile &trace);
// Fills stages, context and deviceInfo from the section's JSON text; ignores what it lacks.
void readTrainscopeSection(std::string_view json, TraceFile &trace);

} // namespace trainscope
