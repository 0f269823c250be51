// The Fashion-MNIST sweep of the tuning issue: 20 Hyperband trials over learning rate (log),
// hidden size and dropout (resources/sweeps/fashion-hyperband.json), its wall time (target
// under 30 minutes on this 2-core machine) and its best validation accuracy beside the
// default configuration's (resources/jobs/fashion-mlp.json), trained in the same run.
// Prints figures; asserts only that the sweep and the job ran.
#include "core/run/sweeprunner.h"
#include "core/train/trainer.h"
#include "core/tune/results.h"
#include "core/tune/studystore.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace trainscope;

class BenchSweep : public QObject {
    Q_OBJECT
private slots:
    void hyperbandOnFashionMnist() {
        QTemporaryDir dir;
        const SweepSpec spec =
            SweepSpec::fromFile(TRAINSCOPE_RESOURCES "/sweeps/fashion-hyperband.json");
        QElapsedTimer timer;
        timer.start();
        const SweepOutcome out = runSweep(spec, dir.filePath("sweep").toStdString(), {});
        const double sweepSeconds = timer.nsecsElapsed() / 1e9;
        QCOMPARE(out.trials, spec.maxTrials);
        QVERIFY(out.best && out.best->score);

        JobSpec base = *spec.job;
        base.profile.enabled = false;
        const TrainOutcome def = runTraining(base, dir.filePath("default").toStdString());
        QCOMPARE(def.state, JobState::Completed);
        double defaultAccuracy = 0;
        for (const EpochResult &e : def.epochs)
            defaultAccuracy = std::max(defaultAccuracy, e.valAccuracy);

        std::string params;
        for (const auto &[name, value] : out.best->params)
            params += (params.empty() ? "" : ", ") + name + "=" + paramText(value);
        std::printf("Fashion-MNIST Hyperband sweep, %d trials (%d completed, %d pruned, %d "
                    "failed), 2 workers: %.0f s (target < 1800 s)\n",
                    out.trials, out.completed, out.pruned, out.failed, sweepSeconds);
        std::printf("  best trial %d: val accuracy %.4f (%s); default configuration %.4f: "
                    "%+.2f points (target > 0)\n",
                    out.best->id, *out.best->score, params.c_str(), defaultAccuracy,
                    100 * (*out.best->score - defaultAccuracy));
    }
};

QTEST_APPLESS_MAIN(BenchSweep)
#include "bench_sweep.moc"
