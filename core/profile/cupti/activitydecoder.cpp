#include "core/profile/cupti/activitydecoder.h"

#include "core/profile/cupti/cuptilibrary.h"

#include <cxxabi.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace trainscope {

namespace {

std::string dim3(int64_t x, int64_t y, int64_t z) {
    return "[" + std::to_string(x) + ", " + std::to_string(y) + ", " + std::to_string(z) + "]";
}

// Lanes and ids shared by kernels, copies and sets.
void placeOnStream(TraceEvent &e, uint32_t device, uint32_t context, uint32_t stream,
                   uint32_t correlation) {
    e.pid = kGpuPidBase + int(device);
    e.tid = int(stream);
    e.args.push_back({"device", std::to_string(device)});
    e.args.push_back({"context", std::to_string(context)});
    e.args.push_back({"stream", std::to_string(stream)});
    e.args.push_back({"correlation", std::to_string(correlation)});
}

void setTimes(TraceEvent &e, uint64_t start, uint64_t end) {
    e.startNs = int64_t(start);
    e.durationNs = end > start ? int64_t(end - start) : 0;
}

// "_v7000", "_v2": CUPTI's API version suffix, not what people call the function.
std::string withoutVersionSuffix(std::string name) {
    const size_t at = name.rfind("_v");
    if (at == std::string::npos || at + 2 >= name.size()) return name;
    for (size_t i = at + 2; i < name.size(); ++i)
        if (name[i] < '0' || name[i] > '9') return name;
    name.resize(at);
    return name;
}

const char *syncName(CUpti_ActivitySynchronizationType type) {
    switch (type) {
    case CUPTI_ACTIVITY_SYNCHRONIZATION_TYPE_EVENT_SYNCHRONIZE:
        return "Event Sync";
    case CUPTI_ACTIVITY_SYNCHRONIZATION_TYPE_STREAM_WAIT_EVENT:
        return "Stream Wait Event";
    case CUPTI_ACTIVITY_SYNCHRONIZATION_TYPE_STREAM_SYNCHRONIZE:
        return "cudaStreamSynchronize";
    case CUPTI_ACTIVITY_SYNCHRONIZATION_TYPE_CONTEXT_SYNCHRONIZE:
        return "cudaDeviceSynchronize";
    default:
        return "Unknown Sync";
    }
}

} // namespace

std::string ActivityDecoder::demangle(const char *name) {
    if (!name) return "(unnamed kernel)";
    if (std::strncmp(name, "_Z", 2) != 0) return name;
    int status = 0;
    char *plain = abi::__cxa_demangle(name, nullptr, nullptr, &status);
    std::string out = (status == 0 && plain) ? plain : name;
    std::free(plain);
    return out;
}

const char *ActivityDecoder::memcpyKindName(uint8_t kind) {
    switch (kind) {
    case CUPTI_ACTIVITY_MEMCPY_KIND_HTOD:
        return "HtoD";
    case CUPTI_ACTIVITY_MEMCPY_KIND_DTOH:
        return "DtoH";
    case CUPTI_ACTIVITY_MEMCPY_KIND_HTOA:
        return "HtoA";
    case CUPTI_ACTIVITY_MEMCPY_KIND_ATOH:
        return "AtoH";
    case CUPTI_ACTIVITY_MEMCPY_KIND_ATOA:
        return "AtoA";
    case CUPTI_ACTIVITY_MEMCPY_KIND_ATOD:
        return "AtoD";
    case CUPTI_ACTIVITY_MEMCPY_KIND_DTOA:
        return "DtoA";
    case CUPTI_ACTIVITY_MEMCPY_KIND_DTOD:
        return "DtoD";
    case CUPTI_ACTIVITY_MEMCPY_KIND_HTOH:
        return "HtoH";
    case CUPTI_ACTIVITY_MEMCPY_KIND_PTOP:
        return "PtoP";
    default:
        return "Unknown";
    }
}

const char *ActivityDecoder::memoryKindName(int kind) {
    switch (kind) {
    case CUPTI_ACTIVITY_MEMORY_KIND_PAGEABLE:
        return "Pageable";
    case CUPTI_ACTIVITY_MEMORY_KIND_PINNED:
        return "Pinned";
    case CUPTI_ACTIVITY_MEMORY_KIND_DEVICE:
        return "Device";
    case CUPTI_ACTIVITY_MEMORY_KIND_ARRAY:
        return "Array";
    case CUPTI_ACTIVITY_MEMORY_KIND_MANAGED:
        return "Managed";
    case CUPTI_ACTIVITY_MEMORY_KIND_DEVICE_STATIC:
        return "Device Static";
    case CUPTI_ACTIVITY_MEMORY_KIND_MANAGED_STATIC:
        return "Managed Static";
    default:
        return "Unknown";
    }
}

const std::string &ActivityDecoder::callbackName(CUpti_CallbackDomain domain, uint32_t cbid) {
    const uint64_t key = (uint64_t(domain) << 32) | cbid;
    auto it = m_names.find(key);
    if (it != m_names.end()) return it->second;
    const char *name = nullptr;
    std::string text;
    const CuptiLibrary *lib = cupti().library;
    if (lib && lib->cuptiGetCallbackName(domain, cbid, &name) == CUPTI_SUCCESS && name)
        text = withoutVersionSuffix(name);
    else
        text = (domain == CUPTI_CB_DOMAIN_DRIVER_API ? "driver cbid " : "runtime cbid ") +
               std::to_string(cbid);
    return m_names.emplace(key, std::move(text)).first->second;
}

bool ActivityDecoder::keepDriverCall(const std::string &name) {
    static const char *const kept[] = {"cuLaunch", "cuMemcpy",      "cuMemAlloc",    "cuMemFree",
                                       "cuMemset", "cuGraphLaunch", "cuMemHostAlloc"};
    for (const char *prefix : kept)
        if (name.compare(0, std::strlen(prefix), prefix) == 0) return true;
    return false;
}

DecodedActivity ActivityDecoder::decode(const CUpti_Activity *record) {
    if (!record) return {};
    switch (record->kind) {
    case CUPTI_ACTIVITY_KIND_KERNEL:
    case CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL:
        return decodeKernel(*reinterpret_cast<const CUpti_ActivityKernel10 *>(record));
    case CUPTI_ACTIVITY_KIND_MEMCPY:
        return decodeMemcpy(*reinterpret_cast<const CUpti_ActivityMemcpy6 *>(record));
    case CUPTI_ACTIVITY_KIND_MEMSET:
        return decodeMemset(*reinterpret_cast<const CUpti_ActivityMemset4 *>(record));
    case CUPTI_ACTIVITY_KIND_RUNTIME:
        return decodeApi(*reinterpret_cast<const CUpti_ActivityAPI *>(record),
                         CUPTI_CB_DOMAIN_RUNTIME_API);
    case CUPTI_ACTIVITY_KIND_DRIVER:
        return decodeApi(*reinterpret_cast<const CUpti_ActivityAPI *>(record),
                         CUPTI_CB_DOMAIN_DRIVER_API);
    case CUPTI_ACTIVITY_KIND_SYNCHRONIZATION:
        return decodeSync(*reinterpret_cast<const CUpti_ActivitySynchronization2 *>(record));
    case CUPTI_ACTIVITY_KIND_MEMORY2:
        return decodeMemory(*reinterpret_cast<const CUpti_ActivityMemory4 *>(record));
    case CUPTI_ACTIVITY_KIND_EXTERNAL_CORRELATION: {
        const auto &x = *reinterpret_cast<const CUpti_ActivityExternalCorrelation *>(record);
        DecodedActivity d;
        if (x.externalKind != CUPTI_EXTERNAL_CORRELATION_KIND_CUSTOM0) return d; // not ours
        d.kind = DecodedActivity::Kind::ExternalCorrelation;
        d.correlation = x.correlationId;
        d.externalId = x.externalId;
        return d;
    }
    case CUPTI_ACTIVITY_KIND_OVERHEAD: {
        const auto &o = *reinterpret_cast<const CUpti_ActivityOverhead3 *>(record);
        DecodedActivity d;
        d.kind = DecodedActivity::Kind::Overhead;
        const uint64_t start = o.start, end = o.end;
        d.overheadNs = end > start ? int64_t(end - start) : 0;
        return d;
    }
    default:
        return {};
    }
}

DecodedActivity ActivityDecoder::decodeKernel(const CUpti_ActivityKernel10 &k) {
    DecodedActivity d;
    d.kind = DecodedActivity::Kind::GpuWork;
    d.correlation = k.correlationId;
    TraceEvent &e = d.event;
    e.name = demangle(k.name);
    e.category = "kernel";
    setTimes(e, k.start, k.end);
    placeOnStream(e, k.deviceId, k.contextId, k.streamId, k.correlationId);
    e.args.push_back({"registers per thread", std::to_string(k.registersPerThread)});
    e.args.push_back({"shared memory", std::to_string(int64_t(k.staticSharedMemory) +
                                                      int64_t(k.dynamicSharedMemory))});
    e.args.push_back({"grid", dim3(k.gridX, k.gridY, k.gridZ)});
    e.args.push_back({"block", dim3(k.blockX, k.blockY, k.blockZ)});
    return d;
}

DecodedActivity ActivityDecoder::decodeMemcpy(const CUpti_ActivityMemcpy6 &m) {
    DecodedActivity d;
    d.kind = DecodedActivity::Kind::GpuWork;
    const uint32_t runtimeCorrelation = m.runtimeCorrelationId;
    d.driverCorrelation = m.correlationId;
    d.correlation = runtimeCorrelation ? runtimeCorrelation : d.driverCorrelation;
    const char *kind = memcpyKindName(m.copyKind);
    const char *src = memoryKindName(m.srcKind);
    const char *dst = memoryKindName(m.dstKind);
    TraceEvent &e = d.event;
    // PyTorch's names, so kernel tables from either source line up.
    e.name = std::string("Memcpy ") + kind + " (" + src + " -> " + dst + ")";
    e.category = "gpu_memcpy";
    setTimes(e, m.start, m.end);
    placeOnStream(e, m.deviceId, m.contextId, m.streamId, d.correlation);
    const uint64_t bytes = m.bytes;
    e.args.push_back({"bytes", std::to_string(bytes)});
    e.args.push_back({"kind", kind});
    e.args.push_back({"src kind", src});
    e.args.push_back({"dst kind", dst});
    if (e.durationNs > 0) {
        char bw[32];
        std::snprintf(bw, sizeof bw, "%.3f", double(bytes) / double(e.durationNs));
        e.args.push_back({"memory bandwidth (GB/s)", bw});
    }
    return d;
}

DecodedActivity ActivityDecoder::decodeMemset(const CUpti_ActivityMemset4 &m) {
    DecodedActivity d;
    d.kind = DecodedActivity::Kind::GpuWork;
    d.correlation = m.correlationId;
    const char *memory = memoryKindName(m.memoryKind);
    TraceEvent &e = d.event;
    e.name = std::string("Memset (") + memory + ")";
    e.category = "gpu_memset";
    setTimes(e, m.start, m.end);
    placeOnStream(e, m.deviceId, m.contextId, m.streamId, m.correlationId);
    e.args.push_back({"bytes", std::to_string(uint64_t(m.bytes))});
    e.args.push_back({"memory kind", memory});
    e.args.push_back({"value", std::to_string(uint32_t(m.value))});
    return d;
}

DecodedActivity ActivityDecoder::decodeApi(const CUpti_ActivityAPI &a,
                                           CUpti_CallbackDomain domain) {
    DecodedActivity d;
    const std::string &name = callbackName(domain, a.cbid);
    const bool driver = domain == CUPTI_CB_DOMAIN_DRIVER_API;
    if (driver && !keepDriverCall(name)) return d;
    d.kind = DecodedActivity::Kind::ApiCall;
    d.correlation = a.correlationId;
    d.osThreadId = a.threadId;
    TraceEvent &e = d.event;
    e.name = name;
    e.category = driver ? "cuda_driver" : "cuda_runtime";
    setTimes(e, a.start, a.end);
    e.args.push_back({"cbid", std::to_string(uint32_t(a.cbid))});
    e.args.push_back({"correlation", std::to_string(d.correlation)});
    if (a.returnValue != 0) e.args.push_back({"return", std::to_string(uint32_t(a.returnValue))});
    return d;
}

DecodedActivity ActivityDecoder::decodeSync(const CUpti_ActivitySynchronization2 &s) {
    DecodedActivity d;
    d.kind = DecodedActivity::Kind::Sync;
    d.correlation = s.correlationId;
    TraceEvent &e = d.event;
    e.name = syncName(s.type);
    e.category = "cuda_sync";
    setTimes(e, s.start, s.end);
    e.args.push_back({"correlation", std::to_string(d.correlation)});
    e.args.push_back({"context", std::to_string(uint32_t(s.contextId))});
    // CUPTI_SYNCHRONIZATION_INVALID_VALUE (all ones) when the field does not apply.
    if (s.streamId != uint32_t(-1)) e.args.push_back({"stream", std::to_string(s.streamId)});
    if (s.cudaEventId != uint32_t(-1))
        e.args.push_back({"cuda event", std::to_string(s.cudaEventId)});
    return d;
}

DecodedActivity ActivityDecoder::decodeMemory(const CUpti_ActivityMemory4 &m) {
    DecodedActivity d;
    const auto op = m.memoryOperationType;
    if (op != CUPTI_ACTIVITY_MEMORY_OPERATION_TYPE_ALLOCATION &&
        op != CUPTI_ACTIVITY_MEMORY_OPERATION_TYPE_RELEASE)
        return d;
    d.kind = DecodedActivity::Kind::Memory;
    d.correlation = m.correlationId;
    MemoryEvent &mem = d.memory;
    mem.tsNs = int64_t(uint64_t(m.timestamp));
    mem.address = m.address;
    const int64_t bytes = int64_t(uint64_t(m.bytes));
    mem.bytes = op == CUPTI_ACTIVITY_MEMORY_OPERATION_TYPE_ALLOCATION ? bytes : -bytes;
    // Pinned and pageable host memory live in host RAM, whatever device the call named.
    const auto kind = m.memoryKind;
    const bool host =
        kind == CUPTI_ACTIVITY_MEMORY_KIND_PINNED || kind == CUPTI_ACTIVITY_MEMORY_KIND_PAGEABLE;
    mem.device = host ? "cpu" : "cuda:" + std::to_string(uint32_t(m.deviceId));
    return d;
}

} // namespace trainscope
