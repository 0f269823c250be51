// One trial of a sweep and the objective that scores it: plain values shared by the oracles,
// the study store, the sweep runner, the CLI and the Tuning tab.
#pragma once

#include "core/tune/searchspace.h"

#include <optional>
#include <string>
#include <vector>

namespace trainscope {

enum class TrialStatus { Running, Completed, Pruned, Failed, Invalid };
const char *trialStatusName(TrialStatus status); // "RUNNING", "COMPLETED", ...
std::optional<TrialStatus> trialStatusFromName(const std::string &name);

struct Objective {
    std::string metric = "val/accuracy"; // a scalar tag the trial writes per epoch
    bool maximize = true;
    bool better(double a, double b) const { return maximize ? a > b : a < b; }
};

// Now in unix seconds, the clock of Trial::startedAt and finishedAt.
double unixSeconds();

struct Trial {
    int id = 0; // from 1, in the order trials were created
    TrialStatus status = TrialStatus::Running;
    Assignment params;
    std::vector<double> values;  // the objective per epoch (index = epoch - 1)
    std::optional<double> score; // the best value over the epochs (averaged over executions)
    int epochs = 0;              // the epoch budget (0: the base spec's)
    int continueFrom = 0;        // Hyperband: the trial whose checkpoint this one resumes (0: none)
    int bracket = -1, rung = -1; // Hyperband's bookkeeping
    double startedAt = 0, finishedAt = 0; // unix seconds
    std::string error;                    // why it failed or is invalid
    std::string runDir;
    std::string worker;     // who runs it ("host:pid"), so processes sharing a study know
    double heartbeatAt = 0; // unix seconds of its worker's last sign of life (set by the store)
    int retriedFrom = 0;    // the FAILED trial this one retries (0: none; set by retryTrial)
};

} // namespace trainscope
