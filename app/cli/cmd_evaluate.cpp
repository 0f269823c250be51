// `trainscope evaluate RUN --data DIR [--json]`: a run's best checkpoint on a held-out folder.
#include "app/cli/commands.h"

#include "core/jobs/specerror.h"
#include "core/train/evaluation.h"

#include <ostream>

namespace trainscope::cli {

int runEvaluate(const EvaluateOptions &options, std::ostream &out, std::ostream &err) {
    Evaluation e;
    try {
        e = evaluateRun(options.run, options.data);
    } catch (const SpecError &error) {
        err << "trainscope: " << error.what() << "\n";
        return BadInput;
    }
    out << (options.json ? evaluationJson(e) : evaluationText(e));
    return Ok;
}

} // namespace trainscope::cli
