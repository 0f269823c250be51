// One job's profiling: the Tracer's host ranges, sampled operators, allocator reports and (on a
// GPU) the CUPTI collector, gathered into one trace over the profile window, sent live to the
// observer, then analysed and saved with the run.
#pragma once

#include "core/jobs/observer.h"
#include "core/profile/torch/memoryrecorder.h"
#include "core/profile/torch/opcollector.h"
#include "core/profile/tracefile.h"
#include "core/profile/tracer.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace trainscope {

class GpuCollector;

class ProfileSession {
public:
    ProfileSession(ProfileSchedule schedule, bool enabled, int jobId, Observer &observer);
    ~ProfileSession();
    ProfileSession(const ProfileSession &) = delete;
    ProfileSession &operator=(const ProfileSession &) = delete;

    Tracer &tracer() { return m_tracer; }
    // The job trains on a CUDA device, so the GPU collector is worth starting.
    void setGpu(bool gpu) { m_gpuWanted = gpu; }

    // Call on the training thread around each step; beginStep says whether it is recorded.
    bool beginStep(int64_t step);
    void endStep();     // collects the step (its cost counts in the step's time)
    void discardStep(); // the step found no batch: nothing of it is kept

    // The window has closed (or the job ends): whether there is an unsaved profile.
    bool pending() const { return !m_trace.events.empty() && !m_finished; }
    // Stops the collectors, analyses the window, saves it under `runDir` and reports it; the
    // schedule's next cycle then starts a window of its own.
    // Returns the summary; `error` says why the trace could not be saved.
    std::optional<ProfileSummary> finish(const AdviceContext &context,
                                         std::vector<StageStats> stages, const std::string &runDir,
                                         std::string &error);
    void stopCollectors(); // on failure or cancel: nothing keeps running

private:
    void startCollectors();
    void collect();
    void sendTrace(bool force);

    Tracer m_tracer;
    bool m_gpuWanted = false;
    int m_jobId;
    Observer &m_observer;
    OperatorCollector m_ops;
    MemoryRecorder m_memory;
    std::unique_ptr<GpuCollector> m_gpu;
    bool m_started = false, m_finished = false, m_observingOps = false;
    int64_t m_recordedSteps = 0;
    TraceFile m_trace; // the window so far
    std::chrono::steady_clock::time_point m_lastSent{};
};

} // namespace trainscope
