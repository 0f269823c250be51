#include "core/profile/kernelstats.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <locale>
#include <map>
#include <sstream>
#include <utility>

namespace trainscope {

namespace {

std::string trimmed(const std::string &text) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const size_t last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

// Not strtod: the GUI runs under the user's locale, where "85.5" may not be a number.
std::optional<double> parseDouble(const std::string &text) {
    std::istringstream in(trimmed(text));
    in.imbue(std::locale::classic());
    double value = 0;
    in >> value;
    if (in.fail() || !in.eof() || !std::isfinite(value)) return std::nullopt;
    return value;
}

// Counts of each distinct value of one launch field over a kernel's calls.
class FieldTally {
public:
    void add(std::string text, double value) {
        auto &entry = m_counts[std::move(text)];
        ++entry.first;
        entry.second = value;
    }
    LaunchField result() const {
        LaunchField field;
        field.distinct = m_counts.size();
        uint64_t best = 0;
        bool tie = false;
        for (const auto &[text, entry] : m_counts) {
            if (entry.first > best) {
                best = entry.first;
                field.text = text;
                field.value = entry.second;
                tie = false;
            } else if (entry.first == best) {
                tie = true;
            }
        }
        if (tie) {
            field.text = "varies";
            field.value = -1;
        }
        return field;
    }

private:
    std::map<std::string, std::pair<uint64_t, double>> m_counts; // text -> (calls, value)
};

struct Accumulator {
    KernelStats stats;
    FieldTally grid, block, registers, shared;
    double occupancySum = 0;
    uint64_t occupancyCount = 0;
};

void tallyDim3(FieldTally &tally, const std::string &text) {
    if (text.empty()) return;
    if (auto dims = parseDim3(text))
        tally.add(formatDim3(*dims), double((*dims)[0] * (*dims)[1] * (*dims)[2]));
}

void tallyCount(FieldTally &tally, const std::string &text) {
    if (text.empty()) return;
    if (auto count = parseCount(text)) tally.add(std::to_string(*count), double(*count));
}

} // namespace

std::optional<int64_t> parseCount(const std::string &text) {
    const std::string t = trimmed(text);
    if (t.empty()) return std::nullopt;
    int64_t value = 0;
    const char *end = t.data() + t.size();
    auto [ptr, ec] = std::from_chars(t.data(), end, value);
    if (ec != std::errc() || value < 0) return std::nullopt;
    if (ptr != end) { // "32.0" from a writer that prints every number as a double
        if (*ptr != '.') return std::nullopt;
        for (++ptr; ptr != end; ++ptr)
            if (*ptr != '0') return std::nullopt;
    }
    return value;
}

std::optional<std::array<int64_t, 3>> parseDim3(const std::string &text) {
    std::string t = trimmed(text);
    if (t.size() >= 2 &&
        ((t.front() == '[' && t.back() == ']') || (t.front() == '(' && t.back() == ')')))
        t = t.substr(1, t.size() - 2);
    std::array<int64_t, 3> dims{1, 1, 1};
    size_t count = 0, start = 0;
    while (true) {
        const size_t comma = t.find(',', start);
        const std::string part =
            t.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const auto value = parseCount(part);
        if (!value || *value <= 0 || count == 3) return std::nullopt;
        dims[count++] = *value;
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return dims;
}

std::string formatDim3(const std::array<int64_t, 3> &dims) {
    return "[" + std::to_string(dims[0]) + ", " + std::to_string(dims[1]) + ", " +
           std::to_string(dims[2]) + "]";
}

std::vector<KernelStats> kernelStats(const std::vector<TraceEvent> &events,
                                     const std::string &category) {
    std::map<std::string, Accumulator> byName;
    double allUs = 0;
    for (const TraceEvent &e : events) {
        if (e.category != category) continue;
        Accumulator &acc = byName[e.name];
        KernelStats &s = acc.stats;
        const double us = double(std::max<int64_t>(0, e.durationNs)) / 1e3;
        if (s.calls == 0) {
            s.name = e.name;
            s.minUs = s.maxUs = us;
        }
        ++s.calls;
        s.totalUs += us;
        s.minUs = std::min(s.minUs, us);
        s.maxUs = std::max(s.maxUs, us);
        allUs += us;
        tallyDim3(acc.grid, e.arg("grid"));
        tallyDim3(acc.block, e.arg("block"));
        tallyCount(acc.registers, e.arg("registers per thread"));
        tallyCount(acc.shared, e.arg("shared memory"));
        const std::string &occupancy = e.arg("est. achieved occupancy %");
        if (!occupancy.empty())
            if (auto pct = parseDouble(occupancy); pct && *pct >= 0) {
                acc.occupancySum += *pct;
                ++acc.occupancyCount;
            }
    }
    std::vector<KernelStats> out;
    out.reserve(byName.size());
    for (auto &[name, acc] : byName) {
        KernelStats s = std::move(acc.stats);
        s.share = allUs > 0 ? s.totalUs / allUs : 0;
        s.grid = acc.grid.result();
        s.block = acc.block.result();
        s.registersPerThread = acc.registers.result();
        s.sharedMemory = acc.shared.result();
        if (acc.occupancyCount) s.occupancyPct = acc.occupancySum / double(acc.occupancyCount);
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [](const KernelStats &a, const KernelStats &b) {
        if (a.totalUs != b.totalUs) return a.totalUs > b.totalUs;
        return a.name < b.name;
    });
    return out;
}

std::vector<double> operatorSelfShares(const std::vector<OpStats> &ops) {
    double all = 0;
    for (const OpStats &op : ops)
        all += std::max(0.0, op.selfUs);
    std::vector<double> shares;
    shares.reserve(ops.size());
    for (const OpStats &op : ops)
        shares.push_back(all > 0 ? std::max(0.0, op.selfUs) / all : 0);
    return shares;
}

} // namespace trainscope
