// Runs one training job to its end on the calling thread: data, pipeline, model, optimizer,
// epochs with validation, callbacks (early stopping, checkpoints, confusion matrix,
// histograms), the step-time profiler, and event-file logging into the run directory.
#pragma once

#include "core/events/eventvalues.h"
#include "core/jobs/jobspec.h"
#include "core/jobs/observer.h"
#include "core/profile/stepstats.h"
#include "core/train/evaluation.h"

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trainscope {

struct TrainOutcome {
    JobState state = JobState::Failed;
    std::string error;     // why it failed, for the GUI, the CLI and the run's log
    bool badInput = false; // the spec names something unusable (a missing or corrupt dataset)
    std::string runDir;
    std::vector<EpochResult> epochs;
    // Over every step of the run, the first epoch (filling caches) included: not the profile's
    // mean step (profile->meanStepMs), the one figure every view calls "mean step".
    double runMeanStepMs = 0;
    std::vector<float> profiledStepMs,
        unprofiledStepMs; // each step's time, inside / outside the window
    double samplesPerSecond = 0;
    int64_t samplesTrained = 0; // over all steps
    int bestEpoch = 0; // by validation accuracy (training accuracy without validation examples)
    std::optional<ProfileSummary> profile;
    std::optional<Evaluation> test; // dataset.test_path, scored with the best weights
};

// Never throws: a failure (bad data file, NaN loss, out of memory...) comes back as Failed
// with the reason, also written to <runDir>/trainscope.log. `observer` and `cancel` may be null.
// `hparams`: what TensorBoard's HParams view shows for the run (a sweep's trial values);
// null: spec.hparams().
TrainOutcome runTraining(const JobSpec &spec, const std::string &runDir, int jobId = 0,
                         Observer *observer = nullptr, const std::atomic<bool> *cancel = nullptr,
                         const std::map<std::string, HParamValue> *hparams = nullptr);

} // namespace trainscope
