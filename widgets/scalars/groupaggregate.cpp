#include "widgets/scalars/groupaggregate.h"

#include <algorithm>
#include <cmath>

namespace trainscope {
namespace {

// The x at which the group is drawn: every member's x when together they are not many more
// than the longest member's, else an even grid over the span they cover.
std::vector<double> groupKeys(const std::vector<MemberPoints> &members) {
    size_t total = 0, longest = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (const MemberPoints &m : members) {
        if (m.x->empty()) continue;
        total += m.x->size();
        longest = std::max(longest, m.x->size());
        lo = std::min(lo, m.x->front());
        hi = std::max(hi, m.x->back());
    }
    std::vector<double> keys;
    if (total == 0) return keys;
    keys.reserve(std::min(total, 4 * longest + 1));
    for (const MemberPoints &m : members) {
        keys.insert(keys.end(), m.x->begin(), m.x->end());
        if (keys.size() > 4 * longest) break;
    }
    if (keys.size() <= 4 * longest) {
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        if (keys.size() <= 4 * longest) return keys;
    }
    const size_t n = std::max<size_t>(2, 2 * longest);
    keys.resize(n);
    for (size_t i = 0; i < n; ++i)
        keys[i] = lo + (hi - lo) * double(i) / double(n - 1);
    return keys;
}

} // namespace

GroupCurve aggregateGroup(const std::vector<MemberPoints> &members, GroupCenter center,
                          GroupBand band) {
    GroupCurve out;
    const std::vector<double> keys = groupKeys(members);
    std::vector<size_t> cursor(members.size(), 0);
    std::vector<float> values;
    values.reserve(members.size());
    for (const double k : keys) {
        values.clear();
        for (size_t m = 0; m < members.size(); ++m) {
            const std::vector<double> &x = *members[m].x;
            if (x.empty() || k < x.front() || k > x.back()) continue;
            size_t &j = cursor[m]; // the last point at or before k: keys only grow
            while (j + 1 < x.size() && x[j + 1] <= k)
                ++j;
            const std::vector<float> &y = *members[m].y;
            float v = y[j];
            if (x[j] < k && j + 1 < x.size()) {
                const double t = (k - x[j]) / (x[j + 1] - x[j]);
                v = float(double(y[j]) + t * (double(y[j + 1]) - double(y[j])));
            }
            if (std::isfinite(v)) values.push_back(v);
        }
        if (values.empty()) continue;
        double sum = 0;
        float mn = values.front(), mx = values.front();
        for (const float v : values) {
            sum += v;
            mn = std::min(mn, v);
            mx = std::max(mx, v);
        }
        const double mean = sum / double(values.size());
        float c = float(mean);
        if (center == GroupCenter::Median) {
            const auto mid = values.begin() + long(values.size() / 2);
            std::nth_element(values.begin(), mid, values.end());
            c = *mid;
            if (values.size() % 2 == 0) // the mean of the two middle values
                c = float((double(c) + double(*std::max_element(values.begin(), mid))) / 2);
        }
        out.x.push_back(k);
        out.center.push_back(c);
        out.members.push_back(int(values.size()));
        if (band == GroupBand::MinMax) {
            out.lo.push_back(mn);
            out.hi.push_back(mx);
        } else if (band == GroupBand::StdDev) {
            double ss = 0;
            for (const float v : values)
                ss += (double(v) - mean) * (double(v) - mean);
            const double sd = std::sqrt(ss / double(values.size()));
            out.lo.push_back(float(mean - sd));
            out.hi.push_back(float(mean + sd));
        }
    }
    return out;
}

} // namespace trainscope
