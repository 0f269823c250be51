// Random search: each suggestion is drawn with an RNG seeded from (seed, number of trials so
// far), so a resumed sweep, or another process sharing the study, draws exactly what this one
// would have.
#include "core/tune/oracles.h"

#include <set>

namespace trainscope {
namespace {

// Redraws before concluding that the space holds no new configuration.
constexpr int kMaxRedraws = 1000;

class RandomOracle : public Oracle {
public:
    RandomOracle(const OracleSpec &spec, const SearchSpace &space)
        : m_spec(spec)
        , m_space(space) {}

    std::optional<Suggestion> suggest(const std::vector<Trial> &trials) override {
        std::optional<Assignment> params = draw(trials);
        if (!params) return std::nullopt;
        Suggestion s;
        s.params = std::move(*params);
        return s;
    }
    bool finished(const std::vector<Trial> &trials) const override { return !draw(trials); }

private:
    std::optional<Assignment> draw(const std::vector<Trial> &trials) const {
        std::seed_seq seq{uint32_t(m_spec.seed), uint32_t(m_spec.seed >> 32),
                          uint32_t(trials.size()), uint32_t(uint64_t(trials.size()) >> 32)};
        std::mt19937_64 rng(seq);
        if (m_spec.allowDuplicates) return m_space.sample(rng);
        std::set<std::string> seen;
        for (const Trial &t : trials)
            seen.insert(m_space.key(t.params));
        for (int i = 0; i < kMaxRedraws; ++i) {
            Assignment a = m_space.sample(rng);
            if (!seen.count(m_space.key(a))) return a;
        }
        return std::nullopt;
    }

    OracleSpec m_spec;
    SearchSpace m_space;
};

} // namespace

std::unique_ptr<Oracle> makeRandomOracle(const OracleSpec &spec, const SearchSpace &space) {
    return std::make_unique<RandomOracle>(spec, space);
}

} // namespace trainscope
