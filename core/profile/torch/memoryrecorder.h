// Allocations and frees as LibTorch's allocators report them to a profiler (the CPU allocator,
// and CUDA's caching allocator with its reserved pool), recorded on the training thread while
// the profile window is open, on the Tracer's clock.
#pragma once

#include "core/profile/traceevent.h"

#include <memory>
#include <vector>

namespace trainscope {

class Tracer;

class MemoryRecorder {
public:
    MemoryRecorder();
    ~MemoryRecorder();
    MemoryRecorder(const MemoryRecorder &) = delete;
    MemoryRecorder &operator=(const MemoryRecorder &) = delete;

    // Starts receiving this thread's reports (LibTorch's intra-op threads inherit them).
    void start(Tracer &clock);
    void stop();                     // on the thread that started
    std::vector<MemoryEvent> take(); // thread-safe

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace trainscope
