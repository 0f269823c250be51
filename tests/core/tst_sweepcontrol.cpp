// Steering sweeps and keeping command trials in hand: pause, resume, stop and cancel one trial;
// trial_timeout_s and SIGINT stop a command's whole process group; a killed sweep's orphans never
// run beside their retry; strict objective lines; a resume may raise max_trials.
#include "core/run/sweeprunner.h"
#include "core/tune/studystore.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unistd.h>

using namespace trainscope;

namespace {

SweepSpec commandSweep(const std::string &command, const std::string &extra = "") {
    return SweepSpec::fromJson(R"({"name": "s", "command": )" + nlohmann::json(command).dump() +
                               R"(, "objective": {"metric": "score", "direction": "max"},
        "space": [{"name": "x", "type": "int", "min": 0, "max": 1000000}],
        "oracle": {"type": "random", "seed": 3})" +
                               (extra.empty() ? "" : ", " + extra) + "}");
}

struct Watcher : Observer {
    std::mutex m;
    std::map<int, Trial> trials; // the latest of each
    void onTrial(int, const Trial &t) override {
        std::lock_guard<std::mutex> l(m);
        trials[t.id] = t;
    }
    std::optional<Trial> trial(int id) {
        std::lock_guard<std::mutex> l(m);
        const auto it = trials.find(id);
        return it == trials.end() ? std::nullopt : std::optional<Trial>(it->second);
    }
    int count() {
        std::lock_guard<std::mutex> l(m);
        return int(trials.size());
    }
};

bool alive(pid_t pid) {
    // A zombie is as good as gone: it runs nothing.
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    const size_t close = text.rfind(')');
    return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

pid_t readPid(const std::string &path) {
    std::ifstream in(path);
    long pid = 0;
    in >> pid;
    return pid_t(pid);
}

// A command that leaves a background grandchild (its pid in DIR/orphan.pid) and waits for it;
// run again in the same trial directory (a retry), it prints its objective at once.
const char *kLeavesAGrandchild =
    "if [ -e $TRAINSCOPE_TRIAL_LOGDIR/first ]; then echo objective={x}; exit 0; fi; "
    "touch $TRAINSCOPE_TRIAL_LOGDIR/first; sleep 60 & echo $! > "
    "$TRAINSCOPE_TRIAL_LOGDIR/orphan.pid; "
    "wait";

} // namespace

class TestSweepControl : public QObject {
    Q_OBJECT
private slots:
    void timeoutStopsTheWholeProcessGroup() {
        QTemporaryDir dir;
        const SweepSpec spec = commandSweep(kLeavesAGrandchild, R"("max_trials": 1,
            "trial_timeout_s": 0.5, "max_consecutive_failed_trials": 5)");
        QElapsedTimer timer;
        timer.start();
        const SweepOutcome out = runSweep(spec, dir.filePath("s").toStdString(), {});
        QVERIFY2(timer.elapsed() < 10000, "the timeout did not stop the trial");
        QCOMPARE(out.failed, 1);
        const Trial t = StudyStore(dir.filePath("s").toStdString()).trials().at(0);
        QCOMPARE(t.status, TrialStatus::Failed);
        QVERIFY2(t.error.find("timed out after 0.5 s (trial_timeout_s)") != std::string::npos,
                 t.error.c_str());
        const pid_t grandchild = readPid(t.runDir + "/orphan.pid");
        QVERIFY(grandchild > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!alive(grandchild), 5000); // its group went with it
    }

    void strictObjectiveLines() {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"echo objective=1.5x", "stdout line 1 `objective=1.5x`: not a number"},
            {"echo objective=nan", "stdout line 1 `objective=nan`: the objective is NaN"},
            {"echo objective=", "stdout line 1 `objective=`: not a number"},
            {"echo objective=' 2'", "stdout line 1 `objective= 2`: not a number"},
            {"echo objective=1e999", "stdout line 1 `objective=1e999`: the objective is out"},
            {"echo x; echo objective=7; echo objective=oops", "stdout line 3 `objective=oops`"}};
        for (const auto &[command, error] : cases) {
            QTemporaryDir dir;
            const SweepOutcome out = runSweep(commandSweep(command + " #{x}", R"("max_trials": 1)"),
                                              dir.filePath("s").toStdString(), {});
            const Trial t = StudyStore(dir.filePath("s").toStdString()).trials().at(0);
            QCOMPARE(t.status, TrialStatus::Failed);
            QVERIFY2(t.error.find(error) == 0, (command + " -> " + t.error).c_str());
            QCOMPARE(out.failed, 1);
        }
        QTemporaryDir dir;
        runSweep(commandSweep("echo objective=2.5 ; true {x}", R"("max_trials": 1)"),
                 dir.filePath("s").toStdString(), {});
        const Trial t = StudyStore(dir.filePath("s").toStdString()).trials().at(0);
        QCOMPARE(t.status, TrialStatus::Completed);
        QCOMPARE(*t.score, 2.5);
    }

    void pauseHoldsNewTrialsAndResumeGoesOn() {
        QTemporaryDir dir;
        Watcher watcher;
        SweepRunner runner(&watcher);
        const int id = runner.submit(
            commandSweep("sleep 0.3; echo objective={x}", R"("max_trials": 4, "workers": 1)"),
            dir.filePath("s").toStdString());
        runner.pause(id);
        QVERIFY(runner.paused(id));
        QTest::qWait(1500); // at most the trial already started runs on
        QVERIFY2(watcher.count() <= 1, std::to_string(watcher.count()).c_str());
        QVERIFY(runner.running(id));
        runner.resume(id);
        QVERIFY(!runner.paused(id));
        const SweepOutcome out = runner.wait(id);
        QCOMPARE(out.completed, 4);
        QCOMPARE(out.stopReason, std::string("max_trials reached"));
    }

    void cancellingOneTrialLeavesTheSweepRunning() {
        QTemporaryDir dir;
        Watcher watcher;
        SweepRunner runner(&watcher);
        // One failure would stop the sweep: a cancelled trial must not count as one.
        const int id = runner.submit(
            commandSweep("sleep 30; echo objective={x}",
                         R"("max_trials": 2, "workers": 1, "max_consecutive_failed_trials": 1)"),
            dir.filePath("s").toStdString());
        QTRY_VERIFY_WITH_TIMEOUT(watcher.trial(1).has_value(), 10000);
        QElapsedTimer timer;
        timer.start();
        runner.cancelTrial(id, 1);
        QTRY_VERIFY_WITH_TIMEOUT(watcher.trial(2).has_value(), 10000);
        QVERIFY2(timer.elapsed() < 5000, "the cancelled trial ran on");
        QCOMPARE(watcher.trial(1)->status, TrialStatus::Failed);
        QCOMPARE(watcher.trial(1)->error, std::string("cancelled"));
        QCOMPARE(watcher.trial(2)->status, TrialStatus::Running);
        runner.cancel(id);
        const SweepOutcome out = runner.wait(id);
        QVERIFY2(out.stopReason.find("cancelled") == 0, out.stopReason.c_str());
        const std::vector<Trial> trials = StudyStore(dir.filePath("s").toStdString()).trials();
        QCOMPARE(trials.size(), size_t(2));
        QCOMPARE(trials[0].status, TrialStatus::Failed);
        QCOMPARE(trials[1].status, TrialStatus::Running); // stopped: left to --resume
        QCOMPARE(trials[1].worker, std::string());
    }

    void resumeMayRaiseMaxTrialsAndNothingElse() {
        QTemporaryDir dir;
        const std::string d = dir.filePath("s").toStdString();
        QCOMPARE(
            runSweep(commandSweep("echo objective={x}", R"("max_trials": 2)"), d, {}).completed, 2);
        SweepOptions resume;
        resume.resume = true;
        const SweepOutcome more =
            runSweep(commandSweep("echo objective={x}", R"("max_trials": 5)"), d, resume);
        QCOMPARE(more.completed, 5);
        QCOMPARE(StudyStore(d).trials().size(), size_t(5));
        std::ifstream sweepJson(d + "/sweep.json");
        QVERIFY(nlohmann::json::parse(sweepJson)["max_trials"] == 5);
        QVERIFY_THROWS_EXCEPTION(
            SweepInputError,
            runSweep(commandSweep("echo objective={x} # changed", R"("max_trials": 6)"), d,
                     resume));
        QVERIFY_THROWS_EXCEPTION(SweepInputError,
                                 runSweep(commandSweep("echo objective={x}"), d, {}));
    }

    // A worker on another machine took a trial and fell silent: after the grace, a live
    // worker fails it and runs the retry in its place; the budget counts the retry, not both.
    void aSilentWorkersTrialIsFailedAndRetried() {
        QTemporaryDir dir;
        const std::string d = dir.filePath("s").toStdString();
        const SweepSpec spec = commandSweep("echo objective={x}", R"("max_trials": 3)");
        std::filesystem::create_directories(d);
        {
            StudyStore store(d);
            store.setValue("spec", spec.toJson());
            store.createTrial([](const std::vector<Trial> &) {
                Trial t;
                t.params = {{"x", int64_t(42)}};
                t.worker = "elsewhere:1";
                return std::optional<Trial>(t);
            });
        }
        QTest::qWait(700);
        SweepOptions options;
        options.resume = true;
        options.heartbeatGraceSeconds = 0.5;
        const SweepOutcome out = runSweep(spec, d, options);
        const std::vector<Trial> trials = StudyStore(d).trials();
        QCOMPARE(trials.size(), size_t(4)); // three configurations, one of them tried twice
        QCOMPARE(trials[0].status, TrialStatus::Failed);
        QVERIFY2(trials[0].error.rfind("heartbeat lost: elsewhere:1", 0) == 0,
                 trials[0].error.c_str());
        QCOMPARE(trials[1].retriedFrom, 1);
        QCOMPARE(trials[1].params.at("x"), ParamValue(int64_t(42)));
        QCOMPARE(trials[1].status, TrialStatus::Completed);
        QCOMPARE(*trials[1].score, 42.0);
        QCOMPARE(out.completed, 3);
        QCOMPARE(out.stopReason, std::string("max_trials reached"));
    }

    // Three `tune` workers on one PostgreSQL study: one is killed with SIGKILL, then the
    // server restarts, mid-sweep. The others reach the budget; the dead worker's trial is failed
    // for its silence and retried; no configuration completes twice; every finished trial stays.
    void workersOnPostgresSurviveAKilledWorkerAndAServerRestart() {
        const QString uri = qEnvironmentVariable("TRAINSCOPE_TEST_POSTGRES");
        const QString data = qEnvironmentVariable("TRAINSCOPE_TEST_POSTGRES_DATA");
        if (uri.isEmpty() || data.isEmpty())
            QSKIP("TRAINSCOPE_TEST_POSTGRES(_DATA) unset: `make test` starts a server");
        QTemporaryDir dir;
        const std::string sweep = dir.filePath("sweep.json").toStdString();
        const int budget = 40;
        std::ofstream(sweep) << commandSweep("sleep 0.3; echo objective={x}",
                                             R"("max_trials": )" + std::to_string(budget))
                                    .toJson();
        const std::string study = "faults-" + std::to_string(getpid());
        std::vector<std::unique_ptr<QProcess>> workers;
        for (int w = 0; w < 3; ++w) {
            workers.push_back(std::make_unique<QProcess>());
            workers.back()->start(TRAINSCOPE_BINARY,
                                  {"tune", QString::fromStdString(sweep), "--dir",
                                   dir.filePath("w" + QString::number(w)), "--storage", uri,
                                   "--study", QString::fromStdString(study), "--resume",
                                   "--heartbeat-grace", "2"});
            QVERIFY(workers.back()->waitForStarted());
        }
        auto completed = [&] {
            int n = 0;
            for (const Trial &t : StudyStore(uri.toStdString(), study).trials())
                n += t.status == TrialStatus::Completed;
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(completed() >= 6, 30000);
        const std::string killed = ":" + std::to_string(workers[0]->processId());
        ::kill(pid_t(workers[0]->processId()), SIGKILL);
        QVERIFY(workers[0]->waitForFinished());
        const std::vector<Trial> atKill = StudyStore(uri.toStdString(), study).trials();
        QProcess restart;
        restart.start(TRAINSCOPE_PGCLUSTER, {"restart", data});
        QVERIFY(restart.waitForFinished(60000));
        QCOMPARE(restart.exitCode(), 0);
        for (int w = 1; w < 3; ++w) {
            QVERIFY(workers[size_t(w)]->waitForFinished(120000));
            QVERIFY2(workers[size_t(w)]->exitCode() == 0,
                     workers[size_t(w)]->readAllStandardError().constData());
        }
        const std::vector<Trial> after = StudyStore(uri.toStdString(), study).trials();
        std::set<std::string> done;
        int retries = 0;
        for (const Trial &t : after) {
            if (t.status == TrialStatus::Completed)
                QVERIFY2(done.insert(paramText(t.params.at("x"))).second, "completed twice");
            retries += t.retriedFrom > 0;
            QVERIFY(t.status != TrialStatus::Running);
        }
        QCOMPARE(int(done.size()), budget);
        QCOMPARE(int(after.size()), budget + retries);
        int orphaned = 0; // trials the killed worker was running
        for (const Trial &t : atKill) {
            const auto it = std::find_if(after.begin(), after.end(),
                                         [&](const Trial &a) { return a.id == t.id; });
            QVERIFY(it != after.end());
            const Trial &now = *it;
            if (t.status == TrialStatus::Completed) QCOMPARE(now.score, t.score); // kept
            const bool ranThere =
                t.worker.size() > killed.size() &&
                t.worker.compare(t.worker.size() - killed.size(), killed.size(), killed) == 0;
            if (t.status == TrialStatus::Running && ranThere) {
                ++orphaned;
                QVERIFY2(
                    now.error.rfind("heartbeat lost", 0) == 0,
                    (std::to_string(now.id) + " " + trialStatusName(now.status) + ": " + now.error)
                        .c_str());
                QVERIFY(std::any_of(after.begin(), after.end(),
                                    [&](const Trial &r) { return r.retriedFrom == t.id; }));
            }
        }
        // One worker thread: it was running one trial, unless killed between two.
        QVERIFY(orphaned <= 1);
        QCOMPARE(retries, orphaned);
    }

    // The real binary: SIGINT stops the children with their groups and leaves their trials to
    // --resume; kill -9 leaves orphans, which the resume kills before it retries.
    void sigintStopsChildrenAndLeavesTrialsResumable() {
        QTemporaryDir dir;
        const std::string sweep = dir.filePath("sweep.json").toStdString();
        std::ofstream(sweep) << commandSweep(kLeavesAGrandchild, R"("max_trials": 2,
            "workers": 2)")
                                    .toJson();
        const QString sweepDir = dir.filePath("study");
        QProcess tune;
        tune.start(TRAINSCOPE_BINARY, {"tune", QString::fromStdString(sweep), "--dir", sweepDir});
        QVERIFY(tune.waitForStarted());
        const std::string d = sweepDir.toStdString();
        QTRY_VERIFY_WITH_TIMEOUT(readPid(d + "/trial-0001/orphan.pid") > 0 &&
                                     readPid(d + "/trial-0002/orphan.pid") > 0,
                                 20000);
        const pid_t a = readPid(d + "/trial-0001/orphan.pid"),
                    b = readPid(d + "/trial-0002/orphan.pid");
        QElapsedTimer timer;
        timer.start();
        ::kill(pid_t(tune.processId()), SIGINT);
        QVERIFY(tune.waitForFinished(15000));
        QVERIFY2(timer.elapsed() < 8000, "SIGINT took too long");
        QCOMPARE(tune.exitCode(), 128 + SIGINT);
        QVERIFY2(tune.readAllStandardError().contains("stopped by SIGINT"), "no word of it");
        QTRY_VERIFY_WITH_TIMEOUT(!alive(a) && !alive(b), 5000);
        for (const Trial &t : StudyStore(d).trials()) {
            QCOMPARE(t.status, TrialStatus::Running);
            QCOMPARE(t.worker, std::string()); // resumable at once
        }
        QProcess resume;
        resume.start(TRAINSCOPE_BINARY, {"tune", "--resume", sweepDir});
        QVERIFY(resume.waitForFinished(30000));
        QCOMPARE(resume.exitCode(), 0);
        for (const Trial &t : StudyStore(d).trials())
            QCOMPARE(t.status, TrialStatus::Completed);
    }

    void orphansOfAKilledSweepNeverRunBesideTheirRetry() {
        QTemporaryDir dir;
        const std::string sweep = dir.filePath("sweep.json").toStdString();
        std::ofstream(sweep) << commandSweep(kLeavesAGrandchild, R"("max_trials": 1)").toJson();
        const QString sweepDir = dir.filePath("study");
        const std::string d = sweepDir.toStdString();
        QProcess tune;
        tune.start(TRAINSCOPE_BINARY, {"tune", QString::fromStdString(sweep), "--dir", sweepDir});
        QVERIFY(tune.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(readPid(d + "/trial-0001/orphan.pid") > 0, 20000);
        const pid_t orphan = readPid(d + "/trial-0001/orphan.pid");
        ::kill(pid_t(tune.processId()), SIGKILL);
        QVERIFY(tune.waitForFinished());
        QTest::qWait(200);
        QVERIFY2(alive(orphan), "the scenario needs an orphan left running");
        QProcess resume;
        resume.start(TRAINSCOPE_BINARY, {"tune", "--resume", sweepDir});
        QVERIFY(resume.waitForFinished(30000));
        QCOMPARE(resume.exitCode(), 0);
        QVERIFY(!alive(orphan));
        QCOMPARE(StudyStore(d).trials().at(0).status, TrialStatus::Completed);
    }
};

QTEST_GUILESS_MAIN(TestSweepControl)
#include "tst_sweepcontrol.moc"
