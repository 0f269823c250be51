#include "core/tune/oracle.h"

#include "core/jobs/specfields.h"
#include "core/tune/oracles.h"

#include <cmath>

namespace trainscope {

void validateOracleSpec(const OracleSpec &spec, const SearchSpace &space) {
    checkChoice("oracle.type", spec.type, {"random", "grid", "bayesian", "hyperband"});
    if (spec.type == "bayesian") {
        checkAtLeast("oracle.initial_points", spec.initialPoints, 0);
        checkChoice("oracle.acquisition", spec.acquisition, {"ei", "ucb"});
        if (!std::isfinite(spec.kappa)) throw SpecError("oracle.kappa", "must be a number >= 0");
        checkAtLeast("oracle.kappa", spec.kappa, 0);
    }
    if (spec.type == "hyperband") {
        checkAtLeast("oracle.max_epochs", spec.maxEpochs, 1);
        checkAtLeast("oracle.factor", spec.factor, 2);
        checkAtLeast("oracle.iterations", spec.iterations, 1);
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
