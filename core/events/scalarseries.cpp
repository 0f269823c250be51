#include "core/events/scalarseries.h"

#include <limits>

namespace trainscope {

void ScalarSeries::append(int64_t step, double wallTime, float value) {
    if ((m_size & kMask) == 0) {
        m_chunks.push_back(std::make_unique<Chunk>());
        m_chunks.back()->baseStep = step;
    }
    Chunk &c = *m_chunks.back();
    const int64_t delta = step - c.baseStep; // wraps harmlessly; checked below
    const bool fits = step >= c.baseStep ? step - c.baseStep <= std::numeric_limits<int32_t>::max()
                                         : c.baseStep - step < -int64_t(kWideStep);
    if (fits) {
        c.stepDelta.push_back(static_cast<int32_t>(delta));
    } else {
        c.stepDelta.push_back(kWideStep);
        m_wideSteps.emplace(m_size, step);
    }
    c.wall.push_back(wallTime);
    c.value.push_back(value);
    ++m_size;
}

void ScalarSeries::appendAll(const ScalarSeries &other) {
    for (size_t i = 0; i < other.size(); ++i)
        append(other.step(i), other.wallTime(i), other.value(i));
}

void ScalarSeries::compact() {
    if (m_chunks.empty()) return;
    Chunk &c = *m_chunks.back();
    c.wall.shrink_to_fit();
    c.value.shrink_to_fit();
    c.stepDelta.shrink_to_fit();
}

int64_t ScalarSeries::step(size_t i) const {
    const Chunk &c = chunk(i);
    const int32_t d = c.stepDelta[i & kMask];
    if (d == kWideStep) return m_wideSteps.at(i);
    return c.baseStep + d;
}

size_t ScalarSeries::memoryBytes() const {
    size_t bytes = m_chunks.capacity() * sizeof(void *);
    for (const auto &c : m_chunks)
        bytes += sizeof(Chunk) + c->wall.capacity() * sizeof(double) +
                 c->value.capacity() * sizeof(float) + c->stepDelta.capacity() * sizeof(int32_t);
    return bytes + m_wideSteps.size() * 32;
}

} // namespace trainscope
