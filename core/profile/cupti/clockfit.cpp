#include "core/profile/cupti/clockfit.h"

#include <algorithm>
#include <cmath>

namespace trainscope {

namespace {
// Below this span the slope is mostly sampling noise; keep it at 1 and fit the offset only.
constexpr long double kMinSpanNs = 1e6L;
} // namespace

void ClockFit::addSample(int64_t gpuNs, int64_t hostNs) {
    m_samples.push_back({gpuNs, hostNs});
    if (m_samples.size() > kMaxSamples) m_samples.pop_front();
    refit();
}

void ClockFit::refit() {
    const size_t n = m_samples.size();
    if (n == 0) return;
    m_gpuRef = m_samples.front().gpuNs;
    m_hostRef = m_samples.front().hostNs;
    long double sx = 0, sy = 0;
    int64_t minX = 0, maxX = 0;
    for (const Sample &s : m_samples) {
        const int64_t dx = s.gpuNs - m_gpuRef;
        sx += dx;
        sy += s.hostNs - m_hostRef;
        minX = std::min(minX, dx);
        maxX = std::max(maxX, dx);
    }
    const long double mx = sx / n, my = sy / n;
    long double sxx = 0, sxy = 0;
    for (const Sample &s : m_samples) {
        const long double dx = (s.gpuNs - m_gpuRef) - mx;
        const long double dy = (s.hostNs - m_hostRef) - my;
        sxx += dx * dx;
        sxy += dx * dy;
    }
    m_slope = (n >= 2 && (maxX - minX) >= kMinSpanNs && sxx > 0) ? sxy / sxx : 1.0L;
    m_offset = my - m_slope * mx;
    double worst = 0;
    for (const Sample &s : m_samples) {
        const long double fit = m_offset + m_slope * (s.gpuNs - m_gpuRef);
        worst = std::max(worst, double(std::fabs((s.hostNs - m_hostRef) - fit)));
    }
    m_worstResidual = worst;
}

int64_t ClockFit::toHost(int64_t gpuNs) const {
    if (m_samples.empty()) return gpuNs;
    const long double rel = m_offset + m_slope * (long double)(gpuNs - m_gpuRef);
    return m_hostRef + int64_t(std::llround(rel));
}

double ClockFit::intercept() const {
    return double(m_hostRef + m_offset - m_slope * (long double)m_gpuRef);
}

} // namespace trainscope
