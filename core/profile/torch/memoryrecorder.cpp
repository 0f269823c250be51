#include "core/profile/torch/memoryrecorder.h"

#include "core/profile/tracer.h"

#include <c10/core/Allocator.h>
#include <c10/util/ThreadLocalDebugInfo.h>
#include <mutex>

namespace trainscope {
namespace {

// LibTorch hands allocation reports to the PROFILER_STATE debug info of the allocating thread.
class Reporter : public c10::MemoryReportingInfoBase {
public:
    explicit Reporter(Tracer &clock)
        : m_clock(clock) {}

    // LibTorch 1.13 passes the totals as int64_t, 2.x as size_t: whichever matches overrides.
    void reportMemoryUsage(void *ptr, int64_t bytes, int64_t allocated, int64_t reserved,
                           c10::Device device) {
        record(ptr, bytes, allocated, reserved, device);
    }
    void reportMemoryUsage(void *ptr, int64_t bytes, size_t allocated, size_t reserved,
                           c10::Device device) {
        record(ptr, bytes, int64_t(allocated), int64_t(reserved), device);
    }
    bool memoryProfilingEnabled() const override { return true; }

    std::vector<MemoryEvent> take() {
        std::lock_guard<std::mutex> lock(m_mutex);
        return std::move(m_events);
    }

private:
    void record(void *ptr, int64_t bytes, int64_t allocated, int64_t reserved, c10::Device device) {
        MemoryEvent e;
        e.tsNs = m_clock.nowNs();
        e.address = uint64_t(reinterpret_cast<uintptr_t>(ptr));
        e.bytes = bytes;
        e.totalAllocated = allocated;
        // The CPU allocator has no pool: it reports 0 reserved, which means "not reported".
        e.totalReserved = device.is_cpu() ? -1 : reserved;
        e.device =
            device.is_cpu() ? "cpu" : "cuda:" + std::to_string(std::max<int>(0, device.index()));
        std::lock_guard<std::mutex> lock(m_mutex);
        m_events.push_back(std::move(e));
    }

    Tracer &m_clock;
    std::mutex m_mutex;
    std::vector<MemoryEvent> m_events;
};

} // namespace

struct MemoryRecorder::Impl {
    std::shared_ptr<Reporter> reporter;
    std::vector<MemoryEvent> taken; // what a stopped reporter left
};

MemoryRecorder::MemoryRecorder()
    : m_impl(std::make_unique<Impl>()) {}
MemoryRecorder::~MemoryRecorder() {
    stop();
}

void MemoryRecorder::start(Tracer &clock) {
    if (m_impl->reporter) return;
    m_impl->reporter = std::make_shared<Reporter>(clock);
    c10::ThreadLocalDebugInfo::_push(c10::DebugInfoKind::PROFILER_STATE, m_impl->reporter);
}

void MemoryRecorder::stop() {
    if (!m_impl->reporter) return;
    c10::ThreadLocalDebugInfo::_pop(c10::DebugInfoKind::PROFILER_STATE);
    std::vector<MemoryEvent> rest = m_impl->reporter->take();
    m_impl->taken.insert(m_impl->taken.end(), rest.begin(), rest.end());
    m_impl->reporter.reset();
}

std::vector<MemoryEvent> MemoryRecorder::take() {
    std::vector<MemoryEvent> out = std::move(m_impl->taken);
    m_impl->taken.clear();
    if (m_impl->reporter) {
        std::vector<MemoryEvent> fresh = m_impl->reporter->take();
        out.insert(out.end(), fresh.begin(), fresh.end());
    }
    return out;
}

} // namespace trainscope
