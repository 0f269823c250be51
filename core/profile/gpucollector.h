// The GPU half of a profile: a collector that records kernels, copies, runtime calls and device
// allocations (CUPTI on NVIDIA GPUs) and hands them out as trace values on the host clock.
#pragma once

#include "core/profile/tracefile.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace trainscope {

// What the collector decoded so far, on the host clock.
struct GpuTrace {
    // Kernels, memcpy and memset on GPU lanes (pid = kGpuPidBase + device, tid = stream);
    // runtime/driver calls and synchronisation on host lanes (pid 0, tid = the Tracer's small
    // thread id when the collector knows the thread, else the OS thread id).
    std::vector<TraceEvent> events;
    std::vector<TraceFlow> flows;    // runtime launch -> kernel/memcpy/memset (by correlation id)
    std::vector<MemoryEvent> memory; // device allocations and frees, device "cuda:N"
};

class GpuCollector {
public:
    // The collector for this build: CUPTI's when compiled in (TRAINSCOPE_WITH_CUPTI), otherwise
    // one whose start() says "no GPU collector: built without CUPTI".
    static std::unique_ptr<GpuCollector> create();
    // One line on what this build would trace with, for `trainscope --version`: where libcupti
    // was found (or why not) and the GPUs the driver reports (or why none).
    static std::string backendStatus();
    virtual ~GpuCollector() = default;

    // hostNowNs: the host clock the trace uses (the Tracer's nowNs). Returns false when GPU
    // tracing is unavailable; note() then says why in one line (e.g. "no GPU: host and operator
    // tracing only (no NVIDIA driver: libcuda.so.1 not found)"). Never throws, never crashes.
    virtual bool start(std::function<int64_t()> hostNowNs) = 0;
    // Ties GPU work launched on this thread to a host range (the step or operator) through CUPTI
    // external correlation (kind CUSTOM0); the id shows as "external id" on kernels and calls.
    virtual void pushExternalId(uint64_t id) = 0;
    virtual void popExternalId() = 0;
    virtual GpuTrace take() = 0; // moves out what has been decoded so far (thread-safe)
    // Flushes everything, disables activities and calls cuptiFinalize so nothing lingers.
    // Harmless when start() failed or was never called.
    virtual void stop() = 0;
    // Device "cuda:0" or "cpu", the note, records decoded, dropped records, clock skew.
    virtual DeviceTraceInfo info() const = 0;
    virtual std::string note() const = 0;
};

} // namespace trainscope
