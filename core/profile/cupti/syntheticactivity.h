// Lays out real CUPTI activity records in a buffer, as CUPTI hands them to the collector, so
// decoding, correlation and clock mapping are tested without a GPU (linked by tests only).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace trainscope {

class ActivityProcessor;

class SyntheticActivity {
public:
    struct Dim3 {
        int x = 1, y = 1, z = 1;
    };
    // CUPTI's CUpti_ActivityMemcpyKind / CUpti_ActivityMemoryKind values.
    enum class CopyKind { HtoD = 1, DtoH = 2, DtoD = 8, HtoH = 9, PtoP = 10 };
    enum class MemoryKind { Pageable = 1, Pinned = 2, Device = 3, Managed = 5 };
    // CUpti_ActivitySynchronizationType values.
    enum class SyncKind { Event = 1, StreamWaitEvent = 2, Stream = 3, Context = 4 };

    SyntheticActivity &addKernel(const std::string &name, int64_t startGpuNs, int64_t endGpuNs,
                                 uint32_t device, uint32_t stream, uint32_t correlation, Dim3 grid,
                                 Dim3 block, int registers, int staticSmem, int dynamicSmem);
    // `correlation` is the runtime call's id; `driverCorrelation` (0: the same) the driver's.
    SyntheticActivity &addMemcpy(uint64_t bytes, CopyKind kind, MemoryKind src, MemoryKind dst,
                                 int64_t startGpuNs, int64_t endGpuNs, uint32_t stream,
                                 uint32_t correlation, uint32_t device = 0,
                                 uint32_t driverCorrelation = 0);
    SyntheticActivity &addMemset(uint64_t bytes, MemoryKind kind, int64_t startGpuNs,
                                 int64_t endGpuNs, uint32_t stream, uint32_t correlation,
                                 uint32_t device = 0);
    // A runtime call by CUPTI callback id or by name ("cudaLaunchKernel"; throws if unknown).
    SyntheticActivity &addRuntime(uint32_t cbid, int64_t startGpuNs, int64_t endGpuNs,
                                  uint32_t threadId, uint32_t correlation);
    SyntheticActivity &addRuntime(const std::string &name, int64_t startGpuNs, int64_t endGpuNs,
                                  uint32_t threadId, uint32_t correlation);
    SyntheticActivity &addDriver(const std::string &name, int64_t startGpuNs, int64_t endGpuNs,
                                 uint32_t threadId, uint32_t correlation);
    // Kind CUSTOM0 unless `kind` names another CUpti_ExternalCorrelationKind value.
    SyntheticActivity &addExternalCorrelation(uint32_t correlation, uint64_t externalId,
                                              int kind = 3);
    SyntheticActivity &addMemory(uint64_t address, uint64_t bytes, bool allocation, int64_t tsGpuNs,
                                 uint32_t device, MemoryKind kind = MemoryKind::Device);
    SyntheticActivity &addOverhead(int64_t startGpuNs, int64_t endGpuNs);
    SyntheticActivity &addSync(SyncKind kind, int64_t startGpuNs, int64_t endGpuNs,
                               uint32_t correlation, uint32_t stream = 0);
    // What cuptiActivityGetNumDroppedRecords would report with this buffer.
    SyntheticActivity &addDropped(uint64_t count);
    // A (cuptiGetTimestamp, host now) pair, handed over before the buffer.
    SyntheticActivity &addClockSample(int64_t gpuNs, int64_t hostNs);

    // CUPTI's callback id for a runtime / driver function name (version suffix optional).
    static uint32_t runtimeCbid(const std::string &name);
    static uint32_t driverCbid(const std::string &name);

    size_t records() const { return m_records; }
    size_t bytes() const { return m_bytes.size(); }
    // Clock samples, then the records as one buffer (8-byte aligned, as CUPTI's are), then the
    // dropped count; the builder is empty afterwards.
    void feed(ActivityProcessor &processor);

private:
    template <typename Record> void append(const Record &record);
    const char *keep(const std::string &text);

    std::vector<uint8_t> m_bytes;
    std::deque<std::string> m_strings; // kernel names the records point at
    std::vector<std::pair<int64_t, int64_t>> m_clock;
    uint64_t m_dropped = 0;
    size_t m_records = 0;
};

} // namespace trainscope
