#include "core/tune/importance.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <random>

namespace trainscope {
namespace {

std::optional<double> numeric(const ParamValue &v) {
    if (auto *i = std::get_if<int64_t>(&v)) return double(*i);
    if (auto *d = std::get_if<double>(&v)) return *d;
    if (auto *b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
    return std::nullopt;
}

// Group index per trial for one parameter; -1 marks "inactive" before it is given an index.
// Returns the number of groups.
int groupTrials(const Param &param, const std::vector<const Trial *> &trials,
                std::vector<int> &group) {
    const size_t n = trials.size();
    group.assign(n, -1);
    std::vector<size_t> active;
    for (size_t i = 0; i < n; ++i)
        if (trials[i]->params.count(param.name)) active.push_back(i);
    if (active.empty()) return 0;

    int groups = 0;
    bool binned = false;
    if (param.kind == ParamKind::Int || param.kind == ParamKind::Float) {
        std::vector<std::pair<double, size_t>> values;
        for (size_t i : active)
            if (auto v = numeric(trials[i]->params.at(param.name))) values.emplace_back(*v, i);
        if (values.size() == active.size()) {
            binned = true;
            std::sort(values.begin(), values.end());
            // About sqrt(n) bins: enough to see a trend, each with several trials.
            const int bins = std::clamp(int(std::lround(std::sqrt(double(values.size())))), 2, 10);
            size_t distinct = 1;
            for (size_t r = 1; r < values.size(); ++r)
                distinct += values[r].first != values[r - 1].first;
            for (size_t r = 0; r < values.size(); ++r) {
                int g;
                if (r > 0 && values[r].first == values[r - 1].first)
                    g = group[values[r - 1].second]; // equal values never straddle a bin edge
                else if (distinct <= size_t(bins))
                    g = r == 0 ? 0 : group[values[r - 1].second] + 1;
                else
                    g = int(r * size_t(bins) / values.size());
                group[values[r].second] = g;
                groups = std::max(groups, g + 1);
            }
        }
    }
    if (!binned) {
        std::map<ParamValue, int> ids;
        for (size_t i : active) {
            auto [it, inserted] = ids.emplace(trials[i]->params.at(param.name), int(ids.size()));
            group[i] = it->second;
        }
        groups = int(ids.size());
    }
    // Being switched off by a parent is itself a setting that may move the score.
    if (active.size() < n) {
        for (int &g : group)
            if (g < 0) g = groups;
        ++groups;
    }
    return groups;
}

// parameterImportance over trials already known to be scored (the bootstrap's resamples
// point into one vector, rather than copying trials a hundred times).
std::vector<ParamImportance> estimate(const SearchSpace &space,
                                      const std::vector<const Trial *> &scored) {
    const size_t n = scored.size();

    std::vector<ParamImportance> out;
    for (const Param &p : space.params())
        if (p.kind != ParamKind::Fixed) out.push_back({p.name, 0.0});
    if (n < 3 || out.empty()) return out;

    double mean = 0;
    for (const Trial *t : scored)
        mean += *t->score;
    mean /= double(n);
    double total = 0;
    for (const Trial *t : scored)
        total += (*t->score - mean) * (*t->score - mean);
    if (!(total > 1e-300 * double(n))) return out;

    std::vector<int> group;
    size_t index = 0;
    for (const Param &p : space.params()) {
        if (p.kind == ParamKind::Fixed) continue;
        ParamImportance &result = out[index++];
        const int k = groupTrials(p, scored, group);
        // One group explains nothing; as many groups as trials explains everything trivially.
        if (k < 2 || size_t(k) >= n) continue;
        std::vector<double> sum(size_t(k), 0.0);
        std::vector<size_t> count(size_t(k), 0);
        for (size_t i = 0; i < n; ++i) {
            sum[size_t(group[i])] += *scored[i]->score;
            ++count[size_t(group[i])];
        }
        double between = 0;
        int nonEmpty = 0;
        for (size_t g = 0; g < size_t(k); ++g) {
            if (!count[g]) continue;
            ++nonEmpty;
            const double d = sum[g] / double(count[g]) - mean;
            between += double(count[g]) * d * d;
        }
        if (nonEmpty < 2 || size_t(nonEmpty) >= n) continue;
        const double within = std::max(0.0, total - between);
        const double msWithin = within / double(n - size_t(nonEmpty));
        const double epsilon2 = (between - double(nonEmpty - 1) * msWithin) / total;
        result.importance = std::clamp(epsilon2, 0.0, 1.0);
    }

    const double sum =
        std::accumulate(out.begin(), out.end(), 0.0,
                        [](double s, const ParamImportance &p) { return s + p.importance; });
    if (sum > 0)
        for (ParamImportance &p : out)
            p.importance /= sum;
    std::stable_sort(out.begin(), out.end(),
                     [](const ParamImportance &a, const ParamImportance &b) {
                         return a.importance > b.importance;
                     });
    return out;
}

} // namespace

std::vector<ParamImportance> parameterImportance(const SearchSpace &space,
                                                 const std::vector<Trial> &trials,
                                                 const Objective &objective) {
    (void)objective;
    std::vector<const Trial *> scored;
    for (const Trial &t : trials)
        if (t.status == TrialStatus::Completed && t.score && std::isfinite(*t.score))
            scored.push_back(&t);
    return estimate(space, scored);
}

int minimumCompletedTrials(const SearchSpace &space) {
    int searched = 0;
    for (const Param &p : space.params())
        searched += p.kind != ParamKind::Fixed;
    return std::max(10, 2 * searched);
}

ImportanceReport importanceReport(const SearchSpace &space, const std::vector<Trial> &trials,
                                  const Objective &objective, int resamples) {
    ImportanceReport report;
    report.required = minimumCompletedTrials(space);
    (void)objective;
    std::vector<const Trial *> scored;
    for (const Trial &t : trials)
        if (t.status == TrialStatus::Completed && t.score && std::isfinite(*t.score))
            scored.push_back(&t);
    report.completed = int(scored.size());
    if (!report.enough()) return report;
    report.params = estimate(space, scored);

    // Bootstrap: the trials drawn with replacement, the estimate made again each time.
    std::vector<std::vector<double>> draws(report.params.size());
    std::mt19937_64 rng(0x5eed);
    std::uniform_int_distribution<size_t> pick(0, scored.size() - 1);
    std::vector<const Trial *> sample(scored.size());
    for (int b = 0; b < resamples; ++b) {
        for (const Trial *&t : sample)
            t = scored[pick(rng)];
        const std::vector<ParamImportance> again = estimate(space, sample);
        for (size_t i = 0; i < report.params.size(); ++i)
            for (const ParamImportance &e : again)
                if (e.name == report.params[i].name) draws[i].push_back(e.importance);
    }
    for (size_t i = 0; i < report.params.size(); ++i) {
        std::vector<double> &d = draws[i];
        ParamImportance &p = report.params[i];
        if (d.empty()) {
            p.low = p.high = p.importance;
            continue;
        }
        const double mean = std::accumulate(d.begin(), d.end(), 0.0) / double(d.size());
        double ss = 0;
        for (double v : d)
            ss += (v - mean) * (v - mean);
        p.stddev = d.size() > 1 ? std::sqrt(ss / double(d.size() - 1)) : 0;
        std::sort(d.begin(), d.end());
        p.low = d[size_t(0.1 * double(d.size() - 1) + 0.5)];
        p.high = d[size_t(0.9 * double(d.size() - 1) + 0.5)];
    }
    return report;
}

} // namespace trainscope
