#include "widgets/scalars/smoothing.h"

#include <algorithm>
#include <cmath>

namespace trainscope {

std::vector<float> smoothDebiasedEma(const std::vector<float> &values, double weight) {
    const bool constant =
        std::all_of(values.begin(), values.end(), [&](float v) { return v == values.front(); });
    if (weight <= 0 || constant) return values;
    std::vector<float> out(values.size());
    double last = 0, debias = 1;
    for (size_t i = 0; i < values.size(); ++i) {
        const float y = values[i];
        if (!std::isfinite(y)) {
            out[i] = y;
            continue;
        }
        last = last * weight + (1 - weight) * y;
        debias *= weight; // weight^n, kept incrementally: 1 - w^n below
        out[i] = float(weight >= 1 ? last : last / (1 - debias));
    }
    return out;
}

} // namespace trainscope
