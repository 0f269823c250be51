// Running one trial (private to core/tune): a training job from the sweep's base spec, or an
// external command; per-epoch objective values go to the study as they come.
#pragma once

#include "core/run/sweepcontrol.h"
#include "core/tune/studystore.h"
#include "core/tune/sweepspec.h"

#include <functional>
#include <string>

namespace trainscope {

struct TrialContext {
    const SweepSpec &spec;
    std::string dir; // the sweep directory; trial runs go under it
    StudyStore &store;
    int threads = 0;                       // compute threads per trial (0: the library's)
    const SweepControl *control = nullptr; // stop the sweep, cancel this trial
    // The GPU this worker owns ("" : the job's own choice): CUDA_VISIBLE_DEVICES for a
    // command, training.device "cuda:N" for a training job.
    std::string device;
    std::function<void(const Trial &)> progress; // after each reported epoch
};

// The run directory of trial `id` ("DIR/trial-0007"), and of a repeat (…-r2).
std::string trialRunDir(const std::string &dir, int id, int execution = 0);

// Runs `trial` (status Running) to its end and returns it finished: COMPLETED with its score,
// PRUNED, FAILED with the error (a trial past trial_timeout_s among them), or still RUNNING
// when the sweep was stopped or the trial cancelled (the caller tells which).
Trial runTrial(Trial trial, const TrialContext &context);

} // namespace trainscope
