// Compact, append-only storage for one tag's scalar points: 16 bytes a point (wall time as a
// double, value as a float, step as a 32-bit delta from its chunk's first step).
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace trainscope {

class ScalarSeries {
public:
    static constexpr size_t kChunkBits = 16;
    static constexpr size_t kChunkSize = size_t(1) << kChunkBits;

    void append(int64_t step, double wallTime, float value);
    void appendAll(const ScalarSeries &other);
    // Releases the spare capacity of the open chunk (call after a batch of appends).
    void compact();

    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    int64_t step(size_t i) const;
    double wallTime(size_t i) const { return chunk(i).wall[i & kMask]; }
    float value(size_t i) const { return chunk(i).value[i & kMask]; }

    // Bytes held, capacity included.
    size_t memoryBytes() const;

private:
    static constexpr size_t kMask = kChunkSize - 1;
    static constexpr int32_t kWideStep = INT32_MIN; // the step lives in m_wideSteps

    struct Chunk {
        int64_t baseStep = 0;
        std::vector<double> wall;
        std::vector<float> value;
        std::vector<int32_t> stepDelta;
    };
    const Chunk &chunk(size_t i) const { return *m_chunks[i >> kChunkBits]; }

    std::vector<std::unique_ptr<Chunk>> m_chunks;
    std::unordered_map<size_t, int64_t> m_wideSteps; // steps too far from their chunk's base
    size_t m_size = 0;
};

} // namespace trainscope
