#include "core/events/histogrambins.h"

#include <algorithm>
#include <cmath>

namespace trainscope {

std::vector<HistogramBucket> histogramBuckets(const HistogramValue &h) {
    std::vector<HistogramBucket> out;
    const size_t n = std::min(h.limits.size(), h.counts.size());
    out.reserve(n);
    double left = h.min;
    for (size_t i = 0; i < n; ++i) {
        HistogramBucket b{std::max(left, h.min), std::min(h.limits[i], h.max), h.counts[i]};
        left = h.limits[i];
        if (b.right < b.left) b.right = b.left; // a bucket wholly past max
        if (std::isfinite(b.left) && std::isfinite(b.right) && std::isfinite(b.count) &&
            b.count >= 0)
            out.push_back(b);
    }
    return out;
}

std::vector<double> rebinHistogram(const std::vector<HistogramBucket> &buckets, double lo,
                                   double hi, int bins) {
    std::vector<double> out(size_t(std::max(bins, 0)), 0.0);
    if (out.empty()) return out;
    const double width = hi > lo ? (hi - lo) / bins : 0;
    auto binOf = [&](double x) {
        if (width <= 0) return 0;
        return std::clamp(int((x - lo) / width), 0, bins - 1);
    };
    for (const HistogramBucket &b : buckets) {
        if (b.count == 0) continue;
        const double span = b.right - b.left;
        if (span <= 0 || width <= 0) {
            out[size_t(binOf(b.left))] += b.count;
            continue;
        }
        const int first = binOf(b.left), last = binOf(b.right);
        for (int i = first; i <= last; ++i) {
            const double binLo = lo + i * width, binHi = binLo + width;
            const double overlap = std::min(b.right, binHi) - std::max(b.left, binLo);
            if (overlap > 0) out[size_t(i)] += b.count * overlap / span;
        }
    }
    return out;
}

std::array<double, 9> compressHistogram(const std::vector<HistogramBucket> &buckets) {
    std::array<double, 9> out{};
    if (buckets.empty()) return out;
    const double lo = buckets.front().left, hi = buckets.back().right;
    double total = 0;
    for (const HistogramBucket &b : buckets)
        total += b.count;
    const double scale = kDistributionBasisPoints.back() / (total > 0 ? total : 1.0);
    std::vector<double> cumulative(buckets.size());
    double running = 0;
    for (size_t i = 0; i < buckets.size(); ++i)
        cumulative[i] = running += buckets[i].count * scale;

    size_t bp = 0;
    for (; bp < out.size(); ++bp) {
        const double target = kDistributionBasisPoints[bp];
        // The first bucket whose cumulative weight passes the basis point (and has weight).
        size_t i = size_t(std::upper_bound(cumulative.begin(), cumulative.end(), target) -
                          cumulative.begin());
        while (i < cumulative.size() && cumulative[i] == (i ? cumulative[i - 1] : 0.0))
            ++i;
        if (i >= cumulative.size()) break;
        const double before = i ? cumulative[i - 1] : 0.0;
        const double left = (i == 0 || before == 0) ? lo : std::max(buckets[i - 1].right, lo);
        const double right = std::min(buckets[i].right, hi);
        out[bp] = left + (target - before) * (right - left) / (cumulative[i] - before);
    }
    for (; bp < out.size(); ++bp)
        out[bp] = hi;
    return out;
}

} // namespace trainscope
