// Faults on a PostgreSQL study shared by worker processes: a worker killed with SIGKILL, the
// server restarted, connections dropped. Every finished trial is kept, none completes twice,
// and the sweep reaches its budget.
#include "core/tune/studystore.h"

#include "tests/support/teststudy.h"

#include <QtTest>

#include <libpq-fe.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace trainscope;
using namespace trainscope::test;

namespace {

struct Outcome {
    int exitCode = -1; // -1: killed
    std::vector<int> finished;
    int notices = 0;
};

// What a worker of the sweep does: fail and retry stale trials, else take a new slot while
// the budget lasts (RUNNING, COMPLETED and unretried stale trials hold slots), else wait.
// Each trial takes 3 epochs of `epochMs`; the worker writes 'F' + id for each it finished,
// 'N' for each notice, and 'L' before a trial it never finishes when `hang` (to be killed).
[[noreturn]] void worker(const TestStudy &s, int budget, double grace, int epochMs, int fd,
                         bool hang) {
    const auto say = [fd](char what, int32_t id) {
        char buf[5] = {what};
        memcpy(buf + 1, &id, 4);
        if (write(fd, buf, 5) != 5) _exit(5);
    };
    try {
        StudyStore store(s.location, s.name, [&](const std::string &) { say('N', 0); });
        const auto run = [&](Trial t) {
            if (hang) {
                say('L', t.id);
                for (;;)
                    pause();
            }
            for (int e = 1; e <= 3; ++e) {
                std::this_thread::sleep_for(std::chrono::milliseconds(epochMs));
                if (!store.heartbeat({t.id}).empty()) return; // failed elsewhere: let go
                store.reportValue(t.id, e, std::get<int64_t>(t.params.at("slot")) + e);
            }
            t.status = TrialStatus::Completed;
            t.score = std::get<int64_t>(t.params.at("slot")) * 0.5;
            t.finishedAt = unixSeconds();
            try {
                store.updateTrial(t);
            } catch (const std::runtime_error &e) {
                // Silent too long (a loaded machine): failed and retried elsewhere; let go.
                if (std::string(e.what()).find("failed for a lost heartbeat") == std::string::npos)
                    throw;
                return;
            }
            say('F', t.id);
        };
        for (;;) {
            for (const Trial &stale : store.failStale(grace))
                if (auto retry = store.retryTrial(stale)) run(*retry);
            bool othersRunning = false;
            const auto next = store.createTrial([&](const std::vector<Trial> &history) {
                // A trial failed for silence holds its slot until its retry exists.
                std::set<int> retried;
                for (const Trial &t : history)
                    retried.insert(t.retriedFrom);
                int held = 0;
                for (const Trial &t : history) {
                    held += t.status == TrialStatus::Running ||
                            t.status == TrialStatus::Completed ||
                            (t.status == TrialStatus::Failed &&
                             t.error.rfind("heartbeat lost: ", 0) == 0 && !retried.count(t.id));
                    othersRunning = othersRunning || t.status == TrialStatus::Running;
                }
                if (held >= budget) return std::optional<Trial>();
                Trial t;
                t.params = {{"slot", int64_t(history.size() + 1)}}; // unique: ids are
                return std::optional<Trial>(t);
            });
            if (next) {
                run(*next);
            } else if (othersRunning) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            } else {
                _exit(0);
            }
        }
    } catch (const std::exception &e) {
        fprintf(stderr, "worker %d: %s\n", getpid(), e.what());
        _exit(3);
    }
}

struct Child {
    pid_t pid;
    int fd;
};

Child spawn(const TestStudy &s, int budget, double grace, int epochMs, bool hang) {
    int fds[2];
    if (pipe(fds) != 0) qFatal("pipe");
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        worker(s, budget, grace, epochMs, fds[1], hang);
    }
    close(fds[1]);
    return {pid, fds[0]};
}

Outcome reap(const Child &c) {
    Outcome o;
    int status = 0;
    waitpid(c.pid, &status, 0);
    o.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    char buf[5];
    while (read(c.fd, buf, 5) == 5) {
        int32_t id;
        memcpy(&id, buf + 1, 4);
        if (buf[0] == 'F') o.finished.push_back(id);
        if (buf[0] == 'N') ++o.notices;
    }
    close(c.fd);
    return o;
}

// Reads 5-byte messages until one of kind `what` comes: the trial it names.
int waitFor(const Child &c, char what) {
    char buf[5];
    while (read(c.fd, buf, 5) == 5) {
        if (buf[0] == what) {
            int32_t id;
            memcpy(&id, buf + 1, 4);
            return id;
        }
    }
    return -1;
}

// The sweep's books: budget completed, each slot once, each finished trial as it was left.
void checkBooks(const TestStudy &s, int budget, const std::vector<Outcome> &outcomes) {
    StudyStore store(s.location, s.name);
    const auto all = store.trials();
    std::map<int64_t, int> completedSlots;
    int completed = 0;
    for (size_t i = 0; i < all.size(); ++i) {
        const Trial &t = all[i];
        QCOMPARE(t.id, int(i) + 1); // ids unique and dense
        if (t.status != TrialStatus::Completed) continue;
        ++completed;
        const int64_t slot = std::get<int64_t>(t.params.at("slot"));
        ++completedSlots[slot];
        QCOMPARE(*t.score, slot * 0.5);
        QCOMPARE(t.values, (std::vector<double>{slot + 1.0, slot + 2.0, slot + 3.0}));
    }
    QCOMPARE(completed, budget);                  // 0 lost
    QCOMPARE(int(completedSlots.size()), budget); // 0 completed twice
    std::set<int> finished;
    for (const Outcome &o : outcomes)
        for (int id : o.finished) {
            QVERIFY2(finished.insert(id).second, "a trial was finished twice");
            QCOMPARE(all[size_t(id) - 1].status, TrialStatus::Completed);
        }
    QCOMPARE(int(finished.size()), budget);
}

// Drops every Trainscope connection of the server; returns how many.
int terminateBackends(const char *uri) {
    PGconn *c = PQconnectdb(uri);
    int n = -1;
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE application_name = 'trainscope'");
        if (PQresultStatus(r) == PGRES_TUPLES_OK) n = atoi(PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    PQfinish(c);
    return n;
}

std::string sql(const std::string &uri, const std::string &statement) {
    PGconn *c = PQconnectdb(uri.c_str());
    std::string out = "cannot connect";
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, statement.c_str());
        out = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) ? PQgetvalue(r, 0, 0)
              : PQresultStatus(r) == PGRES_COMMAND_OK              ? ""
                                                                   : PQresultErrorMessage(r);
        PQclear(r);
    }
    PQfinish(c);
    return out;
}

} // namespace

class TestPostgresStudy : public QObject {
    Q_OBJECT

private slots:
    void init() {
        if (!postgresUri()) QSKIP(kNoPostgres);
    }

    // Worker 0 takes a trial and hangs; it is killed. The others, finding it silent past the
    // grace period, fail it and one of them retries it.
    void aKilledWorkersTrialIsRetried() {
        const auto s = makeStudy("postgresql");
        const int budget = 120;
        { StudyStore created(s->location, s->name); }
        std::vector<Child> children;
        children.push_back(spawn(*s, budget, 2.5, 2, true));
        for (int k = 0; k < 3; ++k)
            children.push_back(spawn(*s, budget, 2.5, 2, false));
        const int lost = waitFor(children[0], 'L');
        QVERIFY(lost > 0);
        QCOMPARE(kill(children[0].pid, SIGKILL), 0);
        std::vector<Outcome> outcomes;
        for (const Child &c : children)
            outcomes.push_back(reap(c));
        QCOMPARE(outcomes[0].exitCode, -1);
        for (size_t k = 1; k < outcomes.size(); ++k)
            QCOMPARE(outcomes[k].exitCode, 0);
        checkBooks(*s, budget, outcomes);

        StudyStore store(s->location, s->name);
        const auto all = store.trials();
        const Trial &dead = all[size_t(lost) - 1];
        QCOMPARE(dead.status, TrialStatus::Failed);
        const std::string victim = currentWorkerName().substr(0, currentWorkerName().rfind(':')) +
                                   ":" + std::to_string(children[0].pid);
        QVERIFY2(dead.error.rfind("heartbeat lost: " + victim + " silent for ", 0) == 0,
                 dead.error.c_str());
        // Only the dead worker's trial is expected to fail, but a live one silent past the
        // grace (a loaded machine) may too: each failed trial is retried exactly once.
        std::map<int, int> retriesOf;
        int failed = 0;
        for (const Trial &t : all) {
            if (t.status == TrialStatus::Failed) {
                ++failed;
                QVERIFY2(t.error.rfind("heartbeat lost: ", 0) == 0, t.error.c_str());
            }
            if (t.retriedFrom > 0) {
                ++retriesOf[t.retriedFrom];
                QVERIFY(t.params == all[size_t(t.retriedFrom) - 1].params);
            }
        }
        for (const Trial &t : all)
            if (t.status == TrialStatus::Failed) QCOMPARE(retriesOf[t.id], 1);
        QCOMPARE(int(retriesOf.size()), failed);
        QVERIFY(retriesOf.count(lost));
        QCOMPARE(all[size_t(lost) - 1].status, TrialStatus::Failed);
        QCOMPARE(int(all.size()), budget + failed); // the budget and those that died
        qInfo("%d trial(s) failed for a lost heartbeat and retried", failed);
    }

    // The server restarts mid-sweep: the workers wait, reconnect (saying so) and carry on;
    // no commit whose answer was lost is made twice.
    void theServerRestartsMidSweep() {
        const char *data = std::getenv("TRAINSCOPE_TEST_POSTGRES_DATA");
        if (!data) QSKIP("TRAINSCOPE_TEST_POSTGRES_DATA (the cluster's folder) is not set");
        const auto s = makeStudy("postgresql");
        const int budget = 160;
        { StudyStore created(s->location, s->name); }
        std::vector<Child> children;
        for (int k = 0; k < 4; ++k)
            children.push_back(spawn(*s, budget, 30, 3, false));
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
        const std::string restart =
            std::string("bash ") + TRAINSCOPE_PGCLUSTER + " restart " + data;
        QCOMPARE(std::system(restart.c_str()), 0);
        std::vector<Outcome> outcomes;
        int notices = 0;
        for (const Child &c : children) {
            outcomes.push_back(reap(c));
            QCOMPARE(outcomes.back().exitCode, 0);
            notices += outcomes.back().notices;
        }
        qInfo("%d notices of a lost connection across the workers", notices);
        QVERIFY(notices >= 1);
        checkBooks(*s, budget, outcomes);
        QCOMPARE(int(StudyStore(s->location, s->name).trials().size()), budget); // none twice
    }

    // pg_terminate_backend on every worker's connection, ten times over.
    void droppedConnectionsAreMadeAgain() {
        const auto s = makeStudy("postgresql");
        const int budget = 160;
        { StudyStore created(s->location, s->name); }
        std::vector<Child> children;
        for (int k = 0; k < 4; ++k)
            children.push_back(spawn(*s, budget, 30, 3, false));
        int dropped = 0;
        for (int i = 0; i < 10; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            dropped += std::max(0, terminateBackends(s->location.c_str()));
        }
        std::vector<Outcome> outcomes;
        for (const Child &c : children) {
            outcomes.push_back(reap(c));
            QCOMPARE(outcomes.back().exitCode, 0);
        }
        qInfo("%d connections dropped", dropped);
        QVERIFY(dropped >= 4);
        checkBooks(*s, budget, outcomes);
        QCOMPARE(int(StudyStore(s->location, s->name).trials().size()), budget);
    }

    // A database from a newer Trainscope, or one holding another program's trials table, is
    // refused, not misread. Each gets a database of its own.
    void foreignAndNewerDatabasesAreRefused() {
        const std::string base = postgresUri();
        const std::string name = "ts_" + std::to_string(getpid());
        const auto uriOf = [&](const std::string &db) { return base + "&dbname=" + db; };
        for (const char *suffix : {"_newer", "_foreign"})
            QCOMPARE(sql(base, "CREATE DATABASE " + name + suffix), std::string());
        StudyStore(uriOf(name + "_newer"), "s").setValue("k", "v");
        QCOMPARE(sql(uriOf(name + "_newer"), "UPDATE trainscope_schema SET version = 99"),
                 std::string());
        const std::string e1 = errorOf([&] { StudyStore st(uriOf(name + "_newer"), "s"); });
        QVERIFY2(e1.find(uriOf(name + "_newer") + ": written by a newer Trainscope") == 0,
                 e1.c_str());
        QCOMPARE(sql(uriOf(name + "_foreign"), "CREATE TABLE trials(x int)"), std::string());
        const std::string e2 = errorOf([&] { StudyStore st(uriOf(name + "_foreign"), "s"); });
        QVERIFY2(e2.find("not a Trainscope database") != std::string::npos, e2.c_str());
        for (const char *suffix : {"_newer", "_foreign"})
            sql(base, "DROP DATABASE " + name + suffix);
        qInfo("%s", e1.c_str());
        qInfo("%s", e2.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPostgresStudy)
#include "tst_postgresstudy.moc"
