// The one-line notes the collector shows when CUPTI refuses: a CUptiResult from a named call
// turned into what the user can act on (privileges, another profiler, no driver).
#pragma once

#include <string>

namespace trainscope {

// `result` is a CUptiResult (an int here so callers need no CUPTI header); `call` names the
// CUPTI function that failed.
std::string cuptiFailureNote(int result, const std::string &call);

// "no GPU: host and operator tracing only (<reason>)"
std::string noGpuNote(const std::string &reason);

} // namespace trainscope
