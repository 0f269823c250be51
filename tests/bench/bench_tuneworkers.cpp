// Command sweeps as a user runs them: `trainscope tune` processes from a cold start, each
// trial a real command. First one worker x 200 trials, whose per-trial overhead is set beside
// the same 200 commands started and waited for by a bare posix_spawn loop (the baseline, in this
// run; target <= 10 ms a trial). Then 4 worker processes x 200 trials on one SQLite study and on
// one PostgreSQL study (TRAINSCOPE_TEST_POSTGRES, set by `make test`): lost (budget - completed),
// duplicated (a configuration completed twice) and bookkeeping trials/s (target >= 50, 0 lost,
// 0 duplicated). Prints figures; asserts only that the sweeps ran.
#include "core/tune/studystore.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <fcntl.h>
#include <fstream>
#include <set>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

using namespace trainscope;

namespace {

constexpr int kTrialsPerWorker = 200, kWorkers = 4;

std::string sweepJson(int maxTrials) {
    return R"({"name": "bench", "command": "echo objective={x}",
        "objective": {"metric": "score", "direction": "max"},
        "space": [{"name": "x", "type": "float", "min": 0, "max": 1}],
        "oracle": {"type": "random", "seed": 5}, "max_trials": )" +
           std::to_string(maxTrials) + R"(, "max_consecutive_failed_trials": 1000})";
}

// The bare cost of the trials' commands: `sh`-free echo, started and waited for in a loop.
double spawnLoopSeconds(int n) {
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < n; ++i) {
        char echo[] = "echo", arg[] = "objective=0.5";
        char *argv[] = {echo, arg, nullptr};
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        pid_t pid = 0;
        if (posix_spawnp(&pid, "echo", &actions, nullptr, argv, environ) == 0)
            waitpid(pid, nullptr, 0);
        posix_spawn_file_actions_destroy(&actions);
    }
    return timer.nsecsElapsed() / 1e9;
}

struct Result {
    double seconds = 0;
    int completed = 0, duplicated = 0, failed = 0, exitFailures = 0;
};

// `workers` tune processes started together on one study; waits for all.
Result runWorkers(const QString &sweep, const QString &dir, const QString &storage, int workers,
                  int budget) {
    QElapsedTimer timer;
    timer.start();
    std::vector<std::unique_ptr<QProcess>> procs;
    for (int w = 0; w < workers; ++w) {
        QStringList args{"tune", sweep, "--dir", dir + "/w" + QString::number(w), "--resume"};
        if (!storage.isEmpty())
            args << "--storage" << storage;
        else
            args[3] = dir; // one SQLite study, shared in one directory
        procs.push_back(std::make_unique<QProcess>());
        procs.back()->setStandardErrorFile(QProcess::nullDevice());
        procs.back()->setStandardOutputFile(QProcess::nullDevice());
        procs.back()->start(TRAINSCOPE_BINARY, args);
    }
    Result r;
    for (auto &p : procs) {
        p->waitForFinished(600000);
        r.exitFailures += p->exitCode() != 0;
    }
    r.seconds = timer.nsecsElapsed() / 1e9;
    const std::vector<Trial> trials = storage.isEmpty()
                                          ? StudyStore(dir.toStdString()).trials()
                                          : StudyStore(storage.toStdString(), "bench").trials();
    std::set<std::string> seen;
    for (const Trial &t : trials) {
        if (t.status == TrialStatus::Completed) {
            ++r.completed;
            if (!seen.insert(paramText(t.params.at("x"))).second) ++r.duplicated;
        }
        r.failed += t.status == TrialStatus::Failed;
    }
    (void)budget;
    return r;
}

void report(const char *what, const Result &r, int budget, double startup) {
    const double bookkeeping = r.completed / std::max(1e-9, r.seconds - startup);
    const bool met = bookkeeping >= 50 && r.completed == budget && r.duplicated == 0;
    std::printf("  %-34s %6.2f s  %4d completed  %d lost  %d duplicated  %d failed  %6.0f trials/s "
                "(after the %.2f s start)  target >= 50 trials/s, 0 lost, 0 duplicated: %s\n",
                what, r.seconds, r.completed, budget - r.completed, r.duplicated, r.failed,
                bookkeeping, startup, met ? "met" : "NOT met");
}

} // namespace

class BenchTuneWorkers : public QObject {
    Q_OBJECT
private slots:
    void commandSweeps() {
        QTemporaryDir dir;
        const QString one = dir.filePath("one.json"), many = dir.filePath("many.json");
        std::ofstream(one.toStdString()) << sweepJson(1);
        std::ofstream(many.toStdString()) << sweepJson(kWorkers * kTrialsPerWorker);
        const QString single = dir.filePath("single.json");
        std::ofstream(single.toStdString()) << sweepJson(kTrialsPerWorker);

        // A one-trial sweep: the cold start of `trainscope tune` (the hand-off to
        // trainscope-full, which loads Qt and LibTorch) and the study's creation.
        const Result start = runWorkers(one, dir.filePath("start"), {}, 1, 1);
        const Result seq = runWorkers(single, dir.filePath("seq"), {}, 1, kTrialsPerWorker);
        const double spawn = spawnLoopSeconds(kTrialsPerWorker);
        const double overheadMs =
            (seq.seconds - start.seconds - spawn) / (kTrialsPerWorker - 1) * 1000;
        std::printf("\nCommand sweep, 1 worker x %d trials of `echo objective={x}`: %.2f s (start "
                    "%.2f s); the same commands in a posix_spawn loop: %.3f s\n",
                    kTrialsPerWorker, seq.seconds, start.seconds, spawn);
        std::printf("  per-trial overhead beyond the command: %.2f ms (target <= 10 ms: %s)\n",
                    overheadMs, overheadMs <= 10 ? "met" : "NOT met");
        QCOMPARE(seq.completed, kTrialsPerWorker);

        const int budget = kWorkers * kTrialsPerWorker;
        std::printf("%d worker processes x %d trials on one study:\n", kWorkers, kTrialsPerWorker);
        const Result sqlite = runWorkers(many, dir.filePath("sqlite"), {}, kWorkers, budget);
        report("SQLite (one machine)", sqlite, budget, start.seconds);
        QVERIFY(sqlite.completed > 0);
        const QString postgres = qEnvironmentVariable("TRAINSCOPE_TEST_POSTGRES");
        if (postgres.isEmpty()) {
            std::printf("  PostgreSQL: not measured (TRAINSCOPE_TEST_POSTGRES unset; `make test` "
                        "sets it)\n");
            return;
        }
        const Result pg = runWorkers(many, dir.filePath("pg"), postgres, kWorkers, budget);
        report("PostgreSQL (workers anywhere)", pg, budget, start.seconds);
        QVERIFY(pg.completed > 0);
    }
};

QTEST_GUILESS_MAIN(BenchTuneWorkers)
#include "bench_tuneworkers.moc"
