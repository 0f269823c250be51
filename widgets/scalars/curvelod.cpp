#include "widgets/scalars/curvelod.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace trainscope {

void CurveLod::setData(Keys x, std::vector<float> y) {
    m_keys = x ? std::move(x) : std::make_shared<const std::vector<double>>();
    m_y = std::move(y);
    m_y.resize(m_keys->size());
    // Non-finite values are not drawn (as in TensorBoard); as NaN they drop out of min/max
    // without a branch: std::min(lo, NaN) is lo.
    for (float &v : m_y)
        if (!std::isfinite(v)) v = std::numeric_limits<float>::quiet_NaN();
    const size_t blocks = (m_y.size() + kBlock - 1) / kBlock;
    m_blockMin.assign(blocks, std::numeric_limits<float>::infinity());
    m_blockMax.assign(blocks, -std::numeric_limits<float>::infinity());
    for (size_t i = 0; i < m_y.size(); ++i) {
        float &lo = m_blockMin[i / kBlock], &hi = m_blockMax[i / kBlock];
        lo = std::min(lo, m_y[i]);
        hi = std::max(hi, m_y[i]);
    }
}

bool CurveLod::rangeMinMax(size_t begin, size_t end, float &lo, float &hi) const {
    lo = std::numeric_limits<float>::infinity();
    hi = -lo;
    auto scan = [&](size_t a, size_t b) {
        for (size_t i = a; i < b; ++i) {
            lo = std::min(lo, m_y[i]);
            hi = std::max(hi, m_y[i]);
        }
    };
    end = std::min(end, m_y.size());
    if (begin >= end) return false;
    const size_t firstFull = (begin + kBlock - 1) / kBlock, lastFull = end / kBlock;
    if (firstFull >= lastFull) {
        scan(begin, end);
    } else {
        scan(begin, firstFull * kBlock);
        for (size_t b = firstFull; b < lastFull; ++b) {
            lo = std::min(lo, m_blockMin[b]);
            hi = std::max(hi, m_blockMax[b]);
        }
        scan(lastFull * kBlock, end);
    }
    return lo <= hi;
}

size_t CurveLod::nearest(double x) const {
    const std::vector<double> &m_x = *m_keys;
    if (m_x.empty()) return 0;
    const size_t i = size_t(std::lower_bound(m_x.begin(), m_x.end(), x) - m_x.begin());
    if (i == 0) return 0;
    if (i == m_x.size()) return i - 1;
    return (x - m_x[i - 1] <= m_x[i] - x) ? i - 1 : i;
}

std::pair<size_t, size_t> CurveLod::visibleRange(double x0, double x1) const {
    const std::vector<double> &x = *m_keys;
    size_t begin = size_t(std::lower_bound(x.begin(), x.end(), x0) - x.begin());
    size_t end = size_t(std::upper_bound(x.begin(), x.end(), x1) - x.begin());
    if (begin > 0) --begin;    // one point off the left edge
    if (end < x.size()) ++end; // and one off the right
    return {begin, end};
}

size_t CurveLod::countIn(double x0, double x1) const {
    const std::vector<double> &x = *m_keys;
    return size_t(std::upper_bound(x.begin(), x.end(), x1) -
                  std::lower_bound(x.begin(), x.end(), x0));
}

template <typename Fn>
void CurveLod::forEachColumn(double x0, double x1, int columns, Fn &&fn) const {
    const std::vector<double> &x = *m_keys;
    const auto [begin, end] = visibleRange(x0, x1);
    const double width = (x1 - x0) / columns;
    for (size_t i = begin; i < end;) {
        const double column = std::floor((x[i] - x0) / width);
        const double columnEnd = x0 + (column + 1) * width;
        const size_t j = size_t(
            std::lower_bound(x.begin() + long(i), x.begin() + long(end), columnEnd) - x.begin());
        const size_t last = std::max(j, i + 1) - 1;
        fn(i, last, column);
        i = last + 1;
    }
}

void CurveLod::decimate(double x0, double x1, int columns, std::vector<double> &outX,
                        std::vector<double> &outY, double yTolerance) const {
    const std::vector<double> &x = *m_keys;
    outX.clear();
    outY.clear();
    if (x.empty() || columns <= 0 || !(x1 > x0)) return;
    auto emit = [&](double px, float py) {
        outX.push_back(px);
        outY.push_back(double(py));
    };
    const auto [begin, end] = visibleRange(x0, x1);
    if (end - begin <= size_t(columns) * 4) { // sparse enough: every point
        for (size_t i = begin; i < end; ++i)
            emit(x[i], m_y[i]);
        return;
    }
    const double width = (x1 - x0) / columns;
    forEachColumn(x0, x1, columns, [&](size_t i, size_t last, double column) {
        // A column holds first, min, max and last; when min and max are drawn they span the
        // pixel column, so first and last (inside that span, same column) add nothing visible.
        float lo = 0, hi = 0;
        if (last - i >= 2 && rangeMinMax(i, last + 1, lo, hi) &&
            double(hi) - double(lo) >= yTolerance) {
            const double mid = std::clamp(x0 + (column + 0.5) * width, x[i], x[last]);
            const bool rising = m_y[last] >= m_y[i];
            emit(mid, rising ? lo : hi);
            emit(mid, rising ? hi : lo);
        } else {
            emit(x[i], m_y[i]);
            if (last > i) emit(x[last], m_y[last]);
        }
    });
}

void CurveLod::envelope(double x0, double x1, int columns, std::vector<double> &outX,
                        std::vector<float> &outLo, std::vector<float> &outHi) const {
    const std::vector<double> &x = *m_keys;
    outX.clear();
    outLo.clear();
    outHi.clear();
    if (x.empty() || columns <= 0 || !(x1 > x0)) return;
    const double width = (x1 - x0) / columns;
    forEachColumn(x0, x1, columns, [&](size_t i, size_t last, double column) {
        float lo, hi;
        if (!rangeMinMax(i, last + 1, lo, hi)) return; // a column of NaNs: a gap in the band
        outX.push_back(std::clamp(x0 + (column + 0.5) * width, x[i], x[last]));
        outLo.push_back(lo);
        outHi.push_back(hi);
    });
}

} // namespace trainscope
