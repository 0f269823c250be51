// Turns one CUPTI activity record into Trainscope's values (still on the CUPTI clock): names,
// lanes and PyTorch-profiler argument keys, so the stats code reads CUPTI and imported traces
// alike.
#pragma once

#include "core/profile/traceevent.h"

#include <cupti_activity.h>

#include <cstdint>
#include <string>
#include <unordered_map>

namespace trainscope {

struct DecodedActivity {
    enum class Kind { Ignored, GpuWork, ApiCall, Sync, ExternalCorrelation, Memory, Overhead };
    Kind kind = Kind::Ignored;
    // GpuWork, ApiCall, Sync: times on the CUPTI clock. GpuWork lanes are set (GPU pid, stream);
    // ApiCall and Sync lanes are filled in when the host thread is known.
    TraceEvent event;
    // The launching API call's id (for memcpy the runtime's when there is one, else the driver's).
    uint32_t correlation = 0;
    uint32_t driverCorrelation = 0; // memcpy: the driver call's id, tried when the runtime's is 0
    uint32_t osThreadId = 0;        // ApiCall
    uint64_t externalId = 0;        // ExternalCorrelation (kind CUSTOM0 only)
    MemoryEvent memory;             // Memory: tsNs on the CUPTI clock
    int64_t overheadNs = 0;         // Overhead
};

class ActivityDecoder {
public:
    DecodedActivity decode(const CUpti_Activity *record);

    // "cudaLaunchKernel" for a runtime cbid (CUPTI's "_v7000" style suffix dropped); cached.
    const std::string &callbackName(CUpti_CallbackDomain domain, uint32_t cbid);
    // Driver calls worth drawing: launches and memory; the rest is noise on the timeline.
    static bool keepDriverCall(const std::string &name);
    static std::string demangle(const char *name);
    static const char *memcpyKindName(uint8_t kind);
    static const char *memoryKindName(int kind);

private:
    DecodedActivity decodeKernel(const CUpti_ActivityKernel10 &k);
    DecodedActivity decodeMemcpy(const CUpti_ActivityMemcpy6 &m);
    DecodedActivity decodeMemset(const CUpti_ActivityMemset4 &m);
    DecodedActivity decodeApi(const CUpti_ActivityAPI &a, CUpti_CallbackDomain domain);
    DecodedActivity decodeSync(const CUpti_ActivitySynchronization2 &s);
    DecodedActivity decodeMemory(const CUpti_ActivityMemory4 &m);

    std::unordered_map<uint64_t, std::string> m_names; // (domain << 32 | cbid) -> name
};

} // namespace trainscope
