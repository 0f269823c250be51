// Shared by the read-only subcommands: opens a logdir, reads it fully, and reports problems
// on stderr as one line each, naming the file.
#pragma once

#include "core/events/logdirindex.h"

#include <iosfwd>
#include <memory>
#include <string>

namespace trainscope::cli {

// Returns nullptr (after printing why) when the logdir is missing or holds no event files.
std::unique_ptr<LogdirIndex> loadLogdir(const std::string &logdir, std::ostream &err);

} // namespace trainscope::cli
