// A sweep as written in sweep.json: what a trial runs (a base job spec, or an external command
// template), the objective, the search space, the oracle, the pruner and the budget.
#pragma once

#include "core/jobs/jobspec.h"
#include "core/tune/commandtemplate.h"
#include "core/tune/oracle.h"
#include "core/tune/searchspace.h"
#include "core/tune/trial.h"

#include <optional>
#include <string>

namespace trainscope {

struct SweepSpec {
    std::string name = "sweep";
    // Trials are training jobs: the base spec with each trial's parameters set (names are spec
    // paths, checked when the sweep is read)...
    std::optional<JobSpec> job;
    // ...or an external command with {parameter} placeholders (commandtemplate.h); its objective
    // comes from a final stdout line "objective=<number>" or from the event files it writes
    // under $TRAINSCOPE_TRIAL_LOGDIR.
    std::string command;
    SearchSpace space;
    Objective objective;
    OracleSpec oracle;
    PrunerSpec pruner;
    int maxTrials = 20;
    int workers = 1;
    int executionsPerTrial = 1;
    int maxConsecutiveFailedTrials = 3;
    double trialTimeoutSeconds = 0; // a trial running longer is stopped and FAILED (0: no limit)

    // Parses and validates; throws SpecError naming the field ("space.model.dropout: min > max").
    static SweepSpec fromJson(const std::string &json);
    static SweepSpec fromFile(const std::string &path); // the field is prefixed by the path
    // Checks every value (oracle and pruner settings, budget, parameter paths against the job,
    // placeholders); throws SpecError naming the field, as fromJson does for a file.
    void validate() const;
    std::string toJson() const;

    // The job a trial runs: the base spec with `params` set (and `epochs` when > 0).
    JobSpec trialJob(const Assignment &params, int epochs = 0) const;
    // The command a trial runs, each placeholder's value in its argv element (or quoted for
    // where it stands in shell text); an inactive parameter's placeholder becomes nothing.
    CommandLine trialCommand(const Assignment &params) const;
};

} // namespace trainscope
