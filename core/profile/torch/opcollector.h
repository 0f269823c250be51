// Per-operator timings on machines without a GPU too: LibTorch's RecordFunction observers,
// registered for the training thread only while the profile window records. Each operator
// costs two clock reads and a store into a thread-local buffer (no lock); flush() hands the
// ranges to the Tracer as "cpu_op" events.
#pragma once

#include <cstdint>

namespace trainscope {

class Tracer;

class OperatorCollector {
public:
    OperatorCollector() = default;
    ~OperatorCollector() { stop(); }
    OperatorCollector(const OperatorCollector &) = delete;
    OperatorCollector &operator=(const OperatorCollector &) = delete;

    // Starts observing operators run on this thread, timed on `tracer`'s clock.
    void start(Tracer &tracer);
    // Moves the operators recorded so far into the tracer's events (call on the same thread,
    // before the step ends: the tracer keeps only what arrives while it records).
    void flush();
    void stop(); // flushes, then stops observing
    bool running() const { return m_handle != 0; }

private:
    uint64_t m_handle = 0;
};

} // namespace trainscope
