#include "core/events/customscalars.h"

#include "core/events/eventdecoder.h"
#include "core/events/rundata.h"
#include "core/events/wire.h"

#include <algorithm>

namespace trainscope {
namespace {

bool decodeStrings(std::string_view msg, uint32_t field, std::vector<std::string> &out) {
    wire::Reader r(msg);
    wire::Field f;
    while (r.next(f))
        if (f.number == field && f.type == wire::Bytes) out.emplace_back(f.bytes);
    return r.ok();
}

bool decodeMargin(std::string_view msg, std::vector<MarginSeries> &out) {
    wire::Reader r(msg);
    wire::Field f;
    while (r.next(f)) {
        if (f.number != 1 || f.type != wire::Bytes) continue;
        MarginSeries s;
        wire::Reader sr(f.bytes);
        wire::Field g;
        while (sr.next(g)) {
            if (g.type != wire::Bytes) continue;
            if (g.number == 1) s.value = g.bytes;
            if (g.number == 2) s.lower = g.bytes;
            if (g.number == 3) s.upper = g.bytes;
        }
        if (!sr.ok()) return false;
        out.push_back(std::move(s));
    }
    return r.ok();
}

bool decodeChart(std::string_view msg, CustomChart &chart) {
    wire::Reader r(msg);
    wire::Field f;
    while (r.next(f)) {
        if (f.type != wire::Bytes) continue;
        if (f.number == 1) chart.title = f.bytes;
        if (f.number == 2) {
            // MultilineChartContent {repeated string tag = 1}; before it existed, field 2 was
            // the regex itself. A regex such as "loss/.*" is no valid message of field-1
            // strings, so the old form is told apart by trying the new one first.
            std::vector<std::string> tags;
            if (decodeStrings(f.bytes, 1, tags) && !tags.empty())
                chart.tagPatterns.insert(chart.tagPatterns.end(), tags.begin(), tags.end());
            else
                chart.tagPatterns.emplace_back(f.bytes);
        }
        if (f.number == 3 && !decodeMargin(f.bytes, chart.margins)) return false;
    }
    return r.ok();
}

} // namespace

std::optional<CustomLayout> decodeCustomLayout(std::string_view msg) {
    CustomLayout layout;
    wire::Reader r(msg);
    wire::Field f;
    while (r.next(f)) {
        if (f.number != 2 || f.type != wire::Bytes) continue;
        CustomCategory category;
        wire::Reader cr(f.bytes);
        wire::Field g;
        while (cr.next(g)) {
            if (g.number == 1 && g.type == wire::Bytes) category.title = g.bytes;
            if (g.number == 3 && g.type == wire::Varint) category.closed = g.varint != 0;
            if (g.number == 2 && g.type == wire::Bytes) {
                CustomChart chart;
                if (!decodeChart(g.bytes, chart)) return std::nullopt;
                category.charts.push_back(std::move(chart));
            }
        }
        if (!cr.ok()) return std::nullopt;
        layout.categories.push_back(std::move(category));
    }
    if (!r.ok()) return std::nullopt;
    return layout;
}

CustomLayout mergeCustomLayouts(const std::vector<const RunData *> &runs,
                                std::vector<std::string> &problems) {
    CustomLayout merged;
    for (const RunData *run : runs) {
        const TagData *tag = run->tag(std::string(kCustomScalarsTag));
        if (!tag || tag->tensors.empty()) continue;
        // The newest layout a run wrote is the one it means.
        const std::optional<TensorValue> tensor = decodeTensor(tag->tensors.back().value);
        std::optional<CustomLayout> layout;
        if (tensor && !tensor->strings.empty()) layout = decodeCustomLayout(tensor->strings[0]);
        if (!layout) {
            problems.push_back(run->name + ": tag '" + std::string(kCustomScalarsTag) +
                               "': not a custom_scalars layout: left out");
            continue;
        }
        for (CustomCategory &c : layout->categories) {
            auto same = std::find_if(merged.categories.begin(), merged.categories.end(),
                                     [&](const CustomCategory &m) { return m.title == c.title; });
            if (same == merged.categories.end()) {
                merged.categories.push_back(std::move(c));
                continue;
            }
            for (CustomChart &chart : c.charts) { // the same chart from two runs: once
                auto dup = std::find_if(
                    same->charts.begin(), same->charts.end(), [&](const CustomChart &m) {
                        return m.title == chart.title && m.tagPatterns == chart.tagPatterns;
                    });
                if (dup == same->charts.end()) same->charts.push_back(std::move(chart));
            }
        }
    }
    return merged;
}

} // namespace trainscope
