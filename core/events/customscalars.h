// TensorBoard's custom_scalars layouts: charts of several tags (regular expressions matched
// against whole tag names) and margin charts (a value inside its lower and upper bounds),
// in titled categories. PyTorch's SummaryWriter.add_custom_scalars writes one as the string
// tensor "custom_scalars__config__".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trainscope {

struct RunData;

struct MarginSeries {
    std::string value, lower, upper; // exact tags
};

struct CustomChart {
    std::string title;
    std::vector<std::string> tagPatterns; // a multiline chart: each matches whole tags
    std::vector<MarginSeries> margins;    // a margin chart
};

struct CustomCategory {
    std::string title;
    bool closed = false;
    std::vector<CustomChart> charts;
};

struct CustomLayout {
    std::vector<CustomCategory> categories;
    bool empty() const { return categories.empty(); }
};

inline constexpr std::string_view kCustomScalarsTag = "custom_scalars__config__";

// A serialized Layout message; nullopt when malformed. Reads the old form too (a chart's
// field 2 a plain regex, before MultilineChartContent).
std::optional<CustomLayout> decodeCustomLayout(std::string_view layout);

// The layouts runs hold, merged as TensorBoard does: one category per title, in first-seen
// order, its charts in order. Problems (a layout that does not decode) go to `problems`.
CustomLayout mergeCustomLayouts(const std::vector<const RunData *> &runs,
                                std::vector<std::string> &problems);

} // namespace trainscope
