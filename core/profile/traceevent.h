// The pieces of a trace as the Chrome trace-event format (and Perfetto) knows them: ranges
// (ph X) and instants (ph i) on a thread or GPU stream, flows (ph s/f) from a runtime launch to
// its kernel, counters (ph C) and memory allocations. Times are nanoseconds on the host clock.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace trainscope {

// Lane conventions: host threads are (pid = process id or 0, tid = thread id); GPU streams are
// (pid = kGpuPidBase + device, tid = stream id), so every lane is one (pid, tid) pair.
constexpr int kGpuPidBase = 1 << 20;

struct TraceEvent {
    std::string name;
    // "step", "input", "h2d", "host_compute", "d2h", "cpu_op", "user_annotation",
    // "cuda_runtime", "cuda_driver", "kernel", "gpu_memcpy", "gpu_memset", "cuda_sync", ...
    std::string category;
    int64_t startNs = 0;
    int64_t durationNs = 0; // 0 for an instant
    int pid = 0;
    int tid = 0;
    std::vector<std::pair<std::string, std::string>> args; // shown as given
    char phase = 'X';                                      // 'X' range, 'i' instant

    int64_t endNs() const { return startNs + durationNs; }
    // The value of `key` in args, or "" when absent.
    const std::string &arg(const std::string &key) const {
        static const std::string none;
        for (const auto &kv : args)
            if (kv.first == key) return kv.second;
        return none;
    }
};

// An arrow from one lane to another (PyTorch's "ac2g": a runtime launch to its kernel).
struct TraceFlow {
    uint64_t id = 0;
    int64_t fromNs = 0;
    int fromPid = 0, fromTid = 0;
    int64_t toNs = 0;
    int toPid = 0, toTid = 0;
};

// One sample of a counter track (ph C), e.g. "GPU utilisation" or "Total Allocated".
struct CounterSample {
    std::string name;
    int pid = 0;
    int64_t tsNs = 0;
    double value = 0;
};

// One allocation (bytes > 0) or free (bytes < 0) on a device, with the allocator's totals after
// it; PyTorch writes these as "[memory]" instants, CUPTI as MEMORY2 records.
struct MemoryEvent {
    int64_t tsNs = 0;
    uint64_t address = 0;
    int64_t bytes = 0;
    int64_t totalAllocated = -1; // -1: not reported (derived from the running sum)
    int64_t totalReserved = -1;
    std::string device = "cpu"; // "cpu", "cuda:0", ...
};

} // namespace trainscope
