#include "core/profile/cupti/syntheticactivity.h"

#include "core/profile/cupti/activityprocessor.h"

#include "core/profile/cupti/cuptilibrary.h"

#include <cstring>
#include <stdexcept>

namespace trainscope {

namespace {

bool sameFunction(const char *cuptiName, const std::string &name) {
    if (!cuptiName) return false;
    const size_t n = name.size();
    if (std::strncmp(cuptiName, name.c_str(), n) != 0) return false;
    if (cuptiName[n] == '\0') return true;
    if (cuptiName[n] != '_' || cuptiName[n + 1] != 'v' || cuptiName[n + 2] == '\0') return false;
    for (const char *p = cuptiName + n + 2; *p; ++p)
        if (*p < '0' || *p > '9') return false;
    return true;
}

uint32_t findCbid(CUpti_CallbackDomain domain, uint32_t count, const std::string &name) {
    const CuptiLoad &load = cupti();
    if (!load.library)
        throw std::runtime_error("synthetic CUPTI records need libcupti: " + load.reason);
    const CuptiLibrary &lib = *load.library;
    for (uint32_t cbid = 1; cbid < count; ++cbid) {
        const char *text = nullptr;
        if (lib.cuptiGetCallbackName(domain, cbid, &text) == CUPTI_SUCCESS &&
            sameFunction(text, name))
            return cbid;
    }
    throw std::invalid_argument("no CUPTI callback id for " + name);
}

} // namespace

template <typename Record> void SyntheticActivity::append(const Record &record) {
    static_assert(sizeof(Record) % 8 == 0, "CUPTI records are 8-byte multiples");
    const size_t at = m_bytes.size();
    m_bytes.resize(at + sizeof(Record));
    std::memcpy(m_bytes.data() + at, &record, sizeof(Record));
    ++m_records;
}

const char *SyntheticActivity::keep(const std::string &text) {
    m_strings.push_back(text);
    return m_strings.back().c_str();
}

uint32_t SyntheticActivity::runtimeCbid(const std::string &name) {
    return findCbid(CUPTI_CB_DOMAIN_RUNTIME_API, CUPTI_RUNTIME_TRACE_CBID_SIZE, name);
}

uint32_t SyntheticActivity::driverCbid(const std::string &name) {
    return findCbid(CUPTI_CB_DOMAIN_DRIVER_API, CUPTI_DRIVER_TRACE_CBID_SIZE, name);
}

SyntheticActivity &SyntheticActivity::addKernel(const std::string &name, int64_t startGpuNs,
                                                int64_t endGpuNs, uint32_t device, uint32_t stream,
                                                uint32_t correlation, Dim3 grid, Dim3 block,
                                                int registers, int staticSmem, int dynamicSmem) {
    CUpti_ActivityKernel10 k;
    std::memset(&k, 0, sizeof k);
    k.kind = CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL;
    k.name = keep(name);
    k.start = uint64_t(startGpuNs);
    k.end = uint64_t(endGpuNs);
    k.completed = uint64_t(endGpuNs);
    k.deviceId = device;
    k.contextId = 1;
    k.streamId = stream;
    k.correlationId = correlation;
    k.gridX = grid.x;
    k.gridY = grid.y;
    k.gridZ = grid.z;
    k.blockX = block.x;
    k.blockY = block.y;
    k.blockZ = block.z;
    k.registersPerThread = uint16_t(registers);
    k.staticSharedMemory = staticSmem;
    k.dynamicSharedMemory = dynamicSmem;
    append(k);
    return *this;
}

SyntheticActivity &SyntheticActivity::addMemcpy(uint64_t bytes, CopyKind kind, MemoryKind src,
                                                MemoryKind dst, int64_t startGpuNs,
                                                int64_t endGpuNs, uint32_t stream,
                                                uint32_t correlation, uint32_t device,
                                                uint32_t driverCorrelation) {
    CUpti_ActivityMemcpy6 m;
    std::memset(&m, 0, sizeof m);
    m.kind = CUPTI_ACTIVITY_KIND_MEMCPY;
    m.copyKind = uint8_t(kind);
    m.srcKind = uint8_t(src);
    m.dstKind = uint8_t(dst);
    m.bytes = bytes;
    m.start = uint64_t(startGpuNs);
    m.end = uint64_t(endGpuNs);
    m.deviceId = device;
    m.contextId = 1;
    m.streamId = stream;
    m.correlationId = driverCorrelation ? driverCorrelation : correlation;
    m.runtimeCorrelationId = correlation;
    m.copyCount = 1;
    append(m);
    return *this;
}

SyntheticActivity &SyntheticActivity::addMemset(uint64_t bytes, MemoryKind kind, int64_t startGpuNs,
                                                int64_t endGpuNs, uint32_t stream,
                                                uint32_t correlation, uint32_t device) {
    CUpti_ActivityMemset4 m;
    std::memset(&m, 0, sizeof m);
    m.kind = CUPTI_ACTIVITY_KIND_MEMSET;
    m.bytes = bytes;
    m.start = uint64_t(startGpuNs);
    m.end = uint64_t(endGpuNs);
    m.deviceId = device;
    m.contextId = 1;
    m.streamId = stream;
    m.correlationId = correlation;
    m.memoryKind = uint16_t(kind);
    append(m);
    return *this;
}

SyntheticActivity &SyntheticActivity::addRuntime(uint32_t cbid, int64_t startGpuNs,
                                                 int64_t endGpuNs, uint32_t threadId,
                                                 uint32_t correlation) {
    CUpti_ActivityAPI a;
    std::memset(&a, 0, sizeof a);
    a.kind = CUPTI_ACTIVITY_KIND_RUNTIME;
    a.cbid = cbid;
    a.start = uint64_t(startGpuNs);
    a.end = uint64_t(endGpuNs);
    a.processId = 1;
    a.threadId = threadId;
    a.correlationId = correlation;
    append(a);
    return *this;
}

SyntheticActivity &SyntheticActivity::addRuntime(const std::string &name, int64_t startGpuNs,
                                                 int64_t endGpuNs, uint32_t threadId,
                                                 uint32_t correlation) {
    return addRuntime(runtimeCbid(name), startGpuNs, endGpuNs, threadId, correlation);
}

SyntheticActivity &SyntheticActivity::addDriver(const std::string &name, int64_t startGpuNs,
                                                int64_t endGpuNs, uint32_t threadId,
                                                uint32_t correlation) {
    CUpti_ActivityAPI a;
    std::memset(&a, 0, sizeof a);
    a.kind = CUPTI_ACTIVITY_KIND_DRIVER;
    a.cbid = driverCbid(name);
    a.start = uint64_t(startGpuNs);
    a.end = uint64_t(endGpuNs);
    a.processId = 1;
    a.threadId = threadId;
    a.correlationId = correlation;
    append(a);
    return *this;
}

SyntheticActivity &SyntheticActivity::addExternalCorrelation(uint32_t correlation,
                                                             uint64_t externalId, int kind) {
    CUpti_ActivityExternalCorrelation x;
    std::memset(&x, 0, sizeof x);
    x.kind = CUPTI_ACTIVITY_KIND_EXTERNAL_CORRELATION;
    x.externalKind = CUpti_ExternalCorrelationKind(kind);
    x.externalId = externalId;
    x.correlationId = correlation;
    append(x);
    return *this;
}

SyntheticActivity &SyntheticActivity::addMemory(uint64_t address, uint64_t bytes, bool allocation,
                                                int64_t tsGpuNs, uint32_t device, MemoryKind kind) {
    CUpti_ActivityMemory4 m;
    std::memset(&m, 0, sizeof m);
    m.kind = CUPTI_ACTIVITY_KIND_MEMORY2;
    m.memoryOperationType = allocation ? CUPTI_ACTIVITY_MEMORY_OPERATION_TYPE_ALLOCATION
                                       : CUPTI_ACTIVITY_MEMORY_OPERATION_TYPE_RELEASE;
    m.memoryKind = CUpti_ActivityMemoryKind(kind);
    m.address = address;
    m.bytes = bytes;
    m.timestamp = uint64_t(tsGpuNs);
    m.processId = 1;
    m.deviceId = device;
    m.contextId = 1;
    append(m);
    return *this;
}

SyntheticActivity &SyntheticActivity::addOverhead(int64_t startGpuNs, int64_t endGpuNs) {
    CUpti_ActivityOverhead3 o;
    std::memset(&o, 0, sizeof o);
    o.kind = CUPTI_ACTIVITY_KIND_OVERHEAD;
    o.overheadKind = CUPTI_ACTIVITY_OVERHEAD_CUPTI_BUFFER_FLUSH;
    o.objectKind = CUPTI_ACTIVITY_OBJECT_THREAD;
    o.start = uint64_t(startGpuNs);
    o.end = uint64_t(endGpuNs);
    append(o);
    return *this;
}

SyntheticActivity &SyntheticActivity::addSync(SyncKind kind, int64_t startGpuNs, int64_t endGpuNs,
                                              uint32_t correlation, uint32_t stream) {
    CUpti_ActivitySynchronization2 s;
    std::memset(&s, 0, sizeof s);
    s.kind = CUPTI_ACTIVITY_KIND_SYNCHRONIZATION;
    s.type = CUpti_ActivitySynchronizationType(kind);
    s.start = uint64_t(startGpuNs);
    s.end = uint64_t(endGpuNs);
    s.correlationId = correlation;
    s.contextId = 1;
    s.streamId = kind == SyncKind::Context ? uint32_t(-1) : stream;
    s.cudaEventId = uint32_t(-1);
    append(s);
    return *this;
}

SyntheticActivity &SyntheticActivity::addDropped(uint64_t count) {
    m_dropped += count;
    return *this;
}

SyntheticActivity &SyntheticActivity::addClockSample(int64_t gpuNs, int64_t hostNs) {
    m_clock.push_back({gpuNs, hostNs});
    return *this;
}

void SyntheticActivity::feed(ActivityProcessor &processor) {
    for (const auto &[gpu, host] : m_clock)
        processor.addClockSample(gpu, host);
    // uint64_t storage: the 8-byte alignment CUPTI guarantees for its own buffers.
    std::vector<uint64_t> aligned((m_bytes.size() + 7) / 8);
    if (!m_bytes.empty()) std::memcpy(aligned.data(), m_bytes.data(), m_bytes.size());
    processor.processBuffer(reinterpret_cast<const uint8_t *>(aligned.data()), m_bytes.size());
    if (m_dropped) processor.addDropped(m_dropped);
    m_bytes.clear();
    m_clock.clear();
    m_dropped = 0;
    m_records = 0;
    // m_strings stay: CUPTI's names outlive the buffer too, and decoding copied them anyway.
}

} // namespace trainscope
