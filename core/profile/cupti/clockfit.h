// Maps CUPTI's GPU timestamps onto the trace's host clock: a least-squares line
// host = a * gpu + b over (cuptiGetTimestamp, host now) samples; the worst residual bounds the
// skew.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

namespace trainscope {

class ClockFit {
public:
    // Samples kept for the fit: ~5 minutes at one per flush, so slow drift is followed.
    static constexpr size_t kMaxSamples = 2048;

    void addSample(int64_t gpuNs, int64_t hostNs);
    // The host time of `gpuNs`; the identity until the first sample.
    int64_t toHost(int64_t gpuNs) const;
    double slope() const { return double(m_slope); }
    // The host time the fit gives for gpu = 0, as a double (for reporting only).
    double intercept() const;
    // The largest |host - fit(gpu)| over the samples kept, in ns.
    double worstResidualNs() const { return m_worstResidual; }
    size_t samples() const { return m_samples.size(); }

private:
    void refit();

    struct Sample {
        int64_t gpuNs, hostNs;
    };
    std::deque<Sample> m_samples;
    // host = m_hostRef + m_slope * (gpu - m_gpuRef): relative to a reference point so that
    // epoch-sized timestamps keep their nanoseconds.
    int64_t m_gpuRef = 0, m_hostRef = 0;
    long double m_slope = 1, m_offset = 0;
    double m_worstResidual = 0;
};

} // namespace trainscope
