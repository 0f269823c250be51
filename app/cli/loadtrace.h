// How every command that reads a trace reads it: errors and refusals named with the file on
// stderr, events the reader left out counted there too, an empty trace refused.
#pragma once

#include "core/profile/tracefile.h"

#include <iosfwd>
#include <string>

namespace trainscope::cli {

// False (after saying why) when the trace cannot be read or holds no events: bad input.
bool loadTrace(const std::string &path, TraceFile &trace, std::ostream &err);

} // namespace trainscope::cli
