// How running jobs and sweeps report to whoever watches them (the CLI's progress, the GUI's
// bridge): plain values through virtual calls made on worker threads. Implementations must be
// thread-safe and quick; no exception may escape them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trainscope {

// Values of the layers above (profile/, tune/), named here only: this folder is the bottom.
struct StepStats;
struct ProfileSummary;
struct TraceFile;
struct Trial;

enum class JobState { Queued, Running, Completed, Failed, Cancelled };
const char *jobStateName(JobState state); // "queued", "running", ...

struct JobProgress {
    int jobId = 0;
    int epoch = 0, epochs = 0; // epoch is 1-based while running
    int64_t step = 0;          // global step
    int64_t batch = 0, batchesPerEpoch = 0;
    double samplesPerSecond = 0;
    double loss = 0; // last training batch
};

struct EpochResult {
    int jobId = 0;
    int epoch = 0;
    double trainLoss = 0, trainAccuracy = 0;
    double valLoss = 0, valAccuracy = 0;
    double seconds = 0;
    bool validated = true; // false: no validation examples, so no val/* figures
};

// The metrics a training job reports each epoch, spelled once: its scalar tags, early
// stopping's monitors and the objectives a sweep over jobs can take.
const std::vector<std::string> &jobMetrics(); // "val/loss", "val/accuracy", "train/loss", ...
// `metric`'s value in `r`; nothing for a name not in jobMetrics().
std::optional<double> epochMetric(const EpochResult &r, const std::string &metric);
bool needsValidation(const std::string &metric); // a val/* metric
// "val loss 0.4123 acc 0.8750", or "no validation examples".
std::string validationText(const EpochResult &r);

// Rows are true classes, columns predicted classes.
struct ConfusionMatrix {
    int jobId = 0;
    int epoch = 0;
    std::vector<std::string> classNames;
    std::vector<int64_t> counts; // classes x classes, row-major

    int classes() const { return int(classNames.size()); }
    int64_t at(int trueClass, int predicted) const {
        return counts[size_t(trueClass * classes() + predicted)];
    }
};

class Observer {
public:
    virtual ~Observer() = default;
    // message: the run directory when Running, the reason when Failed.
    virtual void onState(int /*jobId*/, JobState, const std::string & /*message*/) {}
    virtual void onProgress(const JobProgress &) {}
    virtual void onEpoch(const EpochResult &) {}
    virtual void onSteps(int /*jobId*/, const std::vector<StepStats> &) {} // newly profiled steps
    virtual void onProfile(int /*jobId*/, const ProfileSummary &) {}       // the analysis so far
    virtual void onConfusion(const ConfusionMatrix &) {}
    // The profile window's trace so far (and once more, complete, when the window closes);
    // sent only to observers that want it, since each snapshot copies the window.
    virtual bool wantsTrace() const { return false; }
    virtual void onTrace(int /*jobId*/, std::shared_ptr<const TraceFile>) {}

    // Sweeps, by the SweepRunner's id (0 for a sweep run alone): a trial created, with a new
    // epoch value, or finished; a message (resumed trials, why it stopped); the end.
    virtual void onTrial(int /*sweepId*/, const Trial &) {}
    virtual void onSweepMessage(int /*sweepId*/, const std::string & /*text*/) {}
    virtual void onSweepEnd(int /*sweepId*/, const std::string & /*reason*/) {}
};

} // namespace trainscope
