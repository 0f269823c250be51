// Profiles saved with their run as Chrome trace-event JSON (gzip), in the PyTorch profiler's
// layout (<run>/plugins/profile/<timestamp>/<host>.pt.trace.json.gz) so Perfetto and
// chrome://tracing open them; Trainscope's own figures ride along under a "trainscope" key.
#pragma once

#include "core/profile/tracefile.h"

#include <functional>
#include <string>

namespace trainscope {

// Writes `trace` to `path` (gzip when it ends in .gz) via a temporary file and a rename.
// Throws std::runtime_error naming the file.
void writeChromeTrace(const std::string &path, const TraceFile &trace);

// Reads a Chrome trace (plain or gzip). Throws std::runtime_error naming the file and reason.
// A big trace's events are parsed on every core; the result is the same as on one.
TraceFile readChromeTrace(const std::string &path);
// The same, calling `progress` now and then on the calling thread with the fraction read (0 to
// 1, ending at 1); an exception it throws stops the read and comes out of readChromeTrace.
TraceFile readChromeTrace(const std::string &path,
                          const std::function<void(double fraction)> &progress);

// Where a new profile of `runDir` goes, and the newest one saved ("" when none).
std::string newProfilePath(const std::string &runDir);
std::string latestProfilePath(const std::string &runDir);

} // namespace trainscope
