// Shared by the read-only subcommands: opens a logdir, reads it fully, and reports problems
// on stderr as one line each, naming the file.
#pragma once

#include "core/events/logdirindex.h"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace trainscope::cli {

// Returns nullptr (after printing why) when the logdir is missing or holds no event files.
std::unique_ptr<LogdirIndex> loadLogdir(const std::string &logdir, std::ostream &err);

// The same, a batch of about `batchBytes` at a time: `each` is called with the runs just read
// (in name order, each run once with all its points) while the next batch is read, so output
// starts before the logdir has been read and reading and writing overlap. Returns false
// (after printing why) where loadLogdir returns nullptr, before calling `each`.
bool streamLogdir(
    const std::string &logdir, std::ostream &err, uint64_t batchBytes,
    const std::function<void(const LogdirIndex &, const std::vector<std::string> &)> &each);

} // namespace trainscope::cli
