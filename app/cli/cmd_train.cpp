// `trainscope train SPEC.json [--logdir DIR] [--set key=value]...`: one job, headless.
#include "app/cli/commands.h"
#include "app/cli/progress.h"

#include "core/run/jobrunner.h"

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace trainscope::cli {

int runTrain(const TrainOptions &options, std::ostream &out, std::ostream &err) {
    JobSpec spec;
    try {
        spec = JobSpec::fromFile(options.spec);
        spec.set(options.sets); // together: model.type=sequential needs model.layers too
    } catch (const SpecError &e) {
        err << "trainscope: " << e.what() << "\n";
        return BadInput;
    }
    ProgressPrinter progress(err, &err == &std::cerr && isatty(2));
    JobRunner runner(options.logdir, &progress);
    const TrainOutcome outcome = runner.wait(runner.submit(spec));
    if (outcome.state != JobState::Completed) {
        err << "trainscope: job '" << spec.name << "' " << jobStateName(outcome.state) << ": "
            << outcome.error << "\n  (log: " << outcome.runDir << "/trainscope.log)\n";
        return outcome.badInput ? BadInput : RuntimeFailure;
    }
    const EpochResult &last = outcome.epochs.back();
    char line[256];
    std::snprintf(line, sizeof line,
                  "%s accuracy %.4f after %zu epochs (best epoch %d); whole-run mean step %.2f "
                  "ms, %.0f samples/s\n",
                  last.validated ? "val" : "train (no validation examples)",
                  last.validated ? last.valAccuracy : last.trainAccuracy, outcome.epochs.size(),
                  outcome.bestEpoch, outcome.runMeanStepMs, outcome.samplesPerSecond);
    out << "run: " << outcome.runDir << "\n" << line;
    if (outcome.profile) {
        std::snprintf(line, sizeof line, "mean step %.2f ms over the %zu profiled steps; ",
                      outcome.profile->meanStepMs, outcome.profile->steps.size());
        out << "profile: " << line << inputVerdictName(outcome.profile->verdict) << " ("
            << outcome.profile->verdictText << "); details: trainscope profile " << outcome.runDir
            << "\n";
    }
    return Ok;
}

} // namespace trainscope::cli
