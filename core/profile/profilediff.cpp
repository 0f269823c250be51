#include "core/profile/profilediff.h"

#include "core/profile/stepanalysis.h"
#include "core/profile/tracefile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace trainscope {
namespace {

// Joins two tables by name in one pass over each: rows of `a` in order, then the new ones of
// `b`. `fill(change, row, side)` copies a row's figures to its side (0 baseline, 1 candidate).
template <class Row, class Fill>
std::vector<NameChange> joinByName(const std::vector<Row> &a, const std::vector<Row> &b,
                                   Fill fill) {
    std::vector<NameChange> out;
    out.reserve(a.size() + b.size());
    std::unordered_map<std::string_view, size_t> at;
    at.reserve(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
        auto [it, fresh] = at.emplace(a[i].name, out.size());
        if (fresh) out.push_back({a[i].name, Presence::Vanished, {}, {}, {}});
        fill(out[it->second], i, 0);
    }
    for (size_t i = 0; i < b.size(); ++i) {
        const auto it = at.find(b[i].name);
        if (it == at.end()) {
            out.push_back({b[i].name, Presence::New, {}, {}, {}});
            fill(out.back(), i, 1);
            continue;
        }
        NameChange &row = out[it->second];
        row.presence = Presence::Both;
        fill(row, i, 1);
    }
    std::sort(out.begin(), out.end(), [](const NameChange &x, const NameChange &y) {
        const double dx = std::abs(x.timeUs.delta()), dy = std::abs(y.timeUs.delta());
        return dx != dy ? dx > dy : x.name < y.name;
    });
    return out;
}

double &side(Change &c, int s) {
    return s == 0 ? c.baseline : c.candidate;
}

// The row of `key` in a small table joined by a key field (stages, devices): made on the side
// that first names it, marked present on both when the candidate names it too.
template <class Row>
Row &joinedRow(std::vector<Row> &rows, std::string Row::*field, const std::string &key, int s) {
    for (Row &row : rows)
        if (row.*field == key) {
            if (s == 1) row.presence = Presence::Both;
            return row;
        }
    rows.emplace_back();
    rows.back().*field = key;
    rows.back().presence = s == 0 ? Presence::Vanished : Presence::New;
    return rows.back();
}

std::vector<StageChange> diffStages(const std::vector<StageStats> &a,
                                    const std::vector<StageStats> &b) {
    std::vector<StageChange> out;
    for (int s = 0; s < 2; ++s)
        for (const StageStats &st : s == 0 ? a : b) {
            StageChange &c = joinedRow(out, &StageChange::stage, st.stage, s);
            side(c.cpuMsPerBatch, s) = st.msPerBatch();
            side(c.wallMsPerBatch, s) = st.wallMsPerBatch();
            side(c.workers, s) = st.workers;
        }
    std::stable_sort(out.begin(), out.end(), [](const StageChange &x, const StageChange &y) {
        return std::abs(x.wallMsPerBatch.delta()) > std::abs(y.wallMsPerBatch.delta());
    });
    return out;
}

std::vector<MemoryChange> diffMemory(const ProfileFigures &a, const ProfileFigures &b) {
    std::vector<MemoryChange> out;
    for (int s = 0; s < 2; ++s)
        for (const auto &[device, summary] : s == 0 ? a.memory : b.memory) {
            MemoryChange &c = joinedRow(out, &MemoryChange::device, device, s);
            side(c.peakBytes, s) = double(summary.peakBytes);
            side(c.allocations, s) = double(summary.allocs);
        }
    std::sort(out.begin(), out.end(),
              [](const MemoryChange &x, const MemoryChange &y) { return x.device < y.device; });
    return out;
}

} // namespace

double Change::percent() const {
    if (baseline != 0) return 100 * delta() / std::abs(baseline);
    return candidate == 0 ? 0 : std::numeric_limits<double>::infinity();
}

const char *presenceName(Presence presence) {
    switch (presence) {
    case Presence::Both:
        return "";
    case Presence::New:
        return "new";
    case Presence::Vanished:
        return "vanished";
    }
    return "";
}

double ProfileDiff::speedup() const {
    return meanStepMs.baseline > 0 && meanStepMs.candidate > 0
               ? meanStepMs.baseline / meanStepMs.candidate
               : 0;
}

ProfileFigures profileFigures(const TraceFile &trace, const ProfileSummary &summary,
                              std::string label) {
    ProfileFigures f;
    f.label = std::move(label);
    f.summary = summary;
    f.kernels = kernelStats(trace.events);
    const MemoryTimeline memory = buildMemoryTimeline(trace.memory, 0);
    for (const DeviceMemory &d : memory.devices)
        f.memory.emplace_back(d.device, d.summary);
    return f;
}

ProfileFigures profileFigures(const TraceFile &trace, std::string label) {
    return profileFigures(trace, summarizeTrace(trace), std::move(label));
}

std::vector<NameChange> diffOperators(const std::vector<OpStats> &baseline,
                                      const std::vector<OpStats> &candidate) {
    const std::vector<double> shares[2] = {operatorSelfShares(baseline),
                                           operatorSelfShares(candidate)};
    const std::vector<OpStats> *tables[2] = {&baseline, &candidate};
    return joinByName(baseline, candidate, [&](NameChange &c, size_t i, int s) {
        const OpStats &op = (*tables[s])[i];
        side(c.calls, s) += double(op.calls);
        side(c.timeUs, s) += op.selfUs;
        side(c.share, s) += shares[s][i];
    });
}

std::vector<NameChange> diffKernels(const std::vector<KernelStats> &baseline,
                                    const std::vector<KernelStats> &candidate) {
    const std::vector<KernelStats> *tables[2] = {&baseline, &candidate};
    return joinByName(baseline, candidate, [&](NameChange &c, size_t i, int s) {
        const KernelStats &k = (*tables[s])[i];
        side(c.calls, s) += double(k.calls);
        side(c.timeUs, s) += k.totalUs;
        side(c.share, s) += k.share;
    });
}

ProfileDiff diffProfiles(const ProfileFigures &baseline, const ProfileFigures &candidate) {
    const ProfileSummary &a = baseline.summary, &b = candidate.summary;
    ProfileDiff d;
    d.baseline = baseline.label;
    d.candidate = candidate.label;
    d.steps = {double(a.steps.size()), double(b.steps.size())};
    d.meanStepMs = {a.meanStepMs, b.meanStepMs};
    d.inputShare = {a.inputShare, b.inputShare};
    for (size_t c = 0; c < size_t(kTimeCategories); ++c)
        d.categoryMs[c] = {a.meanMs[c], b.meanMs[c]};
    d.baselineVerdict = a.verdict;
    d.candidateVerdict = b.verdict;
    d.baselineVerdictText = a.verdictText;
    d.candidateVerdictText = b.verdictText;
    d.stages = diffStages(a.stages, b.stages);
    d.operators = diffOperators(a.topOps, b.topOps);
    d.kernels = diffKernels(baseline.kernels, candidate.kernels);
    d.memory = diffMemory(baseline, candidate);
    return d;
}

} // namespace trainscope
