#include "core/tune/trial.h"

#include <chrono>

namespace trainscope {

double unixSeconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

namespace {

const char *const kNames[] = {"RUNNING", "COMPLETED", "PRUNED", "FAILED", "INVALID"};

} // namespace

const char *trialStatusName(TrialStatus status) {
    return kNames[int(status)];
}

std::optional<TrialStatus> trialStatusFromName(const std::string &name) {
    for (int s = 0; s < 5; ++s)
        if (name == kNames[s]) return TrialStatus(s);
    return std::nullopt;
}

} // namespace trainscope
