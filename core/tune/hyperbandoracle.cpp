// Hyperband (Li et al. 2018, as Keras Tuner runs it): brackets from s_max = log_f(max_epochs)
// down to 0; bracket s starts n = ceil((s_max + 1) / (s + 1) * f^s) random configurations at
// max_epochs / f^s epochs, and each rung promotes its best 1/f to f times the epochs,
// continuing from the promoted trial's checkpoint. Everything follows from the trial history
// (bracket and rung are stored on each trial), so a resumed sweep picks up where it stood.
#include "jobs/jobspec.h"
#include "tune/oracles.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

namespace trainscope {
namespace {

struct Rung {
    int size = 0;   // configurations in the rung
    int epochs = 0; // the budget each reaches
};

class HyperbandOracle : public Oracle {
public:
    HyperbandOracle(const OracleSpec &spec, const SearchSpace &space, const Objective &objective)
        : m_spec(spec)
        , m_space(space)
        , m_objective(objective) {
        const int sMax = int(
            std::floor(std::log(double(spec.maxEpochs)) / std::log(double(spec.factor)) + 1e-9));
        for (int it = 0; it < spec.iterations; ++it)
            for (int s = sMax; s >= 0; --s) {
                std::vector<Rung> rungs;
                const double n =
                    std::ceil(double(sMax + 1) / double(s + 1) * std::pow(spec.factor, s));
                const double r = double(spec.maxEpochs) / std::pow(spec.factor, s);
                for (int i = 0; i <= s; ++i)
                    rungs.push_back({std::max(1, int(std::floor(n / std::pow(spec.factor, i)))),
                                     std::max(1, int(std::lround(r * std::pow(spec.factor, i))))});
                m_brackets.push_back(std::move(rungs));
            }
    }

    std::optional<Suggestion> suggest(const std::vector<Trial> &trials) override {
        for (int b = 0; b < int(m_brackets.size()); ++b)
            if (std::optional<Suggestion> s = next(b, trials)) return s;
        return std::nullopt; // every bracket is full or waits for its running trials
    }

    bool finished(const std::vector<Trial> &trials) const override {
        for (int b = 0; b < int(m_brackets.size()); ++b)
            if (!complete(b, trials)) return false;
        return true;
    }

private:
    std::vector<const Trial *> rungTrials(const std::vector<Trial> &trials, int b, int i) const {
        std::vector<const Trial *> out;
        for (const Trial &t : trials)
            if (t.bracket == b && t.rung == i) out.push_back(&t);
        return out;
    }

    static bool allDone(const std::vector<const Trial *> &rung) {
        return std::all_of(rung.begin(), rung.end(),
                           [](const Trial *t) { return t->status != TrialStatus::Running; });
    }

    // Rung i-1's completed trials, best first: who rung i promotes.
    std::vector<const Trial *> ranked(const std::vector<const Trial *> &rung) const {
        std::vector<const Trial *> done;
        for (const Trial *t : rung)
            if (t->status == TrialStatus::Completed && t->score && std::isfinite(*t->score))
                done.push_back(t);
        std::stable_sort(done.begin(), done.end(), [&](const Trial *a, const Trial *b) {
            return m_objective.better(*a->score, *b->score);
        });
        return done;
    }

    // How many trials rung i holds when complete (fewer when rung i-1 lost some).
    int target(int b, int i, const std::vector<Trial> &trials) const {
        const int size = m_brackets[size_t(b)][size_t(i)].size;
        if (i == 0) return size;
        return std::min(size, int(ranked(rungTrials(trials, b, i - 1)).size()));
    }

    bool complete(int b, const std::vector<Trial> &trials) const {
        for (int i = 0; i < int(m_brackets[size_t(b)].size()); ++i) {
            const auto rung = rungTrials(trials, b, i);
            if (!allDone(rung)) return false;
            if (i > 0 && !allDone(rungTrials(trials, b, i - 1))) return false;
            if (int(rung.size()) < target(b, i, trials)) return false;
        }
        return true;
    }

    std::optional<Suggestion> next(int b, const std::vector<Trial> &trials) {
        const std::vector<Rung> &rungs = m_brackets[size_t(b)];
        const auto first = rungTrials(trials, b, 0);
        if (int(first.size()) < rungs[0].size) {
            std::optional<Assignment> params = draw(trials);
            if (!params) return std::nullopt;
            Suggestion s;
            s.params = std::move(*params);
            s.epochs = rungs[0].epochs;
            s.bracket = b;
            s.rung = 0;
            return s;
        }
        for (int i = 1; i < int(rungs.size()); ++i) {
            const auto previous = rungTrials(trials, b, i - 1);
            if (!allDone(previous)) return std::nullopt; // the rung decides when it is whole
            const auto current = rungTrials(trials, b, i);
            if (int(current.size()) >= target(b, i, trials)) continue;
            std::set<int> promoted;
            for (const Trial *t : current)
                promoted.insert(t->continueFrom);
            const auto best = ranked(previous);
            for (int k = 0; k < target(b, i, trials); ++k) {
                const Trial *candidate = best[size_t(k)];
                if (promoted.count(candidate->id)) continue;
                Suggestion s;
                s.params = candidate->params;
                s.epochs = rungs[size_t(i)].epochs;
                s.continueFrom = candidate->id;
                s.bracket = b;
                s.rung = i;
                return s;
            }
        }
        return std::nullopt;
    }

    // A fresh configuration from an RNG seeded by (seed, trials so far), not seen before.
    std::optional<Assignment> draw(const std::vector<Trial> &trials) const {
        std::seed_seq seq{uint32_t(m_spec.seed), uint32_t(m_spec.seed >> 32),
                          uint32_t(trials.size()), 0x4879u /* "Hy" */};
        std::mt19937_64 rng(seq);
        if (m_spec.allowDuplicates) return m_space.sample(rng);
        std::set<std::string> seen;
        for (const Trial &t : trials)
            seen.insert(m_space.key(t.params));
        for (int attempt = 0; attempt < 1000; ++attempt) {
            Assignment a = m_space.sample(rng);
            if (!seen.count(m_space.key(a))) return a;
        }
        return std::nullopt;
    }

    OracleSpec m_spec;
    SearchSpace m_space;
    Objective m_objective;
    std::vector<std::vector<Rung>> m_brackets;
};

} // namespace

std::unique_ptr<Oracle> makeHyperbandOracle(const OracleSpec &spec, const SearchSpace &space,
                                            const Objective &objective) {
    if (spec.maxEpochs < 1) throw SpecError("oracle.max_epochs", "must be >= 1");
    if (spec.factor < 2) throw SpecError("oracle.factor", "must be >= 2");
    if (spec.iterations < 1) throw SpecError("oracle.iterations", "must be >= 1");
    return std::make_unique<HyperbandOracle>(spec, space, objective);
}

} // namespace trainscope
