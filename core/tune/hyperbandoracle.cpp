// Hyperband (Li et al. 2018) with Keras Tuner's settings (max_epochs, factor, iterations):
// brackets from the most configurations at the fewest epochs down to a few configurations at
// max_epochs, each a successive-halving run whose rungs keep the best 1/factor and continue
// them from their checkpoints with factor times the epochs. The state is rebuilt from the
// trials on every call (each records its bracket, numbered in the order brackets start, and
// its rung), so a resumed sweep or a second process continues where the sweep stood.
#include "core/tune/oracles.h"

#include <algorithm>
#include <map>
#include <set>

namespace trainscope {

namespace {

uint64_t mix(uint64_t a, uint64_t b) {
    // splitmix64 of the pair: nearby (seed, count) pairs give unrelated streams.
    uint64_t z = a * 0x9e3779b97f4a7c15ULL + b + 0x632be59bd9b4e019ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int64_t power(int64_t base, int exponent) {
    int64_t p = 1;
    for (int i = 0; i < exponent; ++i)
        p *= base;
    return p;
}

int64_t ceilDiv(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

// Li et al.'s table, in integers so that exact powers stay exact: bracket s starts
// n = ceil((sMax + 1) / (s + 1) * factor^s) configurations at maxEpochs / factor^s epochs; rung
// r keeps floor(n / factor^r) of them at factor^r times the epochs.
struct Schedule {
    int maxEpochs, factor, iterations;
    int sMax = 0; // floor(log_factor(maxEpochs))

    Schedule(int maxEpochs_, int factor_, int iterations_)
        : maxEpochs(std::max(1, maxEpochs_))
        , factor(std::max(2, factor_))
        , iterations(std::max(1, iterations_)) {
        while (power(factor, sMax + 1) <= maxEpochs)
            ++sMax;
    }
    // Brackets over all iterations, numbered in the order they start.
    int brackets() const { return iterations * (sMax + 1); }
    int sOf(int bracket) const { return sMax - bracket % (sMax + 1); }
    int64_t size(int s, int r) const {
        return ceilDiv((sMax + 1) * power(factor, s), s + 1) / power(factor, r);
    }
    // Epochs a configuration has trained for at the end of rung `r` (rounded up).
    int epochs(int s, int r) const { return int(ceilDiv(maxEpochs, power(factor, s - r))); }
};

bool isFinished(const Trial &t) {
    return t.status != TrialStatus::Running;
}

// The value a rung ranks a trial by, or nothing (failed, invalid, no value).
std::optional<double> rankValue(const Trial &t, const Objective &objective) {
    if (t.status == TrialStatus::Completed) {
        if (t.score) return *t.score;
        if (!t.values.empty())
            return *std::min_element(t.values.begin(), t.values.end(),
                                     [&](double a, double b) { return objective.better(a, b); });
    }
    if (t.status == TrialStatus::Pruned && !t.values.empty()) return t.values.back();
    return std::nullopt;
}

class HyperbandOracle : public Oracle {
public:
    HyperbandOracle(const OracleSpec &spec, const SearchSpace &space, const Objective &objective)
        : m_spec(spec)
        , m_space(space)
        , m_objective(objective)
        , m_schedule(spec.maxEpochs, spec.factor, spec.iterations) {}

    std::optional<Suggestion> suggest(const std::vector<Trial> &trials) override;
    bool finished(const std::vector<Trial> &trials) const override;

private:
    struct Instance {
        int s = 0;
        std::vector<std::vector<size_t>> rungs; // trial indices, per rung
        bool closed = false; // rung 0 cannot be filled: the space has no new configuration
    };
    struct State {
        std::vector<Instance> instances;
        std::set<std::string> keys; // of every trial, for duplicate detection
        std::set<int> promoted;     // ids already continued into the next rung
        std::optional<Assignment> next;
    };

    // The brackets as the trials left them, and the configuration a new rung-0 trial would
    // take (drawn from (seed, history length)); nothing when the space has no new one, which
    // closes every rung 0 that is not full.
    State rebuild(const std::vector<Trial> &trials) const {
        State state;
        for (size_t i = 0; i < trials.size(); ++i) {
            const Trial &t = trials[i];
            state.keys.insert(m_space.key(t.params));
            // Not Hyperband's, or from another schedule: left out of the bookkeeping.
            if (t.bracket < 0 || t.bracket >= m_schedule.brackets() || t.rung < 0 ||
                t.rung > m_schedule.sOf(t.bracket))
                continue;
            while (int(state.instances.size()) <= t.bracket)
                state.instances.push_back(open(state.instances.size()));
            state.instances[size_t(t.bracket)].rungs[size_t(t.rung)].push_back(i);
            if (t.rung > 0) state.promoted.insert(t.continueFrom);
        }
        std::mt19937_64 rng(mix(m_spec.seed, trials.size()));
        state.next = freshConfiguration(rng, state.keys);
        for (Instance &b : state.instances)
            b.closed = !state.next;
        return state;
    }

    Instance open(size_t index) const {
        Instance in;
        in.s = m_schedule.sOf(int(index));
        in.rungs.resize(size_t(in.s + 1));
        return in;
    }

    // The finished trials of a rung that can be promoted, best first (ties: the earlier).
    std::vector<size_t> ranked(const std::vector<size_t> &rung,
                               const std::vector<Trial> &trials) const {
        std::vector<std::pair<double, size_t>> values;
        for (size_t i : rung)
            if (const auto v = rankValue(trials[i], m_objective)) values.push_back({*v, i});
        std::stable_sort(values.begin(), values.end(), [&](const auto &a, const auto &b) {
            return m_objective.better(a.first, b.first);
        });
        std::vector<size_t> out;
        for (const auto &v : values)
            out.push_back(v.second);
        return out;
    }

    bool rungFinished(const std::vector<size_t> &rung, const std::vector<Trial> &trials) const {
        return std::all_of(rung.begin(), rung.end(),
                           [&](size_t i) { return isFinished(trials[i]); });
    }

    // How many configurations rung `r` (> 0) takes: the schedule's number, fewer when the
    // rung below had fewer finished with a value. Only meaningful once rung r - 1 is finished.
    int64_t target(const Instance &b, int r, const std::vector<Trial> &trials) const {
        return std::min<int64_t>(m_schedule.size(b.s, r),
                                 int64_t(ranked(b.rungs[size_t(r - 1)], trials).size()));
    }

    bool rungZeroFull(const Instance &b) const {
        return b.closed || int64_t(b.rungs[0].size()) >= m_schedule.size(b.s, 0);
    }

    bool complete(const Instance &b, const std::vector<Trial> &trials) const {
        if (!rungZeroFull(b) || !rungFinished(b.rungs[0], trials)) return false;
        for (int r = 1; r <= b.s; ++r) {
            const int64_t want = target(b, r, trials);
            if (int64_t(b.rungs[size_t(r)].size()) < want) return false;
            if (!rungFinished(b.rungs[size_t(r)], trials)) return false;
            if (want == 0) return true; // nothing survived: the bracket ends early
        }
        return true;
    }

    std::optional<Assignment> freshConfiguration(std::mt19937_64 &rng,
                                                 const std::set<std::string> &keys) const {
        for (int attempt = 0; attempt < 200; ++attempt) {
            Assignment a = m_space.sample(rng);
            if (m_spec.allowDuplicates || !keys.count(m_space.key(a))) return a;
        }
        return std::nullopt;
    }

    OracleSpec m_spec;
    SearchSpace m_space;
    Objective m_objective;
    Schedule m_schedule;
};

std::optional<Suggestion> HyperbandOracle::suggest(const std::vector<Trial> &trials) {
    State state = rebuild(trials);
    for (size_t index = 0; index < size_t(m_schedule.brackets()); ++index) {
        // Brackets open in order, a later one as soon as the earlier ones wait on their
        // trials, so that parallel workers are not left idle.
        if (index == state.instances.size()) {
            state.instances.push_back(open(index));
            state.instances.back().closed = !state.next;
        }
        const Instance &b = state.instances[index];
        if (!rungZeroFull(b)) {
            Suggestion s{*state.next};
            s.epochs = m_schedule.epochs(b.s, 0);
            s.bracket = int(index);
            s.rung = 0;
            return s;
        }
        for (int r = 1; r <= b.s; ++r) {
            const auto &below = b.rungs[size_t(r - 1)];
            // Promotions wait for the whole rung below: its ranking is final only then.
            if (!rungFinished(below, trials)) break;
            if (int64_t(b.rungs[size_t(r)].size()) >= target(b, r, trials)) continue;
            for (size_t i : ranked(below, trials)) {
                const Trial &parent = trials[i];
                if (state.promoted.count(parent.id)) continue;
                Suggestion s{parent.params};
                s.epochs = m_schedule.epochs(b.s, r);
                s.continueFrom = parent.id; // the runner resumes its checkpoint
                s.bracket = int(index);
                s.rung = r;
                return s;
            }
            break;
        }
    }
    return std::nullopt;
}

bool HyperbandOracle::finished(const std::vector<Trial> &trials) const {
    State state = rebuild(trials);
    for (size_t index = state.instances.size(); index < size_t(m_schedule.brackets()); ++index) {
        state.instances.push_back(open(index));
        state.instances.back().closed = !state.next;
    }
    return std::all_of(state.instances.begin(), state.instances.end(),
                       [&](const Instance &b) { return complete(b, trials); });
}

} // namespace

std::unique_ptr<Oracle> makeHyperbandOracle(const OracleSpec &spec, const SearchSpace &space,
                                            const Objective &objective) {
    return std::make_unique<HyperbandOracle>(spec, space, objective);
}

} // namespace trainscope
