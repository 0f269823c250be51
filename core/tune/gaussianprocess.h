// Gaussian-process regression for the Bayesian oracle: inputs in the unit cube, a Matern-5/2
// kernel with one lengthscale per dimension, standardised outputs, marginal-likelihood fitting.
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <optional>

namespace trainscope {

struct GpHyperparameters {
    Eigen::VectorXd lengthscales; // one per input dimension, in unit-cube units
    double signalVariance = 1;    // of the standardised outputs
    double noiseVariance = 1e-6;  // likewise
};

struct GpFitOptions {
    uint64_t seed = 0;      // the random starts and the fitting subset
    int randomStarts = 2;   // besides the default start and the warm start
    int maxIterations = 60; // L-BFGS-B iterations per start
    // > 0: fit the hyperparameters on a seeded subset of at most this many points (the cost is
    // cubic in it); the model still conditions on every point.
    int maxFitPoints = 0;
    std::optional<GpHyperparameters> warmStart; // e.g. the previous fit's optimum
    // Bounds of the hyperparameters (searched in log space). The noise floor keeps the
    // Cholesky factor well conditioned when points nearly coincide.
    double minLengthscale = 1e-2, maxLengthscale = 1e1;
    double minSignalVariance = 5e-2, maxSignalVariance = 2e1;
    double minNoiseVariance = 1e-6, maxNoiseVariance = 1;
    // A Gamma(concentration, rate) prior on each lengthscale, making the fit a MAP estimate:
    // without it, a dimension that looked flat in the first points gets the largest
    // lengthscale, the model stops looking along it, and the search stalls in a local optimum.
    // {0, 0}: none.
    double lengthscalePrior[2] = {3, 6};
};

// The prior mean, estimated from the data by generalised least squares (universal kriging).
// Quadratic, c0 + c1 |x - 1/2|^2: far from the data the model reverts to a bowl fitted to them
// rather than to a constant, so the corners of the cube, where the variance is highest, stop
// looking promising merely because nothing was tried there.
enum class GpMean { Zero, Constant, Quadratic };

class GaussianProcess {
public:
    explicit GaussianProcess(GpMean mean = GpMean::Quadratic)
        : m_meanKind(mean) {}

    // `x`: one row per point, coordinates in [0, 1]. Standardises `y`, fits the hyperparameters
    // by maximising the log marginal likelihood (L-BFGS-B from several starts, the analytic
    // gradient) and conditions on the data.
    void fit(const Eigen::MatrixXd &x, const Eigen::VectorXd &y, const GpFitOptions &options = {});
    // Conditions on the data with the given hyperparameters (no fitting).
    void condition(const Eigen::MatrixXd &x, const Eigen::VectorXd &y,
                   const GpHyperparameters &hyperparameters);
    // Adds points keeping the hyperparameters, the standardisation and the prior mean: the
    // kriging believer's fantasies for trials still running.
    void addObservations(const Eigen::MatrixXd &x, const Eigen::VectorXd &y);

    bool empty() const { return m_x.rows() == 0; }
    Eigen::Index size() const { return m_x.rows(); }
    Eigen::Index dimensions() const { return m_x.cols(); }
    const GpHyperparameters &hyperparameters() const { return m_h; }
    double logMarginalLikelihood() const { return m_logLikelihood; } // of the standardised data

    // Means and variances of the latent function (y's units) at the rows of `x`.
    void predict(const Eigen::MatrixXd &x, Eigen::VectorXd &mean, Eigen::VectorXd &variance) const;
    // At one point, with the gradients with respect to `x` when asked for.
    void predict(const Eigen::VectorXd &x, double &mean, double &variance,
                 Eigen::VectorXd *meanGradient = nullptr,
                 Eigen::VectorXd *varianceGradient = nullptr) const;

    // The log marginal likelihood of (already standardised) data at the log-hyperparameters
    // [log lengthscales..., log signal variance, log noise variance], with its gradient when
    // asked for; zero prior mean, no hyperparameter prior. -infinity when the kernel matrix
    // cannot be factored.
    static double logMarginalLikelihood(const Eigen::MatrixXd &x, const Eigen::VectorXd &y,
                                        const Eigen::VectorXd &logParams,
                                        Eigen::VectorXd *gradient = nullptr);

private:
    void factor(bool estimateMean);

    GpMean m_meanKind;
    Eigen::MatrixXd m_x;       // n x d
    Eigen::MatrixXd m_xScaled; // m_x divided by the lengthscales
    Eigen::VectorXd m_xNorms;  // squared row norms of m_xScaled
    Eigen::VectorXd m_y;       // standardised
    Eigen::VectorXd m_alpha;   // K^-1 (y - prior mean)
    Eigen::LLT<Eigen::MatrixXd> m_llt;
    GpHyperparameters m_h;
    double m_yMean = 0, m_yStd = 1;
    double m_mean0 = 0, m_mean2 = 0; // prior mean c0 + c2 |x - 1/2|^2 (standardised units)
    double m_logLikelihood = 0;
};

// An acquisition value with its derivatives with respect to the predicted mean and variance.
struct AcquisitionValue {
    double value = 0, dMean = 0, dVariance = 0;
};
// Expected improvement below `best` (minimisation), `xi` asking for at least that much.
AcquisitionValue expectedImprovement(double mean, double variance, double best, double xi = 0);
// The lower confidence bound mean - kappa * sd (minimisation: lower is more promising).
AcquisitionValue lowerConfidenceBound(double mean, double variance, double kappa);

// Minimises `f` (returning the value, writing the gradient) over the box [lower, upper] with
// L-BFGS-B starting from `x`. Leaves the best point seen in `x` and returns its value; a failed
// line search ends the run there rather than throwing.
using BoxObjective = std::function<double(const Eigen::VectorXd &x, Eigen::VectorXd &gradient)>;
double minimizeInBox(const BoxObjective &f, Eigen::VectorXd &x, const Eigen::VectorXd &lower,
                     const Eigen::VectorXd &upper, int maxIterations, double tolerance = 1e-5);

} // namespace trainscope
