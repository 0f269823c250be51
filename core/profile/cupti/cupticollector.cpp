#include "core/profile/cupti/cupticollector.h"

#include "core/profile/cupti/cuptilibrary.h"
#include "core/profile/cupti/cuptinote.h"
#include "core/profile/cupti/gpuprobe.h"
#include "core/profile/tracer.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>

namespace trainscope {

std::unique_ptr<GpuCollector> GpuCollector::create() {
    return std::make_unique<CuptiCollector>();
}

std::string GpuCollector::backendStatus() {
    const GpuProbe probe = probeGpu();
    const std::string gpus = probe.available ? std::to_string(probe.devices) + " CUDA device" +
                                                   (probe.devices == 1 ? "" : "s")
                                             : noGpuNote(probe.reason);
    return cuptiDescription(cupti()) + "; " + gpus;
}

namespace {

// CUPTI's buffer callbacks are plain functions: they reach the one collector that owns CUPTI
// through this pointer. The mutex keeps stop() from tearing it down mid-buffer.
std::mutex s_activeMutex;
CuptiCollector *s_active = nullptr;
std::atomic<uint64_t> s_generations{0};

struct KindInfo {
    CUpti_ActivityKind kind;
    const char *name;
    bool required;
};
constexpr KindInfo kKinds[] = {
    {CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL, "CONCURRENT_KERNEL", true},
    {CUPTI_ACTIVITY_KIND_MEMCPY, "MEMCPY", false},
    {CUPTI_ACTIVITY_KIND_MEMSET, "MEMSET", false},
    {CUPTI_ACTIVITY_KIND_RUNTIME, "RUNTIME", false},
    {CUPTI_ACTIVITY_KIND_DRIVER, "DRIVER", false},
    {CUPTI_ACTIVITY_KIND_SYNCHRONIZATION, "SYNCHRONIZATION", false},
    {CUPTI_ACTIVITY_KIND_MEMORY2, "MEMORY2", false},
    {CUPTI_ACTIVITY_KIND_EXTERNAL_CORRELATION, "EXTERNAL_CORRELATION", false},
    {CUPTI_ACTIVITY_KIND_OVERHEAD, "OVERHEAD", false},
};

// Failures that mean CUPTI is not ours to use at all, whichever kind reported them.
bool fatal(CUptiResult r) {
    return r == CUPTI_ERROR_INSUFFICIENT_PRIVILEGES ||
           r == CUPTI_ERROR_VIRTUALIZED_DEVICE_INSUFFICIENT_PRIVILEGES ||
           r == CUPTI_ERROR_MULTIPLE_SUBSCRIBERS_NOT_SUPPORTED || r == CUPTI_ERROR_NOT_INITIALIZED;
}

void CUPTIAPI onBufferRequested(uint8_t **buffer, size_t *size, size_t *maxNumRecords) {
    // CUPTI wants 8-byte aligned buffers (ACTIVITY_RECORD_ALIGNMENT).
    *buffer = static_cast<uint8_t *>(std::aligned_alloc(8, CuptiCollector::kBufferBytes));
    *size = *buffer ? CuptiCollector::kBufferBytes : 0;
    *maxNumRecords = 0; // as many as fit
}

void CUPTIAPI onBufferCompleted(CUcontext context, uint32_t streamId, uint8_t *buffer, size_t,
                                size_t validSize) {
    size_t dropped = 0;
    if (cupti().library->cuptiActivityGetNumDroppedRecords(context, streamId, &dropped) !=
        CUPTI_SUCCESS)
        dropped = 0;
    try {
        std::lock_guard lock(s_activeMutex);
        if (s_active) {
            s_active->processor().processBuffer(buffer, validSize);
            if (dropped) s_active->processor().addDropped(dropped);
        }
    } catch (const std::exception &e) {
        // Nothing may unwind into CUPTI; a lost buffer is at least said out loud.
        std::fprintf(stderr, "trainscope: GPU activity buffer lost: %s\n", e.what());
    }
    std::free(buffer);
}

int64_t steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

CuptiCollector::CuptiCollector()
    : m_generation(++s_generations) {}

CuptiCollector::~CuptiCollector() {
    stop();
}

void CuptiCollector::setNote(std::string note) {
    std::lock_guard lock(m_noteMutex);
    m_note = std::move(note);
}

bool CuptiCollector::start(std::function<int64_t()> hostNowNs) {
    try {
        std::lock_guard lock(m_control);
        if (m_running) return true;
        m_hostNow = hostNowNs ? std::move(hostNowNs) : steadyNowNs;
        const GpuProbe probe = probeGpu();
        if (!probe.available) {
            setNote(noGpuNote(probe.reason));
            return false;
        }
        const CuptiLoad &load = cupti();
        if (!load.library) {
            setNote("GPU tracing unavailable: " + load.reason);
            return false;
        }
        m_cupti = load.library;
        {
            std::lock_guard active(s_activeMutex);
            if (s_active) {
                setNote("GPU tracing unavailable: another Trainscope GPU collector is running");
                return false;
            }
            s_active = this;
        }
        if (!startCupti(probe.devices)) {
            std::lock_guard active(s_activeMutex);
            s_active = nullptr;
            return false;
        }
        return true;
    } catch (const std::exception &e) {
        setNote(std::string("GPU tracing unavailable: ") + e.what());
        return false;
    }
}

bool CuptiCollector::startCupti(int devices) {
    // Thread ids as gettid() reports them, so host lanes can be matched to the Tracer's.
    m_cupti->cuptiSetThreadIdType(CUPTI_ACTIVITY_THREAD_ID_TYPE_SYSTEM);
    CUptiResult r = m_cupti->cuptiActivityRegisterCallbacks(onBufferRequested, onBufferCompleted);
    if (r != CUPTI_SUCCESS) {
        setNote(cuptiFailureNote(r, "cuptiActivityRegisterCallbacks"));
        return false;
    }
    std::string missing;
    for (const KindInfo &k : kKinds) {
        r = m_cupti->cuptiActivityEnable(k.kind);
        if (r == CUPTI_SUCCESS) {
            m_enabled.push_back(int(k.kind));
            continue;
        }
        if (k.required || fatal(r)) {
            setNote(cuptiFailureNote(r, std::string("cuptiActivityEnable(") + k.name + ")"));
            // Finalize only what we enabled: another in-process profiler keeps its session.
            const bool ours = !m_enabled.empty();
            disableAll();
            if (ours) m_cupti->cuptiFinalize();
            return false;
        }
        missing += (missing.empty() ? "" : ", ") + std::string(k.name);
    }
    sampleClock();
    try {
        m_quit = false;
        m_thread = std::thread([this] { collectLoop(); });
    } catch (const std::exception &e) {
        setNote(std::string("GPU tracing unavailable: no collector thread: ") + e.what());
        disableAll();
        m_cupti->cuptiFinalize();
        return false;
    }
    m_running = true;
    mapThisThread();
    {
        std::lock_guard lock(m_noteMutex);
        m_device = "cuda:0";
        m_note = "GPU tracing: CUPTI on " + std::to_string(devices) + " CUDA device" +
                 (devices == 1 ? "" : "s");
        if (!missing.empty()) m_note += " (not recorded: " + missing + ")";
    }
    return true;
}

void CuptiCollector::disableAll() {
    for (int kind : m_enabled)
        m_cupti->cuptiActivityDisable(CUpti_ActivityKind(kind));
    m_enabled.clear();
}

void CuptiCollector::collectLoop() {
    std::unique_lock lock(m_wakeMutex);
    while (!m_quit) {
        m_wake.wait_for(lock, std::chrono::milliseconds(kFlushPeriodMs), [this] { return m_quit; });
        if (m_quit) break;
        lock.unlock();
        // Completed buffers only; a forced flush would hand over half-written records.
        m_cupti->cuptiActivityFlushAll(0);
        sampleClock();
        m_processor.endRound();
        lock.lock();
    }
}

void CuptiCollector::sampleClock() {
    // Bracket the GPU read by two host reads; the midpoint is the host time of the sample.
    const int64_t before = m_hostNow();
    uint64_t gpu = 0;
    if (m_cupti->cuptiGetTimestamp(&gpu) != CUPTI_SUCCESS) return;
    const int64_t after = m_hostNow();
    m_processor.addClockSample(int64_t(gpu), before + (after - before) / 2);
}

void CuptiCollector::mapThisThread() {
    thread_local uint64_t mappedFor = 0;
    if (mappedFor == m_generation) return;
    mappedFor = m_generation;
    m_processor.mapThread(uint32_t(::syscall(SYS_gettid)), traceThreadId());
}

void CuptiCollector::pushExternalId(uint64_t id) {
    if (!m_running.load(std::memory_order_relaxed)) return;
    mapThisThread();
    m_cupti->cuptiActivityPushExternalCorrelationId(CUPTI_EXTERNAL_CORRELATION_KIND_CUSTOM0, id);
}

void CuptiCollector::popExternalId() {
    if (!m_running.load(std::memory_order_relaxed)) return;
    m_cupti->cuptiActivityPopExternalCorrelationId(CUPTI_EXTERNAL_CORRELATION_KIND_CUSTOM0,
                                                   nullptr);
}

GpuTrace CuptiCollector::take() {
    return m_processor.take();
}

void CuptiCollector::stop() {
    std::lock_guard lock(m_control);
    if (!m_running) return;
    {
        std::lock_guard wake(m_wakeMutex);
        m_quit = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
    sampleClock();
    m_cupti->cuptiActivityFlushAll(CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
    disableAll();
    // Records written while disabling, then let CUPTI go so nothing lingers in the process.
    m_cupti->cuptiActivityFlushAll(CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
    m_cupti->cuptiFinalize();
    {
        std::lock_guard active(s_activeMutex);
        s_active = nullptr;
    }
    m_processor.finish();
    m_running = false;
}

DeviceTraceInfo CuptiCollector::info() const {
    const ActivityStats s = m_processor.stats();
    DeviceTraceInfo info;
    {
        std::lock_guard lock(m_noteMutex);
        info.device = m_device;
    }
    info.note = note();
    info.records = s.records;
    info.dropped = s.dropped;
    info.clockSkewNs = s.clockSkewNs;
    return info;
}

std::string CuptiCollector::note() const {
    std::string text;
    {
        std::lock_guard lock(m_noteMutex);
        text = m_note;
    }
    const ActivityStats s = m_processor.stats();
    if (s.dropped)
        text += "; " + std::to_string(s.dropped) + " records dropped (CUPTI buffers full)";
    if (s.overheadRecords) {
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.3f", double(s.overheadNs) / 1e6);
        text +=
            "; CUPTI overhead: " + std::to_string(s.overheadRecords) + " records, " + ms + " ms";
    }
    return text;
}

} // namespace trainscope
