// The oracles behind makeOracle (private to core/tune).
#pragma once

#include "core/tune/oracle.h"

namespace trainscope {

std::unique_ptr<Oracle> makeRandomOracle(const OracleSpec &spec, const SearchSpace &space);
std::unique_ptr<Oracle> makeGridOracle(const OracleSpec &spec, const SearchSpace &space);
std::unique_ptr<Oracle> makeBayesianOracle(const OracleSpec &spec, const SearchSpace &space,
                                           const Objective &objective);
std::unique_ptr<Oracle> makeHyperbandOracle(const OracleSpec &spec, const SearchSpace &space,
                                            const Objective &objective);

} // namespace trainscope
