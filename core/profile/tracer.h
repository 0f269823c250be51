// Cheap nested host ranges on every thread (step, input wait, host-to-device, forward,
// backward, optimizer), recorded only inside the profile window; outside it a range costs a
// branch. The window follows PyTorch's schedule: skip_first, then cycles of wait, warmup and
// active steps, repeat times (0: forever).
#pragma once

#include "core/profile/traceevent.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

namespace trainscope {

struct ProfileSchedule {
    int skipFirst = 0, wait = 0, warmup = 0, active = 1, repeat = 1;
    enum class Phase { Skip, Wait, Warmup, Active, Done };
    Phase phaseOf(int64_t step) const; // step counts from 0
};

class Tracer {
public:
    explicit Tracer(ProfileSchedule schedule, bool enabled = true);

    // Marks the start of `step`; returns whether it is recorded. Call on the training thread.
    bool beginStep(int64_t step);
    // `operatorsObserved`: the step ran with operator observers on (noted in its event).
    void endStep(bool operatorsObserved = false);
    // Ends the step begun without recording it: the fetch that found no batch (an epoch's end)
    // is not a step, and its ranges on this thread go too.
    void discardStep();

    bool recording() const { return m_recording.load(std::memory_order_relaxed); }
    int64_t nowNs() const;

    // Records a finished range (thread-safe); ignored unless recording.
    void record(const char *name, const char *category, int64_t startNs, int64_t endNs);

    // Takes the events recorded so far.
    std::vector<TraceEvent> takeEvents();

    // Scoped range: `Tracer::Range r(tracer, "forward", "host_compute");`
    class Range {
    public:
        Range(Tracer &t, const char *name, const char *category)
            : m_t(t.recording() ? &t : nullptr)
            , m_name(name)
            , m_category(category)
            , m_start(m_t ? t.nowNs() : 0) {}
        ~Range() {
            if (m_t) m_t->record(m_name, m_category, m_start, m_t->nowNs());
        }
        Range(const Range &) = delete;
        Range &operator=(const Range &) = delete;

    private:
        Tracer *m_t;
        const char *m_name, *m_category;
        int64_t m_start;
    };

private:
    ProfileSchedule m_schedule;
    bool m_enabled;
    std::chrono::steady_clock::time_point m_origin;
    std::atomic<bool> m_recording{false};
    int64_t m_step = 0, m_stepStart = 0;
    std::mutex m_mutex;
    std::vector<TraceEvent> m_events;
};

// Small thread ids for trace lanes (1, 2, ... in order of first use).
int traceThreadId();

} // namespace trainscope
