#include "core/tune/studystore.h"

#include "tests/support/teststudy.h"

#include <QtTest>

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace trainscope;
using namespace trainscope::test;

namespace {

// Version 1's tables, as the Trainscope before heartbeats wrote them.
const char *const kVersion1 = R"sql(
CREATE TABLE kv(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE trials(
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL
        CHECK (status IN ('RUNNING', 'COMPLETED', 'PRUNED', 'FAILED', 'INVALID')),
    params TEXT NOT NULL, score REAL, epochs INTEGER NOT NULL DEFAULT 0,
    continue_from INTEGER NOT NULL DEFAULT 0, bracket INTEGER NOT NULL DEFAULT -1,
    rung INTEGER NOT NULL DEFAULT -1, started_at REAL NOT NULL DEFAULT 0,
    finished_at REAL NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '',
    run_dir TEXT NOT NULL DEFAULT '', worker TEXT NOT NULL DEFAULT '');
CREATE INDEX trials_status ON trials(status);
CREATE TABLE trial_values(
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL CHECK (epoch >= 1), value REAL,
    PRIMARY KEY (trial_id, epoch)) WITHOUT ROWID;
PRAGMA application_id = 1414746948;
PRAGMA user_version = 1;
)sql";

// "heartbeat lost: W silent for N s" with N in [lo, hi].
bool staleErrorIs(const std::string &error, const std::string &worker, int lo, int hi) {
    const std::string head = "heartbeat lost: " + worker + " silent for ";
    if (error.rfind(head, 0) != 0 || error.size() < head.size() + 3) return false;
    const std::string rest = error.substr(head.size());
    if (rest.substr(rest.size() - 2) != " s") return false;
    const int n = std::stoi(rest.substr(0, rest.size() - 2));
    return n >= lo && n <= hi;
}

} // namespace

class TestStudyHeartbeat : public QObject {
    Q_OBJECT

private slots:
    void silentTrialsAreFailed_data() { addBackendRows(); }
    void silentTrialsAreFailed() {
        TRAINSCOPE_STUDY(s);
        StudyStore store(s->location, s->name);
        const double before = unixSeconds();
        const Trial alive = *store.createTrial(withParams({{"x", int64_t(1)}}));
        Trial silent;
        silent.worker = "elsewhere:7";
        silent.params = {{"x", int64_t(2)}};
        const int silentId =
            store.createTrial([&](const std::vector<Trial> &) { return std::optional(silent); })
                ->id;
        Trial done = *store.createTrial(withParams({{"x", int64_t(3)}}));
        QVERIFY(alive.heartbeatAt >= before - 5 && alive.heartbeatAt <= unixSeconds() + 5);
        QCOMPARE(store.trial(silentId)->heartbeatAt > 0, true);
        done.status = TrialStatus::Completed;
        done.score = 1;
        store.updateTrial(done);

        QVERIFY(store.failStale(30).empty()); // all fresh
        std::this_thread::sleep_for(std::chrono::milliseconds(1300));
        QVERIFY(store.heartbeat({alive.id}).empty());
        const double beat = store.trial(alive.id)->heartbeatAt;
        QVERIFY(beat > alive.heartbeatAt + 1.0);

        const auto failed = store.failStale(1.0);
        QCOMPARE(failed.size(), size_t(1));
        QCOMPARE(failed[0].id, silentId);
        QCOMPARE(failed[0].status, TrialStatus::Failed);
        QVERIFY2(staleErrorIs(failed[0].error, "elsewhere:7", 1, 3), failed[0].error.c_str());
        QVERIFY(failed[0].finishedAt > 0);
        QCOMPARE(store.trial(silentId)->status, TrialStatus::Failed);
        QCOMPARE(store.trial(silentId)->error, failed[0].error);
        QCOMPARE(store.trial(alive.id)->status, TrialStatus::Running);
        QCOMPARE(store.trial(done.id)->status, TrialStatus::Completed);
        // Failed once only, but handed out again while nobody has retried it (the worker that
        // failed it may have died before its retry).
        const auto again = store.failStale(1.0);
        QCOMPARE(again.size(), size_t(1));
        QCOMPARE(again[0].id, silentId);
        QCOMPARE(again[0].error, failed[0].error);
        QCOMPARE(again[0].finishedAt, failed[0].finishedAt);

        // Its worker, late, may not complete it: the retry will, and only the retry.
        Trial late = *store.trial(silentId);
        late.status = TrialStatus::Completed;
        late.score = 0.5;
        QCOMPARE(errorOf([&] { store.updateTrial(late); }),
                 store.path() + ": trial " + std::to_string(silentId) +
                     " was failed for a lost heartbeat (a retry runs it again): its result is "
                     "not kept");
        QCOMPARE(store.trial(silentId)->status, TrialStatus::Failed);
        QVERIFY(!store.trial(silentId)->score);
        late.status = TrialStatus::Failed; // saying it failed is still allowed
        late.error = failed[0].error + "; then gave up";
        store.updateTrial(late);
        QCOMPARE(store.trial(silentId)->error, late.error);
        late.error = failed[0].error;
        store.updateTrial(late);

        // The heartbeat tells a worker which of its trials are no longer its to run.
        QCOMPARE(store.heartbeat({alive.id, silentId, done.id, 99}),
                 (std::vector<int>{silentId, done.id, 99}));
        QCOMPARE(store.trial(silentId)->status, TrialStatus::Failed);
        QVERIFY(store.heartbeat({}).empty());
        QVERIFY(store.retryTrial(again[0]));
        QVERIFY(store.failStale(1.0).empty()); // retried: not handed out any more
    }

    void aFailedTrialIsRetriedOnce_data() { addBackendRows(); }
    void aFailedTrialIsRetriedOnce() {
        TRAINSCOPE_STUDY(s);
        StudyStore store(s->location, s->name);
        Trial proposed;
        proposed.params = {{"lr", 0.25}, {"opt", std::string("sgd")}};
        proposed.epochs = 4;
        proposed.continueFrom = 0;
        proposed.bracket = 1;
        proposed.rung = 2;
        proposed.runDir = "trial-0001";
        Trial first =
            *store.createTrial([&](const std::vector<Trial> &) { return std::optional(proposed); });
        store.reportValue(first.id, 1, 0.5);
        const auto running = store.createTrial(withParams({}));
        QVERIFY(!store.retryTrial(first, "w:1")); // RUNNING: nothing to retry
        first.status = TrialStatus::Failed;
        first.error = "boom";
        store.updateTrial(first);

        const auto retry = store.retryTrial(first, "retrier:9");
        QVERIFY(retry);
        QCOMPARE(retry->id, running->id + 1);
        QCOMPARE(retry->status, TrialStatus::Running);
        QCOMPARE(retry->retriedFrom, first.id);
        QCOMPARE(retry->worker, std::string("retrier:9"));
        QVERIFY(retry->params == proposed.params);
        QCOMPARE(retry->epochs, 4);
        QCOMPARE(retry->bracket, 1);
        QCOMPARE(retry->rung, 2);
        QVERIFY(retry->values.empty()); // a fresh run
        QVERIFY(retry->runDir.empty()); // the caller names its run
        QVERIFY(retry->heartbeatAt > 0);
        const Trial stored = *store.trial(retry->id);
        QCOMPARE(stored.retriedFrom, first.id);
        QCOMPARE(stored.status, TrialStatus::Running);
        QVERIFY(stored.params == proposed.params);
        QCOMPARE(store.trial(first.id)->retriedFrom, 0);

        QVERIFY(!store.retryTrial(first, "another:1")); // only one retry of a trial
        QVERIFY(!store.retryTrial(*store.trial(first.id)));
        Trial ghost;
        ghost.id = 77;
        QVERIFY(!store.retryTrial(ghost));
        QCOMPARE(store.trials().size(), size_t(3));
        // A retry may itself fail and be retried: a chain, one link at a time.
        Trial again = *retry;
        again.status = TrialStatus::Failed;
        store.updateTrial(again);
        const auto second = store.retryTrial(again);
        QVERIFY(second);
        QCOMPARE(second->retriedFrom, retry->id);
        QCOMPARE(second->worker, currentWorkerName());
    }

    // Processes race to retry one failed trial: exactly one wins.
    void oneProcessWinsARetry_data() { addBackendRows(); }
    void oneProcessWinsARetry() {
        TRAINSCOPE_STUDY(s);
        StudyStore store(s->location, s->name);
        Trial failed = *store.createTrial(withParams({{"slot", int64_t(1)}}));
        failed.status = TrialStatus::Failed;
        store.updateTrial(failed);
        int go[2];
        QCOMPARE(pipe(go), 0);
        std::vector<pid_t> children;
        for (int k = 0; k < 6; ++k) {
            const pid_t pid = fork();
            QVERIFY(pid >= 0);
            if (pid == 0) {
                close(go[1]);
                try {
                    StudyStore mine(s->location, s->name);
                    char c;
                    if (read(go[0], &c, 1) != 0) _exit(4); // waits for the close
                    _exit(mine.retryTrial(failed) ? 0 : 1);
                } catch (...) {
                    _exit(3);
                }
            }
            children.push_back(pid);
        }
        close(go[0]);
        std::this_thread::sleep_for(std::chrono::milliseconds(300)); // all connected
        close(go[1]);                                                // go
        int winners = 0, losers = 0;
        for (pid_t pid : children) {
            int status = 0;
            QCOMPARE(waitpid(pid, &status, 0), pid);
            QVERIFY(WIFEXITED(status));
            winners += WEXITSTATUS(status) == 0;
            losers += WEXITSTATUS(status) == 1;
        }
        QCOMPARE(winners, 1);
        QCOMPARE(losers, 5);
        const auto all = store.trials();
        QCOMPARE(all.size(), size_t(2));
        QCOMPARE(all[1].retriedFrom, failed.id);
        QCOMPARE(all[1].status, TrialStatus::Running);
    }

    // A study written before heartbeats is upgraded in place, its trials kept; one that was
    // RUNNING without a heartbeat counts from its start.
    void aVersion1StudyIsMigrated() {
        QTemporaryDir tmp;
        const std::string file = tmp.path().toStdString() + "/study.db";
        const double started = unixSeconds() - 100;
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(file.c_str(), &db), SQLITE_OK);
            QCOMPARE(sqlite3_exec(db, kVersion1, nullptr, nullptr, nullptr), SQLITE_OK);
            const std::string rows =
                "INSERT INTO kv VALUES ('spec', '{}');"
                "INSERT INTO trials(id, status, params, score, started_at, worker) VALUES "
                "(1, 'COMPLETED', '{\"lr\": 0.5}', 0.75, 1.0, 'old:1'),"
                "(2, 'RUNNING', '{\"lr\": 0.25}', NULL, " +
                std::to_string(started) + ", 'gone-host:5');" +
                "INSERT INTO trial_values VALUES (1, 1, 0.5), (1, 2, 0.75);";
            QCOMPARE(sqlite3_exec(db, rows.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
            sqlite3_close(db);
        }
        StudyStore store(tmp.path().toStdString());
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(file.c_str(), &db), SQLITE_OK);
            sqlite3_stmt *st = nullptr;
            QCOMPARE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr), SQLITE_OK);
            QCOMPARE(sqlite3_step(st), SQLITE_ROW);
            QCOMPARE(sqlite3_column_int(st, 0), 2);
            sqlite3_finalize(st);
            sqlite3_close(db);
        }
        const auto all = store.trials();
        QCOMPARE(all.size(), size_t(2));
        QCOMPARE(all[0].status, TrialStatus::Completed);
        QCOMPARE(all[0].values, (std::vector<double>{0.5, 0.75}));
        QCOMPARE(*all[0].score, 0.75);
        QCOMPARE(all[1].heartbeatAt, 0.0);
        QCOMPARE(all[1].retriedFrom, 0);
        QCOMPARE(store.value("spec").value_or(""), std::string("{}"));

        const auto failed = store.failStale(50);
        QCOMPARE(failed.size(), size_t(1));
        QCOMPARE(failed[0].id, 2);
        QVERIFY2(staleErrorIs(failed[0].error, "gone-host:5", 99, 110), failed[0].error.c_str());
        const auto retry = store.retryTrial(failed[0]);
        QVERIFY(retry);
        QCOMPARE(retry->id, 3);
        QCOMPARE(store.trial(3)->retriedFrom, 2);
        QCOMPARE(std::get<double>(store.trial(3)->params.at("lr")), 0.25);
        QCOMPARE(store.createTrial(withParams({}))->id, 4);
        { StudyStore reopened(tmp.path().toStdString()); } // already version 2: opens as is
        QCOMPARE(StudyStore(tmp.path().toStdString()).trials().size(), size_t(4));
    }
};

QTEST_GUILESS_MAIN(TestStudyHeartbeat)
#include "tst_studyheartbeat.moc"
