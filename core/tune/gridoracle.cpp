// Grid search: every combination of the discrete parameters in the space's order, each once.
// A combination counts as tried whatever became of its trial, so a failed one is not retried.
#include "core/tune/oracles.h"

#include <set>

namespace trainscope {
namespace {

class GridOracle : public Oracle {
public:
    explicit GridOracle(const SearchSpace &space)
        : m_space(space)
        , m_grid(space.grid()) {
        for (const Assignment &a : m_grid)
            m_keys.push_back(space.key(a));
    }

    std::optional<Suggestion> suggest(const std::vector<Trial> &trials) override {
        const std::set<std::string> tried = keys(trials);
        for (size_t i = 0; i < m_grid.size(); ++i)
            if (!tried.count(m_keys[i])) {
                Suggestion s;
                s.params = m_grid[i];
                return s;
            }
        return std::nullopt;
    }
    bool finished(const std::vector<Trial> &trials) const override {
        const std::set<std::string> tried = keys(trials);
        for (const std::string &key : m_keys)
            if (!tried.count(key)) return false;
        return true;
    }

private:
    std::set<std::string> keys(const std::vector<Trial> &trials) const {
        std::set<std::string> out;
        for (const Trial &t : trials)
            out.insert(m_space.key(t.params));
        return out;
    }

    SearchSpace m_space;
    std::vector<Assignment> m_grid;
    std::vector<std::string> m_keys; // of m_grid
};

} // namespace

std::unique_ptr<Oracle> makeGridOracle(const OracleSpec &, const SearchSpace &space) {
    return std::make_unique<GridOracle>(space);
}

} // namespace trainscope
