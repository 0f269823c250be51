#include "tune/oracle.h"

#include "jobs/jobspec.h"
#include "tune/oracles.h"

#include <cmath>

namespace trainscope {

void validateOracleSpec(const OracleSpec &spec, const SearchSpace &space) {
    if (spec.type != "random" && spec.type != "grid" && spec.type != "bayesian" &&
        spec.type != "hyperband")
        throw SpecError("oracle.type", "expected one of random, grid, bayesian, hyperband");
    if (spec.type == "bayesian") {
        if (spec.initialPoints < 0) throw SpecError("oracle.initial_points", "must be >= 0");
        if (spec.acquisition != "ei" && spec.acquisition != "ucb")
            throw SpecError("oracle.acquisition", "expected one of ei, ucb");
        if (!std::isfinite(spec.kappa) || spec.kappa < 0)
            throw SpecError("oracle.kappa", "must be a number >= 0");
    }
    if (spec.type == "hyperband") {
        if (spec.maxEpochs < 1) throw SpecError("oracle.max_epochs", "must be >= 1");
        if (spec.factor < 2) throw SpecError("oracle.factor", "must be >= 2");
        if (spec.iterations < 1) throw SpecError("oracle.iterations", "must be >= 1");
    }
    if (spec.type == "grid") space.grid(); // names a continuous Float, or a grid too large
}

std::unique_ptr<Oracle> makeOracle(const OracleSpec &spec, const SearchSpace &space,
                                   const Objective &objective) {
    validateOracleSpec(spec, space);
    if (spec.type == "grid") return makeGridOracle(spec, space);
    if (spec.type == "bayesian") return makeBayesianOracle(spec, space, objective);
    if (spec.type == "hyperband") return makeHyperbandOracle(spec, space, objective);
    return makeRandomOracle(spec, space);
}

} // namespace trainscope
