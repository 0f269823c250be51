// placeholder: being written
// TEMPORARY stub so that makeOracle links until the Hyperband oracle lands; the engineer
// writing this file replaces all of it.
#include "jobs/jobspec.h"
#include "tune/oracles.h"

namespace trainscope {

std::unique_ptr<Oracle> makeHyperbandOracle(const OracleSpec &, const SearchSpace &,
                                            const Objective &) {
    throw SpecError("oracle.type", "hyperband is not built yet");
}

} // namespace trainscope
