#include "core/profile/torch/profilesession.h"

#include "core/profile/chrometrace.h"
#include "core/profile/gpucollector.h"
#include "core/profile/stepanalysis.h"

#include <unistd.h>

namespace trainscope {
namespace {

// Operators are observed on one recorded step in this many: LibTorch's RecordFunction
// observers cost ~20 % of a short step, sampled they cost ~1 %.
constexpr int64_t kOperatorSampling = 20;
// Live trace snapshots at most this often (each is a copy of the window so far).
constexpr auto kTraceInterval = std::chrono::milliseconds(500);

template <typename T> void append(std::vector<T> &to, std::vector<T> &&from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

} // namespace

ProfileSession::ProfileSession(ProfileSchedule schedule, bool enabled, int jobId,
                               Observer &observer)
    : m_tracer(schedule, enabled)
    , m_jobId(jobId)
    , m_observer(observer) {}

ProfileSession::~ProfileSession() {
    stopCollectors();
}

void ProfileSession::startCollectors() {
    m_started = true;
    m_trace.processNames[0] = "trainscope (pid " + std::to_string(::getpid()) + ")";
    m_trace.threadNames[{0, traceThreadId()}] = "training";
    m_trace.deviceInfo.note = "no GPU: host and operator tracing only";
    if (m_gpuWanted) {
        m_gpu = GpuCollector::create();
        if (m_gpu->start([this] { return m_tracer.nowNs(); }))
            m_trace.deviceInfo.note.clear();
        else
            m_trace.deviceInfo.note = m_gpu->note();
    }
    m_memory.start(m_tracer);
}

bool ProfileSession::beginStep(int64_t step) {
    const bool recorded = m_tracer.beginStep(step);
    if (!recorded || m_finished) return recorded;
    if (!m_started) startCollectors();
    m_observingOps = m_recordedSteps++ % kOperatorSampling == 0;
    if (m_observingOps) m_ops.start(m_tracer);
    if (m_gpu) m_gpu->pushExternalId(uint64_t(step));
    return true;
}

void ProfileSession::endStep() {
    const bool recorded = m_tracer.recording();
    m_ops.stop(); // hands the step's operators to the tracer while it still records
    if (recorded && m_gpu) m_gpu->popExternalId();
    m_tracer.endStep(m_observingOps);
    m_observingOps = false;
    if (!recorded || m_finished) return;
    std::vector<TraceEvent> fresh = m_tracer.takeEvents();
    const std::vector<StepStats> steps = analyzeSteps(fresh);
    append(m_trace.events, std::move(fresh));
    collect();
    if (!steps.empty()) m_observer.onSteps(m_jobId, steps);
    sendTrace(false);
}

void ProfileSession::discardStep() {
    const bool recorded = m_tracer.recording();
    m_ops.stop();
    if (recorded && m_gpu) m_gpu->popExternalId();
    m_tracer.discardStep();
    if (recorded && m_recordedSteps > 0) --m_recordedSteps; // the sampling skips no real step
    m_observingOps = false;
}

void ProfileSession::collect() {
    append(m_trace.memory, m_memory.take());
    if (!m_gpu) return;
    GpuTrace gpu = m_gpu->take();
    append(m_trace.events, std::move(gpu.events));
    append(m_trace.flows, std::move(gpu.flows));
    // The driver's allocations are the caching allocator's segments, not its tensors: a series
    // of their own, so the two never add up into one total.
    for (MemoryEvent &m : gpu.memory)
        m.device += " (driver)";
    append(m_trace.memory, std::move(gpu.memory));
}

void ProfileSession::sendTrace(bool force) {
    if (!m_observer.wantsTrace()) return;
    const auto now = std::chrono::steady_clock::now();
    // A long window is copied less often, so the copies stay a small share of the job.
    const auto interval = kTraceInterval * (1 + m_trace.events.size() / 200000);
    if (!force && now - m_lastSent < interval) return;
    m_lastSent = now;
    if (m_gpu) m_trace.deviceInfo = m_gpu->info();
    for (const TraceEvent &e : m_trace.events)
        if (e.pid >= kGpuPidBase && !m_trace.processNames.count(e.pid))
            m_trace.processNames[e.pid] = "GPU " + std::to_string(e.pid - kGpuPidBase);
    m_observer.onTrace(m_jobId, std::make_shared<const TraceFile>(m_trace));
}

void ProfileSession::stopCollectors() {
    m_ops.stop();
    m_memory.stop();
    if (m_gpu) m_gpu->stop();
}

std::optional<ProfileSummary> ProfileSession::finish(const AdviceContext &context,
                                                     std::vector<StageStats> stages,
                                                     const std::string &runDir,
                                                     std::string &error) {
    if (!pending()) return std::nullopt;
    m_finished = true;
    stopCollectors();
    collect(); // what the GPU finished after the last step
    const std::string note = m_trace.deviceInfo.note;
    if (m_gpu) m_trace.deviceInfo = m_gpu->info();
    m_trace.deviceInfo.device = context.device == "cuda" ? "cuda:0" : "cpu";
    if (m_trace.deviceInfo.note.empty()) m_trace.deviceInfo.note = note;
    m_trace.stages = std::move(stages);
    m_trace.context = context;
    sendTrace(true);
    ProfileSummary summary = summarizeTrace(m_trace);
    try {
        writeChromeTrace(newProfilePath(runDir), m_trace);
    } catch (const std::exception &e) {
        error = e.what();
    }
    m_observer.onProfile(m_jobId, summary);
    // The schedule's next cycle (repeat) records a window, and a profile, of its own.
    m_trace = TraceFile{};
    m_started = m_finished = false;
    m_gpu.reset();
    return summary;
}

} // namespace trainscope
