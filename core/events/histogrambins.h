// Histograms as the dashboards draw them: buckets with both edges, rebinned onto one grid
// (the Histograms tab's ridges), and compressed to TensorBoard's percentiles (Distributions).
#pragma once

#include "core/events/eventvalues.h"

#include <array>
#include <vector>

namespace trainscope {

struct HistogramBucket {
    double left = 0, right = 0, count = 0;
};

// Every bucket with its edges. TensorFlow's open ends (limits of ±DBL_MAX) are closed at the
// histogram's min and max, as TensorBoard does; non-finite edges and counts are dropped.
std::vector<HistogramBucket> histogramBuckets(const HistogramValue &histogram);

// Counts on `bins` equal bins over [lo, hi]: each bucket's count is spread evenly over its
// width; a bucket of zero width counts in the bin that holds it.
std::vector<double> rebinHistogram(const std::vector<HistogramBucket> &buckets, double lo,
                                   double hi, int bins);

// TensorBoard's distribution basis points (in 1/100 of a percent): min, ±1.5σ, ±1σ, ±0.5σ of a
// normal distribution, median, max.
inline constexpr std::array<double, 9> kDistributionBasisPoints = {0,    668,  1587, 3085, 5000,
                                                                   6915, 8413, 9332, 10000};

// The value at each basis point, interpolated within buckets as TensorBoard's compressor does.
// An empty histogram gives nine zeros.
std::array<double, 9> compressHistogram(const std::vector<HistogramBucket> &buckets);

} // namespace trainscope
