#include "app/demo.h"

#include "app/cli/cli.h"
#include "app/cli/progress.h"
#include "app/embeddedresources.h"
#include "core/profile/chrometrace.h"
#include "core/profile/profilediff.h"
#include "core/run/jobrunner.h"

#include <QFile>
#include <cstdio>
#include <ostream>

namespace trainscope {
namespace {

JobSpec embedded(const char *name) {
    registerResources();
    QFile f(QString(":/jobs/%1.json").arg(name));
    if (!f.open(QIODevice::ReadOnly)) throw SpecError(name, "embedded spec missing");
    return JobSpec::fromJson(f.readAll().toStdString());
}

} // namespace

JobSpec demoSlowSpec() {
    return embedded("demo-slow-input");
}
JobSpec demoFixedSpec() {
    return embedded("demo-fixed-input");
}
JobSpec defaultJobSpec() {
    return embedded("fashion-mlp");
}

int runDemoHeadless(const QString &logdir, std::ostream &out, std::ostream &err,
                    QStringList *traces) {
    cli::ProgressPrinter progress(err, false);
    JobRunner runner(logdir.toStdString(), &progress);
    TrainOutcome outcomes[2];
    const JobSpec specs[2] = {demoSlowSpec(), demoFixedSpec()};
    for (int i = 0; i < 2; ++i) {
        err << "trainscope: demo job " << i + 1 << " of 2: " << specs[i].name << "\n";
        outcomes[i] = runner.wait(runner.submit(specs[i]));
        if (outcomes[i].state != JobState::Completed) {
            err << "trainscope: demo job " << specs[i].name << " failed: " << outcomes[i].error
                << "\n";
            return cli::RuntimeFailure;
        }
    }
    // Every figure below comes from the two saved profiles, read back as `trainscope profile
    // diff` and the Profile tab read them: one definition of "mean step", the profile window's.
    ProfileFigures figures[2];
    for (int i = 0; i < 2; ++i) {
        const std::string trace = latestProfilePath(outcomes[i].runDir);
        if (trace.empty()) {
            err << "trainscope: demo job " << specs[i].name << " saved no profile\n";
            return cli::RuntimeFailure;
        }
        figures[i] = profileFigures(readChromeTrace(trace), specs[i].name);
        if (traces) traces->append(QString::fromStdString(trace));
    }
    char line[300];
    for (int i = 0; i < 2; ++i) {
        const ProfileSummary &p = figures[i].summary;
        std::snprintf(line, sizeof line,
                      "%-18s mean step %6.2f ms (%zu profiled steps), val accuracy %.4f, %s\n",
                      specs[i].name.c_str(), p.meanStepMs, p.steps.size(),
                      outcomes[i].epochs.back().valAccuracy, inputVerdictName(p.verdict));
        out << line;
    }
    const ProfileDiff diff = diffProfiles(figures[0], figures[1]);
    std::snprintf(line, sizeof line,
                  "the recommended fix made steps %.2fx faster (mean step of the profiled steps; "
                  "whole runs, the fixed run's first epoch filling its cache: %.2fx)\n",
                  diff.speedup(), outcomes[0].runMeanStepMs / outcomes[1].runMeanStepMs);
    out << line;
    for (const auto &r : figures[0].summary.recommendations)
        out << "  advice for the slow run: " << r << "\n";
    out << "\n" << profileDiffText(diff);
    return cli::Ok;
}

} // namespace trainscope
