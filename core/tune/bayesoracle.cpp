// The Bayesian oracle: random points first, then a Gaussian process on the finished trials
// (running ones added as the kriging believer's fantasies) and the point that maximises
// expected improvement (or the confidence bound), found by multi-start L-BFGS-B.
#include "tune/gaussianprocess.h"
#include "tune/oracles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <set>

namespace trainscope {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

uint64_t mix(uint64_t a, uint64_t b) {
    // splitmix64 of the pair: nearby (seed, count) pairs give unrelated streams.
    uint64_t z = a * 0x9e3779b97f4a7c15ULL + b + 0x632be59bd9b4e019ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Uniform in [0, 1), the same on every standard library (its distributions are not).
double unit(std::mt19937_64 &rng) {
    return double(rng() >> 11) * 0x1.0p-53;
}

// The value a trial contributes to the model, or nothing (failed, invalid, still running).
std::optional<double> observedValue(const Trial &t, const Objective &objective) {
    std::optional<double> v;
    if (t.status == TrialStatus::Completed) {
        if (t.score)
            v = *t.score;
        else if (!t.values.empty())
            v = *std::min_element(t.values.begin(), t.values.end(),
                                  [&](double a, double b) { return objective.better(a, b); });
    } else if (t.status == TrialStatus::Pruned && !t.values.empty()) {
        v = t.values.back(); // where it stood when stopped: what its configuration showed
    }
    if (v && !std::isfinite(*v)) v.reset();
    return v;
}

// An upper bound on the number of distinct configurations (conditions ignored); 0: unbounded.
double configurationBound(const SearchSpace &space) {
    double count = 1;
    for (const Param &p : space.params()) {
        switch (p.kind) {
        case ParamKind::Choice:
            count *= double(p.choices.size());
            break;
        case ParamKind::Boolean:
            count *= 2;
            break;
        case ParamKind::Fixed:
            break;
        case ParamKind::Int:
        case ParamKind::Float:
            if (p.kind == ParamKind::Float && p.step <= 0) return 0;
            count *= std::floor((p.max - p.min) / (p.step > 0 ? p.step : 1) + 1e-9) + 1;
            break;
        }
    }
    return count;
}

class BayesianOracle : public Oracle {
public:
    BayesianOracle(const OracleSpec &spec, const SearchSpace &space, const Objective &objective)
        : m_spec(spec)
        , m_space(space)
        , m_objective(objective)
        , m_dims(Index(space.dimensions())) {}

    std::optional<Suggestion> suggest(const std::vector<Trial> &trials) override;
    bool finished(const std::vector<Trial> &trials) const override;

private:
    std::set<std::string> keysOf(const std::vector<Trial> &trials) const {
        std::set<std::string> keys;
        for (const Trial &t : trials)
            keys.insert(m_space.key(t.params));
        return keys;
    }
    bool isNew(const Assignment &a, const std::set<std::string> &keys) const {
        return m_spec.allowDuplicates || !keys.count(m_space.key(a));
    }
    std::optional<Suggestion> randomSuggestion(std::mt19937_64 &rng,
                                               const std::set<std::string> &keys) const;
    std::optional<Suggestion> modelSuggestion(const MatrixXd &x, const VectorXd &y,
                                              const MatrixXd &pending, std::mt19937_64 &rng,
                                              const std::set<std::string> &keys) const;

    OracleSpec m_spec;
    SearchSpace m_space;
    Objective m_objective;
    Index m_dims;
    // Every configuration of a small discrete space, for finished(); computed once.
    mutable std::once_flag m_gridOnce;
    mutable std::vector<std::string> m_gridKeys;
};

std::optional<Suggestion> BayesianOracle::suggest(const std::vector<Trial> &trials) {
    // Everything random below comes from (seed, history length): the same history gives the
    // same suggestion, in this process or in a resumed one.
    std::mt19937_64 rng(mix(m_spec.seed, trials.size()));
    const std::set<std::string> keys = keysOf(trials);

    std::vector<std::vector<double>> done, running;
    std::vector<double> values;
    for (const Trial &t : trials) {
        try {
            if (t.status == TrialStatus::Running) {
                running.push_back(m_space.encode(t.params));
            } else if (const auto v = observedValue(t, m_objective)) {
                done.push_back(m_space.encode(t.params));
                values.push_back(m_objective.maximize ? -*v : *v); // minimised internally
            }
        } catch (const std::exception &) {
            // Parameters from an older version of the space: nothing to learn from them.
        }
    }
    const int initial =
        m_spec.initialPoints > 0 ? m_spec.initialPoints : std::max(5, int(2 * m_dims));
    if (getenv("LHS") && m_dims > 0 && int(trials.size()) < initial) {
        // Latin hypercube of `initial` points, fixed by the seed; trial i takes point i.
        std::mt19937_64 design(mix(m_spec.seed, 0x4c4853ULL));
        std::vector<double> point(static_cast<size_t>(m_dims));
        const size_t index = trials.size();
        for (Index d = 0; d < m_dims; ++d) {
            std::vector<int> perm(static_cast<size_t>(initial));
            for (int i = 0; i < initial; ++i) perm[size_t(i)] = i;
            for (int i = initial - 1; i > 0; --i) std::swap(perm[size_t(i)], perm[size_t(std::min(int(unit(design) * (i + 1)), i))]);
            for (int i = 0; i < initial; ++i) { const double u = unit(design); if (size_t(i) == index) point[size_t(d)] = (perm[size_t(i)] + u) / initial; }
        }
        Assignment a = m_space.decode(point);
        if (isNew(a, keys)) return Suggestion{std::move(a)};
    }
    if (m_dims == 0 || int(trials.size()) < initial || done.size() < 2)
        return randomSuggestion(rng, keys);

    MatrixXd x(Index(done.size()), m_dims);
    for (Index i = 0; i < x.rows(); ++i)
        x.row(i) = Eigen::Map<const VectorXd>(done[size_t(i)].data(), m_dims);
    MatrixXd pending(Index(running.size()), m_dims);
    for (Index i = 0; i < pending.rows(); ++i)
        pending.row(i) = Eigen::Map<const VectorXd>(running[size_t(i)].data(), m_dims);
    const VectorXd y = Eigen::Map<const VectorXd>(values.data(), Index(values.size()));
    if (auto s = modelSuggestion(x, y, pending, rng, keys)) return s;
    return randomSuggestion(rng, keys);
}

std::optional<Suggestion>
BayesianOracle::randomSuggestion(std::mt19937_64 &rng, const std::set<std::string> &keys) const {
    for (int attempt = 0; attempt < 200; ++attempt) {
        Assignment a = m_space.sample(rng);
        if (isNew(a, keys)) return Suggestion{std::move(a)};
    }
    return std::nullopt; // a small discrete space, every configuration tried
}

std::optional<Suggestion> BayesianOracle::modelSuggestion(const MatrixXd &x, const VectorXd &y,
                                                          const MatrixXd &pending,
                                                          std::mt19937_64 &rng,
                                                          const std::set<std::string> &keys) const {
    const Index n = x.rows(), dims = m_dims;
    // Standardised here rather than only inside the GP, so the acquisition's values are in
    // units of the data's spread and the optimiser's tolerances mean the same at any scale.
    const double mean = y.mean();
    double sd = std::sqrt((y.array() - mean).square().mean());
    if (!(sd > 1e-12)) sd = 1;
    const VectorXd ys = (y.array() - mean) / sd;

    GaussianProcess gp;
    GpFitOptions fit;
    fit.seed = rng();
    // The fit's cost is cubic in the points and linear in the starts: past a few dozen points
    // the likelihood surface is sharp enough that fewer starts and iterations find its optimum.
    fit.randomStarts = n < 40 ? 2 : 1;
    fit.maxIterations = n < 80 ? 60 : 30;
    fit.maxFitPoints = 100;
    if (getenv("PA")) { fit.lengthscalePrior[0] = atof(getenv("PA")); fit.lengthscalePrior[1] = atof(getenv("PB")); }
    if (getenv("LMAX")) fit.maxLengthscale = atof(getenv("LMAX"));
    if (getenv("NOISE")) fit.minNoiseVariance = atof(getenv("NOISE"));
    gp.fit(x, ys, fit);
    if (pending.rows() > 0) {
        // Kriging believer: a running trial is taken to score what the model expects, which
        // leaves the mean alone but removes the uncertainty there, so the next worker looks
        // elsewhere.
        VectorXd fantasy, unused;
        gp.predict(pending, fantasy, unused);
        gp.addObservations(pending, fantasy);
    }

    if (getenv("GPDEBUG")) {
        const auto &h = gp.hyperparameters();
        fprintf(stderr, "n=%ld lml=%.2f l=", long(n), gp.logMarginalLikelihood());
        for (Index d = 0; d < dims; ++d)
            fprintf(stderr, "%.3f ", h.lengthscales[d]);
        fprintf(stderr, "s=%.3f noise=%.2g best=%.4f\n", h.signalVariance, h.noiseVariance,
                y.minCoeff());
    }
    const double best = ys.minCoeff();
    double xiUse = getenv("XI") ? atof(getenv("XI")) : 0.0;
    if (getenv("STAG")) {
        // trailing evaluations without a significant improvement
        int since = 0;
        double runBest = ys[0];
        std::vector<double> seen{ys[0]};
        for (Index i = 1; i < n; ++i) {
            std::vector<double> tmp = seen;
            std::nth_element(tmp.begin(), tmp.begin() + tmp.size() / 2, tmp.end());
            const double gap = tmp[tmp.size() / 2] - runBest;
            if (ys[i] < runBest - atof(getenv("TAU")) * gap)
                since = 0;
            else
                ++since;
            runBest = std::min(runBest, ys[i]);
            seen.push_back(ys[i]);
        }
        const int S = atoi(getenv("STAG"));
        if (since >= S && (since - S) % atoi(getenv("EVERY")) == 0) return std::nullopt;
    }
    const bool ucb = m_spec.acquisition == "ucb";
    const double kappa = m_spec.kappa, xi = xiUse;
    // The acquisition to minimise: -EI, or the lower confidence bound.
    auto acquisition = [&](double m, double v) {
        const AcquisitionValue a =
            ucb ? lowerConfidenceBound(m, v, kappa) : expectedImprovement(m, v, best, xi);
        return ucb ? a : AcquisitionValue{-a.value, -a.dMean, -a.dVariance};
    };

    // Candidates: uniform over the cube, and a cloud around the best points seen (where EI's
    // narrow peaks are at the end of a search).
    const double margin = getenv("MARGIN") ? atof(getenv("MARGIN")) : 0.0;
    const Index global = n < 120 ? 2000 : 1000;
    const Index bestCount = std::min<Index>(5, n), perBest = 100;
    MatrixXd candidates(global + bestCount * perBest, dims);
    for (Index i = 0; i < global; ++i)
        for (Index d = 0; d < dims; ++d)
            candidates(i, d) = std::clamp(unit(rng), margin, 1 - margin);
    std::vector<Index> order(static_cast<size_t>(n));
    for (Index i = 0; i < n; ++i)
        order[size_t(i)] = i;
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return ys[a] < ys[b]; });
    for (Index b = 0; b < bestCount; ++b) {
        for (Index j = 0; j < perBest; ++j) {
            const Index row = global + b * perBest + j;
            const double radius = j % 2 ? 0.02 : 0.1;
            for (Index d = 0; d < dims; ++d) {
                // A cheap normal from two uniforms (Box-Muller), reproducible everywhere.
                const double u1 = std::max(unit(rng), 1e-300), u2 = unit(rng);
                const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
                candidates(row, d) = std::clamp(x(order[size_t(b)], d) + radius * z, 0.0, 1.0);
            }
        }
    }
    VectorXd means, variances;
    gp.predict(candidates, means, variances);
    VectorXd scores(candidates.rows());
    for (Index i = 0; i < candidates.rows(); ++i)
        scores[i] = acquisition(means[i], variances[i]).value;

    // Local optimisation from the best candidates; EI's values shrink as the search narrows,
    // so the objective is rescaled to make the optimiser's tolerance relative.
    std::vector<Index> ranked(static_cast<size_t>(candidates.rows()));
    for (Index i = 0; i < candidates.rows(); ++i)
        ranked[size_t(i)] = i;
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&](Index a, Index b) { return scores[a] < scores[b]; });
    const double scale = 1.0 / std::max(std::abs(scores[ranked.front()]), 1e-12);
    auto objective = [&](const VectorXd &at, VectorXd &gradient) {
        double m, v;
        VectorXd dm, dv;
        gp.predict(at, m, v, &dm, &dv);
        const AcquisitionValue a = acquisition(m, v);
        gradient = (a.dMean * dm + a.dVariance * dv) * scale;
        return a.value * scale;
    };
    const VectorXd lower = VectorXd::Constant(dims, margin),
                   upper = VectorXd::Constant(dims, 1 - margin);
    const int starts = n < 120 ? 12 : 8;
    struct Result {
        VectorXd x;
        double value;
    };
    std::vector<Result> results;
    for (size_t i = 0; i < ranked.size() && int(results.size()) < starts; ++i) {
        const VectorXd start = candidates.row(ranked[i]).transpose();
        // Starts closer than this to an earlier one would climb the same peak.
        if (std::any_of(results.begin(), results.end(), [&](const Result &r) {
                return (r.x - start).lpNorm<Eigen::Infinity>() < 1e-3;
            }))
            continue;
        VectorXd at = start;
        const double value = minimizeInBox(objective, at, lower, upper, 50, 1e-6);
        results.push_back({at, std::min(value, scores[ranked[i]] * scale)});
        if (value > scores[ranked[i]] * scale) results.back().x = start;
    }
    // Best first; a configuration already tried (or running) gives way to the next.
    std::stable_sort(results.begin(), results.end(),
                     [](const Result &a, const Result &b) { return a.value < b.value; });
    for (const Result &r : results) {
        Assignment a = m_space.decode(std::vector<double>(r.x.data(), r.x.data() + dims));
        if (isNew(a, keys)) return Suggestion{std::move(a)};
    }
    for (size_t i = 0; i < ranked.size(); ++i) {
        const double *row = nullptr;
        VectorXd point = candidates.row(ranked[i]).transpose();
        row = point.data();
        Assignment a = m_space.decode(std::vector<double>(row, row + dims));
        if (isNew(a, keys)) return Suggestion{std::move(a)};
    }
    return std::nullopt;
}

bool BayesianOracle::finished(const std::vector<Trial> &trials) const {
    if (m_spec.allowDuplicates) return false;
    std::call_once(m_gridOnce, [this] {
        const double bound = configurationBound(m_space);
        if (bound <= 0 || bound > 20000) return;
        try {
            for (const Assignment &a : m_space.grid())
                m_gridKeys.push_back(m_space.key(a));
        } catch (const std::exception &) {
            m_gridKeys.clear();
        }
    });
    if (m_gridKeys.empty()) return false;
    const std::set<std::string> keys = keysOf(trials);
    return std::all_of(m_gridKeys.begin(), m_gridKeys.end(),
                       [&](const std::string &k) { return keys.count(k) > 0; });
}

} // namespace

std::unique_ptr<Oracle> makeBayesianOracle(const OracleSpec &spec, const SearchSpace &space,
                                           const Objective &objective) {
    return std::make_unique<BayesianOracle>(spec, space, objective);
}

} // namespace trainscope
