// Sweeps end to end: training-job trials, command trials, failures, pruning, and a sweep
// killed with SIGKILL then resumed (through the real binary).
#include "core/events/logdirindex.h"
#include "core/run/sweeprunner.h"
#include "core/tune/results.h"
#include "core/tune/studystore.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace trainscope;

namespace {

std::string write(const QTemporaryDir &dir, const char *name, const std::string &text) {
    const std::string path = dir.filePath(name).toStdString();
    std::ofstream(path) << text;
    return path;
}

int countStatus(const std::vector<Trial> &trials, TrialStatus status) {
    return int(std::count_if(trials.begin(), trials.end(),
                             [&](const Trial &t) { return t.status == status; }));
}

struct Recorder : Observer {
    std::mutex m;
    int finished = 0;
    std::map<int, int> finishedBySweep;
    std::map<int, std::string> ended; // sweep id -> reason
    void onTrial(int sweepId, const Trial &t) override {
        std::lock_guard<std::mutex> l(m);
        finished += t.status != TrialStatus::Running;
        finishedBySweep[sweepId] += t.status != TrialStatus::Running;
    }
    void onSweepEnd(int sweepId, const std::string &reason) override {
        std::lock_guard<std::mutex> l(m);
        ended[sweepId] = reason;
    }
};

} // namespace

class TestSweep : public QObject {
    Q_OBJECT
private slots:
    // An emptied study beside old trial runs: no new sweep is numbered into them.
    void trialRunsWithoutTheirStudyAreNotOverwritten() {
        QTemporaryDir dir;
        const SweepSpec spec = SweepSpec::fromJson(R"({
            "name": "gone", "command": "true",
            "objective": {"metric": "score", "direction": "max"},
            "space": [{"name": "x", "type": "float", "min": 0, "max": 1}],
            "max_trials": 1})");
        const std::string sweepDir = dir.filePath("sweep").toStdString();
        std::filesystem::create_directories(sweepDir + "/trial-0001");
        std::ofstream(sweepDir + "/study.db"); // 0 bytes
        for (bool resume : {false, true}) {
            SweepOptions options;
            options.resume = resume;
            try {
                runSweep(spec, sweepDir, options, nullptr);
                QFAIL("expected a refusal");
            } catch (const std::runtime_error &e) {
                QVERIFY2(std::string(e.what()).find(sweepDir + "/study.db holds no sweep, yet " +
                                                    sweepDir + "/trial-0001") == 0,
                         e.what());
            }
        }
        QVERIFY(!std::filesystem::exists(sweepDir + "/sweep.json"));
    }
    void trainingJobTrials() {
        QTemporaryDir dir;
        const SweepSpec spec = SweepSpec::fromJson(R"({
            "name": "tiny",
            "job": {"dataset": {"name": "synthetic", "limit": 600},
                    "model": {"hidden": [16]}, "training": {"epochs": 2, "batch_size": 50},
                    "profile": {"enabled": false}},
            "objective": {"metric": "val/accuracy", "direction": "max"},
            "space": [
                {"name": "optimizer.learning_rate", "type": "float", "min": 0.0001, "max": 0.01,
                 "sampling": "log"},
                {"name": "model.hidden", "type": "int", "min": 8, "max": 32, "step": 8}],
            "oracle": {"type": "random", "seed": 3},
            "max_trials": 3, "workers": 2})");
        Recorder rec;
        const std::string sweepDir = dir.filePath("sweep").toStdString();
        const SweepOutcome out = runSweep(spec, sweepDir, {}, &rec);
        QCOMPARE(out.trials, 3);
        QCOMPARE(out.completed, 3);
        QCOMPARE(out.stopReason, std::string("max_trials reached"));
        QVERIFY(out.best && out.best->score && *out.best->score > 0.1);
        QCOMPARE(rec.finished, 3);
        const std::vector<Trial> trials = StudyStore(sweepDir).trials();
        for (const Trial &t : trials) {
            QCOMPARE(t.values.size(), size_t(2)); // one objective value per epoch
            QVERIFY(std::filesystem::exists(t.runDir + "/checkpoints/last.pt"));
            QVERIFY(t.params.count("optimizer.learning_rate") && t.params.count("model.hidden"));
        }
        QVERIFY(std::filesystem::exists(sweepDir + "/sweep.json"));
        // TensorBoard's HParams view, as its backend lists session groups: the experiment
        // declares each parameter's type and domain, and every session's value is of that
        // type and in that domain (numbers as numbers).
        LogdirIndex index(sweepDir);
        index.refresh();
        const RunData *root = index.run(".");
        QVERIFY(root && root->hparams);
        const auto &domains = root->hparams->domains;
        QCOMPARE(domains.size(), size_t(2));
        for (const auto &[name, domain] : domains) {
            QCOMPARE(domain.type, HParamDomain::Type::Float64);
            QVERIFY(domain.isInterval);
        }
        QCOMPARE(domains.at("model.hidden").min, 8.0);
        QCOMPARE(domains.at("optimizer.learning_rate").max, 0.01);
        int sessions = 0;
        for (const auto &[name, run] : index.runs()) {
            if (name == "." || !run.hparams || run.hparams->values.empty()) continue;
            ++sessions;
            for (const auto &[param, domain] : domains) {
                const double *v = std::get_if<double>(&run.hparams->values.at(param));
                QVERIFY2(v, (name + ": " + param + " is not a number").c_str());
                QVERIFY(*v >= domain.min && *v <= domain.max);
            }
        }
        QCOMPARE(sessions, 3);
        // The same directory again without --resume is refused, naming it.
        try {
            runSweep(spec, sweepDir, {});
            QFAIL("a second sweep over the first");
        } catch (const std::runtime_error &e) {
            QVERIFY(std::string(e.what()).find("--resume") != std::string::npos);
        }
        QVERIFY(resultsSummary(trials, spec.objective)
                    .find("Trial " + std::to_string(out.best->id) + " summary") !=
                std::string::npos);
    }

    void commandTrialsFailuresAndTheirLimit() {
        QTemporaryDir dir;
        // x < 0 fails; otherwise the objective is printed.
        const SweepSpec spec = SweepSpec::fromJson(R"({
            "command": "if [ {x} -lt 0 ]; then echo boom >&2; exit 3; fi; echo objective={x}",
            "objective": {"metric": "score", "direction": "min"},
            "space": [{"name": "x", "type": "choice", "values": [4, -1, 2, 7]}],
            "oracle": {"type": "grid"},
            "max_trials": 10, "max_consecutive_failed_trials": 3})");
        const std::string sweepDir = dir.filePath("cmd").toStdString();
        const SweepOutcome out = runSweep(spec, sweepDir, {});
        QCOMPARE(out.trials, 4); // the grid is exhausted
        QCOMPARE(out.completed, 3);
        QCOMPARE(out.failed, 1);
        QVERIFY(out.best && *out.best->score == 2.0);
        const std::vector<Trial> trials = StudyStore(sweepDir).trials();
        QCOMPARE(trials[1].status, TrialStatus::Failed);
        QVERIFY2(trials[1].error.find("exit status 3: boom") != std::string::npos,
                 trials[1].error.c_str());

        const SweepSpec failing = SweepSpec::fromJson(R"({
            "command": "exit 1", "objective": {"metric": "score", "direction": "max"},
            "space": [{"name": "x", "type": "int", "min": 0, "max": 100}],
            "max_trials": 10, "max_consecutive_failed_trials": 3})");
        const SweepOutcome stopped = runSweep(failing, dir.filePath("fail").toStdString(), {});
        QCOMPARE(stopped.trials, 3);
        QVERIFY(stopped.stopReason.find("3 consecutive trials failed") != std::string::npos);
    }

    void sweepRunnerRunsSweepsOnTheirOwnThreads() {
        QTemporaryDir dir;
        const SweepSpec quick = SweepSpec::fromJson(R"({
            "command": "echo objective={x}", "objective": {"metric": "score", "direction": "max"},
            "space": [{"name": "x", "type": "choice", "values": [1, 2, 3]}],
            "oracle": {"type": "grid"}, "max_trials": 3})");
        const SweepSpec slow = SweepSpec::fromJson(R"({
            "command": "sleep 5; echo objective={x}", "objective": {"metric": "score", "direction": "max"},
            "space": [{"name": "x", "type": "int", "min": 0, "max": 9}], "max_trials": 4})");
        Recorder rec;
        SweepRunner runner(&rec);
        const int a = runner.submit(quick, dir.filePath("a").toStdString());
        const int b = runner.submit(slow, dir.filePath("b").toStdString());
        QCOMPARE(a, 1);
        QCOMPARE(b, 2);
        QCOMPARE(runner.dir(b), dir.filePath("b").toStdString());
        const SweepOutcome done = runner.wait(a);
        QCOMPARE(done.completed, 3);
        QVERIFY(runner.running(b));
        runner.cancel(b);
        const SweepOutcome cancelled = runner.wait(b);
        QVERIFY(!runner.running(b));
        QCOMPARE(cancelled.completed, 0);
        QVERIFY2(cancelled.stopReason.find("cancelled") == 0, cancelled.stopReason.c_str());
        std::lock_guard<std::mutex> l(rec.m);
        QCOMPARE(rec.finishedBySweep[a], 3);
        QCOMPARE(rec.finishedBySweep[b], 0);
        QCOMPARE(done.stopReason, std::string("max_trials reached"));
        QCOMPARE(rec.ended[a], done.stopReason);
        QCOMPARE(rec.ended[b], cancelled.stopReason);
    }

    void killedThenResumedKeepsEveryFinishedTrial() {
        QTemporaryDir dir;
        const std::string sweep = write(dir, "sweep.json", R"({
            "name": "slow", "command": "sleep 0.3; echo objective={x}",
            "objective": {"metric": "score", "direction": "max"},
            "space": [{"name": "x", "type": "int", "min": 0, "max": 1000000}],
            "oracle": {"type": "random", "seed": 11}, "max_trials": 8, "workers": 2})");
        const QString sweepDir = dir.filePath("study");
        QProcess tune;
        tune.start(TRAINSCOPE_BINARY, {"tune", QString::fromStdString(sweep), "--dir", sweepDir});
        QVERIFY(tune.waitForStarted());
        // Wait until some trials finished, then kill -9 mid-sweep.
        std::vector<Trial> before;
        QTRY_VERIFY_WITH_TIMEOUT((QFile::exists(sweepDir + "/study.db") &&
                                  countStatus(before = StudyStore(sweepDir.toStdString()).trials(),
                                              TrialStatus::Completed) >= 3),
                                 20000);
        ::kill(pid_t(tune.processId()), SIGKILL);
        tune.waitForFinished();
        before = StudyStore(sweepDir.toStdString()).trials();
        QVERIFY(countStatus(before, TrialStatus::Running) >= 1 || before.size() < 8);

        QProcess resume;
        resume.start(TRAINSCOPE_BINARY, {"tune", "--resume", sweepDir}); // DIR alone will do
        QVERIFY(resume.waitForFinished(60000));
        QCOMPARE(resume.exitCode(), 0);
        const std::vector<Trial> after = StudyStore(sweepDir.toStdString()).trials();
        QCOMPARE(after.size(), size_t(8)); // the count it would have had
        QCOMPARE(countStatus(after, TrialStatus::Completed), 8);
        for (const Trial &t : before) // finished trials kept as they were, not run again
            if (t.status == TrialStatus::Completed) {
                QCOMPARE(after[size_t(t.id - 1)].score, t.score);
                QCOMPARE(after[size_t(t.id - 1)].finishedAt, t.finishedAt);
            }
        std::set<std::string> params;
        for (const Trial &t : after)
            params.insert(paramText(t.params.at("x")));
        QCOMPARE(params.size(), size_t(8)); // no configuration twice
    }

    void badSweepsNameTheParameter() {
        auto error = [](const std::string &json) {
            try {
                SweepSpec::fromJson(json);
            } catch (const SpecError &e) {
                return std::string(e.what());
            }
            return std::string("accepted");
        };
        const std::string job = R"("job": {"dataset": {"name": "synthetic"}}, )";
        QVERIFY(error("{" + job + R"("space": [{"name": "model.nonsense", "type": "int",
            "min": 1, "max": 2}]})")
                    .rfind("space.model.nonsense", 0) == 0);
        QVERIFY(error("{" + job + R"("space": [{"name": "model.dropout", "type": "float",
            "min": 0.6, "max": 0.5}]})")
                    .rfind("space.model.dropout", 0) == 0);
        QVERIFY(error("{" + job + R"("space": [{"name": "optimizer.type", "type": "choice",
            "values": []}]})")
                    .rfind("space.optimizer.type", 0) == 0);
        QVERIFY(error("{" + job + R"("space": [{"name": "optimizer.learning_rate",
            "type": "float", "min": 0, "max": 1, "sampling": "log"}]})")
                    .rfind("space.optimizer.learning_rate", 0) == 0);
    }
};

QTEST_APPLESS_MAIN(TestSweep)
#include "tst_sweeprunner.moc"
