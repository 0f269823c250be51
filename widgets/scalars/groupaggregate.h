// A group of runs drawn as one curve: at each x, the mean or median of the members that reach
// it (each interpolated linearly between its own points), and a band round it (min to max, or
// one standard deviation either side). Plain C++: no Qt, no plot.
#pragma once

#include <cstddef>
#include <vector>

namespace trainscope {

enum class GroupCenter { Mean, Median };
enum class GroupBand { None, MinMax, StdDev };

struct MemberPoints {
    const std::vector<double> *x = nullptr; // sorted ascending
    const std::vector<float> *y = nullptr;
};

struct GroupCurve {
    std::vector<double> x;
    std::vector<float> center, lo, hi; // lo and hi empty for GroupBand::None
    std::vector<int> members;          // how many members reach each x
};

// Members of a group share their steps, as seeds of one config do, and the curve is drawn at
// those steps. Members that do not (wall-time axes) are resampled on an even grid of twice the
// longest member's points, so a group of a thousand runs costs O(points x members), not more.
GroupCurve aggregateGroup(const std::vector<MemberPoints> &members, GroupCenter center,
                          GroupBand band);

} // namespace trainscope
