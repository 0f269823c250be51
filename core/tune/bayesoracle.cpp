// The Bayesian oracle: random points first, then a Gaussian process on the finished trials
// (running ones added as fantasies, so parallel workers get different points) and the point
// that maximises expected improvement (or the confidence bound), by multi-start L-BFGS-B.
#include "core/tune/gaussianprocess.h"
#include "core/tune/oracles.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <set>

namespace trainscope {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// Model-guided trials without a meaningful improvement after which the search escapes the
// best point's basin, and what counts as meaningful: this fraction of the distance from the
// median to the best value (scale-free, so it means the same for a loss and an accuracy).
constexpr int kStagnationTrials = 8;
constexpr double kMeaningfulStep = 0.01;
// How long an escape lasts when it finds nothing better: then the search returns to the whole
// space (the best point's basin included) for at least kStagnationTrials before the next.
constexpr int kEscapeTrials = 6;
// While escaping, points closer to the escape's anchor than this many lengthscales are its basin.
constexpr double kBasinRadius = 1.3;

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

double normal(std::mt19937_64 &rng) { // Box-Muller, for the same reason
    const double u1 = std::max(unit(rng), 1e-300), u2 = unit(rng);
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
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

// Whether the next trial escapes the best point's basin, and from which point: replayed from
// the observations (minimised, in trial order) alone, so a resumed sweep agrees. The first
// `initial` are the random design, whose lack of progress means nothing. A run of
// kStagnationTrials without a meaningful improvement starts an escape, anchored at the best
// point then; a meaningful improvement, or kEscapeTrials without one, ends it. An escape that
// never ended (as once, "until something improves") would shut a sole basin away for good:
// on Ackley's funnel every later trial went to the plateau.
struct SearchPhase {
    bool escaping = false;
    Index anchor = 0; // the best observation when the escape began
};

SearchPhase searchPhase(const VectorXd &y, Index initial) {
    SearchPhase phase;
    int trials = 0; // in the phase, without a meaningful improvement
    Index bestAt = 0;
    std::vector<double> seen{y[0]};
    for (Index i = 1; i < y.size(); ++i) {
        std::nth_element(seen.begin(), seen.begin() + long(seen.size() / 2), seen.end());
        const double median = seen[seen.size() / 2], best = y[bestAt];
        const bool improved = y[i] < best - kMeaningfulStep * (median - best);
        if (y[i] < best) bestAt = i;
        seen.push_back(y[i]);
        if (i < initial) continue;
        if (improved) {
            phase.escaping = false;
            trials = 0;
        } else if (++trials >= (phase.escaping ? kEscapeTrials : kStagnationTrials)) {
            phase.escaping = !phase.escaping;
            phase.anchor = bestAt;
            trials = 0;
        }
    }
    return phase;
}

double yeoJohnson(double v, double lambda) {
    if (v >= 0)
        return std::abs(lambda) < 1e-9 ? std::log1p(v) : (std::pow(v + 1, lambda) - 1) / lambda;
    return std::abs(lambda - 2) < 1e-9 ? -std::log1p(-v)
                                       : -(std::pow(1 - v, 2 - lambda) - 1) / (2 - lambda);
}

// Replaces standardised `y` by its Yeo-Johnson transform, the exponent chosen by maximum
// likelihood (as HEBO does), standardised again. Monotone: the best stays the best.
void powerTransform(VectorXd &y) {
    const Index n = y.size();
    double jacobian =
        0; // sum of sign(y) log(1 + |y|), the transform's log-derivative per unit of (lambda - 1)
    for (Index i = 0; i < n; ++i)
        jacobian += std::copysign(std::log1p(std::abs(y[i])), y[i]);
    double bestLambda = 1, bestLikelihood = -std::numeric_limits<double>::infinity();
    VectorXd t(n);
    for (int step = 0; step <= 80; ++step) {
        const double lambda = -2 + 0.05 * step;
        for (Index i = 0; i < n; ++i)
            t[i] = yeoJohnson(y[i], lambda);
        const double variance = (t.array() - t.mean()).square().mean();
        const double likelihood =
            -0.5 * double(n) * std::log(std::max(variance, 1e-300)) + (lambda - 1) * jacobian;
        if (likelihood > bestLikelihood) {
            bestLikelihood = likelihood;
            bestLambda = lambda;
        }
    }
    for (Index i = 0; i < n; ++i)
        y[i] = yeoJohnson(y[i], bestLambda);
    const double mean = y.mean();
    const double sd = std::sqrt((y.array() - mean).square().mean());
    y = (y.array() - mean) / (sd > 1e-12 ? sd : 1.0);
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
    std::optional<Suggestion> fresh(const VectorXd &x, const std::set<std::string> &keys) const {
        Assignment a = m_space.decode(std::vector<double>(x.data(), x.data() + x.size()));
        if (!m_spec.allowDuplicates && keys.count(m_space.key(a))) return std::nullopt;
        return Suggestion{std::move(a)};
    }
    std::optional<Suggestion> randomSuggestion(std::mt19937_64 &rng,
                                               const std::set<std::string> &keys) const;
    std::optional<Suggestion> modelSuggestion(const MatrixXd &x, const VectorXd &y,
                                              const MatrixXd &pending, Index initial,
                                              std::mt19937_64 &rng,
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

    const int initial =
        m_spec.initialPoints > 0 ? m_spec.initialPoints : std::max(5, int(2 * m_dims));
    std::vector<std::vector<double>> done, running;
    std::vector<double> values;
    Index design = 0; // observations of the random design's trials (the first `initial`)
    for (size_t i = 0; i < trials.size(); ++i) {
        const Trial &t = trials[i];
        try {
            if (t.status == TrialStatus::Running) {
                running.push_back(m_space.encode(t.params));
            } else if (const auto v = observedValue(t, m_objective)) {
                done.push_back(m_space.encode(t.params));
                values.push_back(m_objective.maximize ? -*v : *v); // minimised internally
                if (i < size_t(initial)) ++design;
            }
        } catch (const std::exception &) {
            // Parameters from an older version of the space: nothing to learn from them.
        }
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
    if (auto s = modelSuggestion(x, y, pending, design, rng, keys)) return s;
    return randomSuggestion(rng, keys);
}

std::optional<Suggestion>
BayesianOracle::randomSuggestion(std::mt19937_64 &rng, const std::set<std::string> &keys) const {
    for (int attempt = 0; attempt < 200; ++attempt) {
        Assignment a = m_space.sample(rng);
        if (m_spec.allowDuplicates || !keys.count(m_space.key(a))) return Suggestion{std::move(a)};
    }
    return std::nullopt; // a small discrete space, every configuration tried
}

std::optional<Suggestion> BayesianOracle::modelSuggestion(const MatrixXd &x, const VectorXd &y,
                                                          const MatrixXd &pending, Index initial,
                                                          std::mt19937_64 &rng,
                                                          const std::set<std::string> &keys) const {
    const Index n = x.rows(), dims = m_dims;
    // Standardised here rather than only inside the GP, so the acquisition's values are in
    // units of the data's spread and the optimiser's tolerances mean the same at any scale.
    const double mean = y.mean();
    double sd = std::sqrt((y.array() - mean).square().mean());
    if (!(sd > 1e-12)) sd = 1;
    VectorXd ys = (y.array() - mean) / sd;
    // Skewed objectives (a loss spanning orders of magnitude) squeeze the values that matter
    // into a corner of the model's range; a power transform spreads them out again.
    powerTransform(ys);

    GaussianProcess gp(GpMean::Quadratic);
    GpFitOptions fit;
    fit.seed = rng();
    // The fit's cost is cubic in the points and linear in the starts and iterations: past a
    // few dozen points the likelihood is peaked enough for fewer of both, and past 100 a
    // random subset pins the hyperparameters down as well as all the points would.
    fit.randomStarts = n < 40 ? 2 : 1;
    fit.maxIterations = n < 80 ? 60 : 30;
    fit.maxFitPoints = 100;
    gp.fit(x, ys, fit);
    // Running trials join as fantasies, so the next worker looks elsewhere: the kriging
    // believer's (the model's mean there), lifted to the average observation (a constant liar)
    // where the mean is better. The believer alone keeps the mean where it was, and once the
    // model is sure of the optimum every worker would crowd into it a hair apart.
    VectorXd fantasy(0), unused;
    if (pending.rows() > 0) {
        gp.predict(pending, fantasy, unused);
        fantasy = fantasy.cwiseMax(ys.mean());
        gp.addObservations(pending, fantasy);
    }

    // The value to improve on: the model's mean at the observed points, not their values (the
    // plug-in incumbent). Where the fit puts part of the spread down to noise (the ripples of
    // a rugged function), the best value is partly luck, the mean around it lies above it, and
    // EI against the value itself vanishes everywhere: on Ackley-5 its largest (1e-7) sat in
    // the cube's far corners, and the search stayed there. With noise-free fits the two agree.
    VectorXd level, levelVariance;
    gp.predict(x, level, levelVariance);
    double best = level.minCoeff();
    if (fantasy.size() > 0) best = std::min(best, fantasy.minCoeff());
    // EI's weakness is to spend the rest of a budget on ever smaller gains around a local
    // optimum. After a run of trials without a meaningful gain it escapes for a while: it
    // looks outside the best point's basin, for improvement on the best found elsewhere (a
    // second incumbent), then returns to the whole space, the best point's basin included.
    const SearchPhase phase = searchPhase(y, initial);
    const Index anchor = phase.anchor;
    const VectorXd inverseL = gp.hyperparameters().lengthscales.cwiseInverse();
    bool explore = phase.escaping;
    auto inBasin = [&](const VectorXd &p) {
        return explore &&
               (p - x.row(anchor).transpose()).cwiseProduct(inverseL).norm() < kBasinRadius;
    };
    if (explore) {
        double outside = std::numeric_limits<double>::infinity();
        for (Index i = 0; i < n; ++i)
            if (!inBasin(x.row(i).transpose())) outside = std::min(outside, level[i]);
        for (Index i = 0; i < fantasy.size(); ++i)
            if (!inBasin(pending.row(i).transpose())) outside = std::min(outside, fantasy[i]);
        if (std::isfinite(outside))
            best = outside;
        else
            explore = false;
    }

    const bool ucb = m_spec.acquisition == "ucb";
    const double kappa = m_spec.kappa;
    // The acquisition to minimise: -EI, or the lower confidence bound. EI asks for no minimum
    // gain (xi = 0): any fixed margin is too coarse for the last digits of a precise optimum.
    auto acquisition = [&](double m, double v) {
        if (ucb) return lowerConfidenceBound(m, v, kappa);
        const AcquisitionValue a = expectedImprovement(m, v, best, 0.0);
        return AcquisitionValue{-a.value, -a.dMean, -a.dVariance};
    };

    // Candidates: uniform over the cube, and clouds around the best points seen (where EI's
    // narrow peaks are at the end of a search).
    const Index global = n < 120 ? 2000 : 1000;
    const Index bestCount = std::min<Index>(5, n), perBest = 100;
    MatrixXd candidates(global + bestCount * perBest, dims);
    for (Index i = 0; i < global; ++i)
        for (Index d = 0; d < dims; ++d)
            candidates(i, d) = unit(rng);
    std::vector<Index> order(static_cast<size_t>(n));
    for (Index i = 0; i < n; ++i)
        order[size_t(i)] = i;
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return ys[a] < ys[b]; });
    for (Index b = 0; b < bestCount; ++b)
        for (Index j = 0; j < perBest; ++j) {
            const double radius = j % 2 ? 0.02 : 0.1;
            for (Index d = 0; d < dims; ++d)
                candidates(global + b * perBest + j, d) =
                    std::clamp(x(order[size_t(b)], d) + radius * normal(rng), 0.0, 1.0);
        }
    VectorXd means, variances;
    gp.predict(candidates, means, variances);
    VectorXd scores(candidates.rows());
    for (Index i = 0; i < candidates.rows(); ++i)
        scores[i] = inBasin(candidates.row(i).transpose())
                        ? std::numeric_limits<double>::infinity()
                        : acquisition(means[i], variances[i]).value;
    std::vector<Index> ranked(static_cast<size_t>(candidates.rows()));
    for (Index i = 0; i < candidates.rows(); ++i)
        ranked[size_t(i)] = i;
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&](Index a, Index b) { return scores[a] < scores[b]; });

    // Local optimisation from the best distinct candidates. EI's values shrink as a search
    // narrows, so the objective is rescaled to make the optimiser's tolerance relative.
    const double top = scores[ranked.front()];
    const double scale = 1.0 / std::max(std::isfinite(top) ? std::abs(top) : 1.0, 1e-12);
    auto objective = [&](const VectorXd &at, VectorXd &gradient) {
        double m, v;
        VectorXd dm, dv;
        gp.predict(at, m, v, &dm, &dv);
        const AcquisitionValue a = acquisition(m, v);
        gradient = (a.dMean * dm + a.dVariance * dv) * scale;
        return a.value * scale;
    };
    const VectorXd lower = VectorXd::Zero(dims), upper = VectorXd::Ones(dims);
    const int starts = n < 120 ? 12 : 8;
    struct Result {
        VectorXd x;
        double value;
    };
    std::vector<Result> results;
    for (size_t i = 0; i < ranked.size() && int(results.size()) < starts; ++i) {
        if (!std::isfinite(scores[ranked[i]])) break;
        VectorXd at = candidates.row(ranked[i]).transpose();
        if (std::any_of(results.begin(), results.end(), [&](const Result &r) {
                return (r.x - at).lpNorm<Eigen::Infinity>() < 1e-3; // the same peak again
            }))
            continue;
        const double value = minimizeInBox(objective, at, lower, upper, 50, 1e-6);
        if (!inBasin(at)) results.push_back({at, value});
    }
    // Best first; a configuration already tried (or running) gives way to the next, and to
    // the candidates when every optimum decodes to one (small discrete spaces).
    std::stable_sort(results.begin(), results.end(),
                     [](const Result &a, const Result &b) { return a.value < b.value; });
    for (const Result &r : results)
        if (auto s = fresh(r.x, keys)) return s;
    for (Index i : ranked)
        if (auto s = fresh(candidates.row(i).transpose(), keys)) return s;
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
