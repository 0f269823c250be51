#include "core/profile/tracer.h"

#include <algorithm>
#include <string>

namespace trainscope {

ProfileSchedule::Phase ProfileSchedule::phaseOf(int64_t step) const {
    if (step < skipFirst) return Phase::Skip;
    const int64_t cycle = int64_t(wait) + warmup + active;
    if (cycle <= 0) return Phase::Done;
    const int64_t since = step - skipFirst;
    if (repeat > 0 && since >= cycle * repeat) return Phase::Done;
    const int64_t at = since % cycle;
    if (at < wait) return Phase::Wait;
    if (at < wait + warmup) return Phase::Warmup;
    return Phase::Active;
}

int traceThreadId() {
    static std::atomic<int> next{1};
    thread_local const int id = next++;
    return id;
}

Tracer::Tracer(ProfileSchedule schedule, bool enabled)
    : m_schedule(schedule)
    , m_enabled(enabled)
    , m_origin(std::chrono::steady_clock::now()) {}

int64_t Tracer::nowNs() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                m_origin)
        .count();
}

bool Tracer::beginStep(int64_t step) {
    const bool active = m_enabled && m_schedule.phaseOf(step) == ProfileSchedule::Phase::Active;
    m_recording.store(active, std::memory_order_relaxed);
    m_step = step;
    if (active) m_stepStart = nowNs();
    return active;
}

void Tracer::endStep(bool operatorsObserved) {
    if (!recording()) return;
    const std::string name = "ProfilerStep#" + std::to_string(m_step);
    {
        std::lock_guard lock(m_mutex);
        m_events.push_back(
            {name, "step", m_stepStart, nowNs() - m_stepStart, 0, traceThreadId(), {}});
        if (operatorsObserved) m_events.back().args.push_back({"operators", "observed"});
    }
    m_recording.store(false, std::memory_order_relaxed);
}

void Tracer::discardStep() {
    if (!recording()) return;
    {
        std::lock_guard lock(m_mutex);
        const int tid = traceThreadId();
        m_events.erase(std::remove_if(m_events.begin(), m_events.end(),
                                      [&](const TraceEvent &e) {
                                          return e.tid == tid && e.startNs >= m_stepStart;
                                      }),
                       m_events.end());
    }
    m_recording.store(false, std::memory_order_relaxed);
}

void Tracer::record(const char *name, const char *category, int64_t startNs, int64_t endNs) {
    if (!recording()) return;
    std::lock_guard lock(m_mutex);
    m_events.push_back({name, category, startNs, endNs - startNs, 0, traceThreadId(), {}});
}

std::vector<TraceEvent> Tracer::takeEvents() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_events, {});
}

} // namespace trainscope
