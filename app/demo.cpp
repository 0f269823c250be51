#include "app/demo.h"

#include "app/cli/cli.h"
#include "app/cli/progress.h"
#include "app/embeddedresources.h"
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

int runDemoHeadless(const QString &logdir, std::ostream &out, std::ostream &err) {
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
    char line[300];
    for (const TrainOutcome &o : outcomes) {
        std::snprintf(line, sizeof line, "%-28s mean step %6.2f ms, val accuracy %.4f, %s\n",
                      o.runDir.substr(o.runDir.find_last_of('/') + 1).c_str(), o.meanStepMs,
                      o.epochs.back().valAccuracy,
                      o.profile ? inputVerdictName(o.profile->verdict) : "not profiled");
        out << line;
    }
    std::snprintf(line, sizeof line, "the recommended fix made steps %.2fx faster\n",
                  outcomes[0].meanStepMs / outcomes[1].meanStepMs);
    out << line;
    if (outcomes[0].profile)
        for (const auto &r : outcomes[0].profile->recommendations)
            out << "  advice for the slow run: " << r << "\n";
    return cli::Ok;
}

} // namespace trainscope
