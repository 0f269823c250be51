// Per-operator timings on machines without a GPU too: LibTorch's RecordFunction observers,
// registered for the training thread only while the profile window records, feed each
// operator's range to the Tracer as a "cpu_op" event.
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

    // Starts observing operators run on this thread; their ranges go to `tracer`.
    void start(Tracer &tracer);
    void stop();
    bool running() const { return m_handle != 0; }

private:
    uint64_t m_handle = 0;
};

} // namespace trainscope
