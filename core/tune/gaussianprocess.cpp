#include "core/tune/gaussianprocess.h"

#include <LBFGSB.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

namespace trainscope {

namespace {

using Eigen::ArrayXXd;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

const double kSqrt5 = std::sqrt(5.0);
const double kLog2Pi = std::log(2 * M_PI);

// Factors `k` in place of `llt`, adding jitter to the diagonal until it is positive definite
// (nearly coinciding points make it singular in floating point). False when nothing helps.
bool choleskyWithJitter(Eigen::LLT<MatrixXd> &llt, MatrixXd &k) {
    llt.compute(k);
    if (llt.info() == Eigen::Success) return true;
    const double scale = std::max(k.diagonal().mean(), 1e-12);
    for (double jitter = 1e-10; jitter <= 1e-2; jitter *= 10) {
        k.diagonal().array() += jitter * scale;
        llt.compute(k);
        if (llt.info() == Eigen::Success) return true;
    }
    return false;
}

// -log marginal likelihood over the log-hyperparameters, with the per-dimension squared
// differences computed once, since L-BFGS evaluates it dozens of times per start.
class NegativeLogLikelihood {
public:
    // `concentration` and `rate`: a Gamma prior on each lengthscale (0: none, plain likelihood).
    NegativeLogLikelihood(const MatrixXd &x, const VectorXd &y, double concentration = 0,
                          double rate = 0)
        : m_y(y)
        , m_concentration(concentration)
        , m_rate(rate) {
        const Index n = x.rows();
        m_diff2.reserve(size_t(x.cols()));
        for (Index d = 0; d < x.cols(); ++d) {
            ArrayXXd diff =
                x.col(d).replicate(1, n).array() - x.col(d).transpose().replicate(n, 1).array();
            m_diff2.push_back(diff.square());
        }
    }

    double operator()(const VectorXd &theta, VectorXd &gradient) {
        gradient.setZero(theta.size());
        const Index n = m_y.size();
        const Index dims = Index(m_diff2.size());
        ArrayXXd r2 = ArrayXXd::Zero(n, n);
        VectorXd inverseL2(dims);
        for (Index d = 0; d < dims; ++d) {
            inverseL2[d] = std::exp(-2 * theta[d]);
            r2 += m_diff2[size_t(d)] * inverseL2[d];
        }
        const double signal = std::exp(theta[dims]);
        const double noise = std::exp(theta[dims + 1]);
        const ArrayXXd r = r2.sqrt();
        const ArrayXXd e = (-kSqrt5 * r).exp();
        const ArrayXXd matern = (1 + kSqrt5 * r + (5.0 / 3.0) * r2) * e;
        MatrixXd k = signal * matern.matrix();
        k.diagonal().array() += noise;
        if (!choleskyWithJitter(m_llt, k)) return std::numeric_limits<double>::infinity();

        const VectorXd alpha = m_llt.solve(m_y);
        const MatrixXd &l = m_llt.matrixLLT();
        const double logDet = 2 * l.diagonal().array().log().sum();
        const double lml = -0.5 * m_y.dot(alpha) - 0.5 * logDet - 0.5 * double(n) * kLog2Pi;

        // dLML/dtheta_j = 1/2 tr((alpha alpha^T - K^-1) dK/dtheta_j)
        MatrixXd w = -m_llt.solve(MatrixXd::Identity(n, n));
        w.noalias() += alpha * alpha.transpose();
        const ArrayXXd q = w.array() * (signal * (5.0 / 3.0) * (1 + kSqrt5 * r) * e);
        for (Index d = 0; d < dims; ++d)
            gradient[d] = 0.5 * (q * m_diff2[size_t(d)]).sum() * inverseL2[d];
        gradient[dims] = 0.5 * signal * (w.array() * matern).sum();
        gradient[dims + 1] = 0.5 * noise * w.trace();
        double logPrior = 0;
        if (m_rate > 0) {
            // log Gamma(l; a, b) + log |dl/dtheta| = a theta - b e^theta (+ const)
            for (Index d = 0; d < dims; ++d) {
                const double l = std::exp(theta[d]);
                logPrior += m_concentration * theta[d] - m_rate * l;
                gradient[d] += m_concentration - m_rate * l;
            }
        }
        gradient = -gradient;
        return -(lml + logPrior);
    }

private:
    VectorXd m_y;
    double m_concentration = 0, m_rate = 0;
    std::vector<ArrayXXd> m_diff2;
    Eigen::LLT<MatrixXd> m_llt;
};

VectorXd toLog(const GpHyperparameters &h) {
    const Index dims = h.lengthscales.size();
    VectorXd theta(dims + 2);
    theta.head(dims) = h.lengthscales.array().log();
    theta[dims] = std::log(h.signalVariance);
    theta[dims + 1] = std::log(h.noiseVariance);
    return theta;
}

GpHyperparameters fromLog(const VectorXd &theta) {
    const Index dims = theta.size() - 2;
    GpHyperparameters h;
    h.lengthscales = theta.head(dims).array().exp();
    h.signalVariance = std::exp(theta[dims]);
    h.noiseVariance = std::exp(theta[dims + 1]);
    return h;
}

// Scaled squared distances between the rows of `a` and `b` (already divided by lengthscales).
ArrayXXd squaredDistances(const MatrixXd &a, const VectorXd &aNorms, const MatrixXd &b,
                          const VectorXd &bNorms) {
    MatrixXd d = -2 * a * b.transpose();
    d.colwise() += aNorms;
    d.rowwise() += bNorms.transpose();
    return d.array().max(0.0);
}

ArrayXXd matern52(const ArrayXXd &r2) {
    const ArrayXXd r = r2.sqrt();
    return (1 + kSqrt5 * r + (5.0 / 3.0) * r2) * (-kSqrt5 * r).exp();
}

// Uniform in [0, 1), the same on every standard library (its distributions are not).
double unit(std::mt19937_64 &rng) {
    return double(rng() >> 11) * 0x1.0p-53;
}

double normalPdf(double z) {
    return std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI);
}

double normalCdf(double z) {
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

} // namespace

double minimizeInBox(const BoxObjective &f, VectorXd &x, const VectorXd &lower,
                     const VectorXd &upper, int maxIterations, double tolerance) {
    x = x.cwiseMax(lower).cwiseMin(upper);
    VectorXd best = x;
    double bestValue = std::numeric_limits<double>::infinity();
    // Remembers the best point evaluated, so that a line search that gives up loses nothing.
    auto tracked = [&](const VectorXd &at, VectorXd &gradient) {
        const double value = f(at, gradient);
        if (std::isfinite(value) && value < bestValue) {
            bestValue = value;
            best = at;
        }
        if (!std::isfinite(value) || !gradient.allFinite()) {
            gradient.setZero(at.size());
            return std::numeric_limits<double>::max();
        }
        return value;
    };
    LBFGSpp::LBFGSBParam<double> param;
    param.epsilon = tolerance;
    param.epsilon_rel = tolerance;
    param.max_iterations = std::max(1, maxIterations);
    param.max_linesearch = 20;
    param.delta = 1e-9;
    LBFGSpp::LBFGSBSolver<double> solver(param);
    VectorXd start = x;
    double value = 0;
    try {
        solver.minimize(tracked, start, value, lower, upper);
    } catch (const std::exception &) {
        // Line searches fail on flat or noisy surfaces; the best point so far stands.
    }
    x = best;
    return bestValue;
}

void GaussianProcess::fit(const MatrixXd &x, const VectorXd &y, const GpFitOptions &options) {
    const Index n = x.rows(), dims = x.cols();
    m_yMean = n > 0 ? y.mean() : 0.0;
    m_yStd = n > 1 ? std::sqrt((y.array() - m_yMean).square().sum() / double(n)) : 1.0;
    if (!(m_yStd > 1e-12)) m_yStd = 1;
    const VectorXd ys = (y.array() - m_yMean) / m_yStd;

    // The hyperparameters come from a seeded subset when the data are many: the likelihood of
    // a random subset has its optimum in the same place, at a fraction of the cubic cost.
    std::mt19937_64 rng(options.seed ^ 0x9e3779b97f4a7c15ULL);
    MatrixXd fitX = x;
    VectorXd fitY = ys;
    if (options.maxFitPoints > 0 && n > options.maxFitPoints) {
        std::vector<Index> order(static_cast<size_t>(n));
        std::iota(order.begin(), order.end(), Index(0));
        for (Index i = 0; i < options.maxFitPoints; ++i) {
            const Index pick = i + std::min(Index(unit(rng) * double(n - i)), n - i - 1);
            std::swap(order[size_t(i)], order[size_t(pick)]);
        }
        fitX.resize(options.maxFitPoints, dims);
        fitY.resize(options.maxFitPoints);
        for (Index i = 0; i < options.maxFitPoints; ++i) {
            fitX.row(i) = x.row(order[size_t(i)]);
            fitY[i] = ys[order[size_t(i)]];
        }
    }

    VectorXd lower(dims + 2), upper(dims + 2);
    lower.head(dims).setConstant(std::log(options.minLengthscale));
    upper.head(dims).setConstant(std::log(options.maxLengthscale));
    lower[dims] = std::log(options.minSignalVariance);
    upper[dims] = std::log(options.maxSignalVariance);
    lower[dims + 1] = std::log(options.minNoiseVariance);
    upper[dims + 1] = std::log(options.maxNoiseVariance);

    std::vector<VectorXd> starts;
    if (options.warmStart && options.warmStart->lengthscales.size() == dims)
        starts.push_back(toLog(*options.warmStart));
    GpHyperparameters initial;
    initial.lengthscales = VectorXd::Constant(dims, 0.5);
    initial.signalVariance = 1;
    initial.noiseVariance = 1e-4;
    starts.push_back(toLog(initial));
    for (int s = 0; s < options.randomStarts; ++s) {
        VectorXd theta(dims + 2);
        for (Index i = 0; i < dims + 2; ++i)
            theta[i] = lower[i] + unit(rng) * (upper[i] - lower[i]);
        theta[dims] = std::log(0.5 + 1.5 * unit(rng)); // the data are standardised
        starts.push_back(theta);
    }

    VectorXd best = starts.front().cwiseMax(lower).cwiseMin(upper);
    double bestValue = std::numeric_limits<double>::infinity();
    if (fitX.rows() > 0) {
        NegativeLogLikelihood objective(fitX, fitY, options.lengthscalePrior[0],
                                        options.lengthscalePrior[1]);
        for (VectorXd theta : starts) {
            const double value = minimizeInBox(std::ref(objective), theta, lower, upper,
                                               options.maxIterations, 1e-4);
            if (value < bestValue) {
                bestValue = value;
                best = theta;
            }
        }
    }
    m_h = fromLog(best);
    m_x = x;
    m_y = ys;
    factor(true);
}

void GaussianProcess::condition(const MatrixXd &x, const VectorXd &y,
                                const GpHyperparameters &hyperparameters) {
    const Index n = x.rows();
    m_yMean = n > 0 ? y.mean() : 0.0;
    m_yStd = n > 1 ? std::sqrt((y.array() - m_yMean).square().sum() / double(n)) : 1.0;
    if (!(m_yStd > 1e-12)) m_yStd = 1;
    m_h = hyperparameters;
    m_x = x;
    m_y = (y.array() - m_yMean) / m_yStd;
    factor(true);
}

void GaussianProcess::addObservations(const MatrixXd &x, const VectorXd &y) {
    if (x.rows() == 0) return;
    MatrixXd allX(m_x.rows() + x.rows(), x.cols());
    allX << m_x, x;
    VectorXd allY(m_y.size() + y.size());
    allY << m_y, (y.array() - m_yMean) / m_yStd;
    m_x = std::move(allX);
    m_y = std::move(allY);
    factor(false);
}

void GaussianProcess::factor(bool estimateMean) {
    const Index n = m_x.rows();
    m_xScaled = m_x * m_h.lengthscales.cwiseInverse().asDiagonal();
    m_xNorms = m_xScaled.rowwise().squaredNorm();
    MatrixXd k = m_h.signalVariance *
                 matern52(squaredDistances(m_xScaled, m_xNorms, m_xScaled, m_xNorms)).matrix();
    k.diagonal().array() += m_h.noiseVariance;
    if (!choleskyWithJitter(m_llt, k)) {
        // Degenerate data (e.g. one point repeated with different values): a heavy nugget
        // still gives usable means.
        k.diagonal().array() += 1e-1;
        m_llt.compute(k);
    }
    const VectorXd bowl = (m_x.array() - 0.5).square().rowwise().sum().matrix();
    if (estimateMean) {
        m_mean0 = m_mean2 = 0;
        const VectorXd ones = VectorXd::Ones(n);
        const VectorXd kOnes = m_llt.solve(ones);
        if (m_meanKind != GpMean::Zero && n > 0) m_mean0 = kOnes.dot(m_y) / kOnes.sum();
        // The bowl's coefficient needs points that differ in |x - 1/2| (one-hot and boolean
        // coordinates alone do not), else it is not identified.
        const double spread = n > 2 ? (bowl.array() - bowl.mean()).square().mean() : 0.0;
        if (m_meanKind == GpMean::Quadratic && spread > 1e-10) {
            MatrixXd h(n, 2);
            h << ones, bowl;
            const MatrixXd kh = m_llt.solve(h);
            const Eigen::Vector2d beta = (h.transpose() * kh).ldlt().solve(kh.transpose() * m_y);
            if (beta.allFinite()) {
                m_mean0 = beta[0];
                m_mean2 = beta[1];
            }
        }
    }
    m_alpha = m_llt.solve(m_y - (m_mean0 + m_mean2 * bowl.array()).matrix());
    const double logDet = 2 * m_llt.matrixLLT().diagonal().array().log().sum();
    m_logLikelihood = -0.5 * m_y.dot(m_llt.solve(m_y)) - 0.5 * logDet - 0.5 * double(n) * kLog2Pi;
}

void GaussianProcess::predict(const MatrixXd &x, VectorXd &mean, VectorXd &variance) const {
    const Index m = x.rows();
    if (empty()) {
        mean = VectorXd::Constant(m, m_yMean);
        variance = VectorXd::Constant(m, m_h.signalVariance * m_yStd * m_yStd);
        return;
    }
    const MatrixXd xs = x * m_h.lengthscales.cwiseInverse().asDiagonal();
    const VectorXd norms = xs.rowwise().squaredNorm();
    const MatrixXd kStar =
        m_h.signalVariance * matern52(squaredDistances(xs, norms, m_xScaled, m_xNorms)).matrix();
    const Eigen::ArrayXd prior = m_mean0 + m_mean2 * (x.array() - 0.5).square().rowwise().sum();
    mean = ((kStar * m_alpha).array() + prior) * m_yStd + m_yMean;
    const MatrixXd v = m_llt.matrixL().solve(kStar.transpose());
    variance = (m_h.signalVariance - v.colwise().squaredNorm().transpose().array()).max(0.0) *
               (m_yStd * m_yStd);
}

void GaussianProcess::predict(const VectorXd &x, double &mean, double &variance,
                              VectorXd *meanGradient, VectorXd *varianceGradient) const {
    const Index dims = x.size();
    if (empty()) {
        mean = m_yMean;
        variance = m_h.signalVariance * m_yStd * m_yStd;
        if (meanGradient) meanGradient->setZero(dims);
        if (varianceGradient) varianceGradient->setZero(dims);
        return;
    }
    const VectorXd inverseL = m_h.lengthscales.cwiseInverse();
    const VectorXd xs = x.cwiseProduct(inverseL);
    // Scaled differences x - x_i, one row per data point.
    const MatrixXd diff = (-m_xScaled).rowwise() + xs.transpose();
    const Eigen::ArrayXd r2 = diff.rowwise().squaredNorm().array();
    const Eigen::ArrayXd r = r2.sqrt();
    const Eigen::ArrayXd e = (-kSqrt5 * r).exp();
    const VectorXd k = (m_h.signalVariance * (1 + kSqrt5 * r + (5.0 / 3.0) * r2) * e).matrix();
    const VectorXd v = m_llt.matrixL().solve(k);
    const double prior = m_mean0 + m_mean2 * (x.array() - 0.5).square().sum();
    mean = (k.dot(m_alpha) + prior) * m_yStd + m_yMean;
    const double latent = m_h.signalVariance - v.squaredNorm();
    variance = std::max(latent, 0.0) * m_yStd * m_yStd;
    if (!meanGradient && !varianceGradient) return;

    // dk_i/dx = -s (5/3)(1 + sqrt5 r) e^{-sqrt5 r} (x - x_i) / l^2: no 1/r, smooth at the data.
    const VectorXd slope = (-m_h.signalVariance * (5.0 / 3.0) * (1 + kSqrt5 * r) * e).matrix();
    // J = d k / d x (n x dims) = diag(slope) * diff * diag(1/l) (diff is already divided once)
    if (meanGradient)
        *meanGradient = ((diff.transpose() * slope.cwiseProduct(m_alpha)).cwiseProduct(inverseL) +
                         2 * m_mean2 * (x.array() - 0.5).matrix()) *
                        m_yStd;
    if (varianceGradient) {
        const VectorXd w = m_llt.matrixU().solve(v); // K^-1 k
        if (latent <= 0)
            varianceGradient->setZero(dims);
        else
            *varianceGradient = -2 *
                                (diff.transpose() * slope.cwiseProduct(w)).cwiseProduct(inverseL) *
                                (m_yStd * m_yStd);
    }
}

double GaussianProcess::logMarginalLikelihood(const MatrixXd &x, const VectorXd &y,
                                              const VectorXd &logParams, VectorXd *gradient) {
    NegativeLogLikelihood objective(x, y);
    VectorXd g;
    const double value = objective(logParams, g);
    if (gradient) *gradient = -g;
    return -value;
}

AcquisitionValue expectedImprovement(double mean, double variance, double best, double xi) {
    AcquisitionValue a;
    const double improvement = best - mean - xi;
    if (!(variance > 1e-24)) {
        a.value = std::max(improvement, 0.0);
        a.dMean = improvement > 0 ? -1.0 : 0.0;
        return a;
    }
    const double sd = std::sqrt(variance);
    const double z = improvement / sd;
    const double cdf = normalCdf(z), pdf = normalPdf(z);
    a.value = std::max(improvement * cdf + sd * pdf, 0.0);
    a.dMean = -cdf;
    a.dVariance = pdf / (2 * sd); // dEI/dsd = pdf, dsd/dvariance = 1 / (2 sd)
    return a;
}

AcquisitionValue lowerConfidenceBound(double mean, double variance, double kappa) {
    AcquisitionValue a;
    const double sd = std::sqrt(std::max(variance, 0.0));
    a.value = mean - kappa * sd;
    a.dMean = 1;
    a.dVariance = sd > 1e-12 ? -kappa / (2 * sd) : 0.0;
    return a;
}

} // namespace trainscope
