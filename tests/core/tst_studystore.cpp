#include "core/tune/studystore.h"

#include "tests/support/teststudy.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace trainscope;
using namespace trainscope::test;

namespace {

std::string hostPart() {
    const std::string w = currentWorkerName();
    return w.substr(0, w.rfind(':'));
}

// Raw access for what the store must not offer: integrity checks, forging a newer schema.
std::string sqliteScalar(const std::string &path, const char *sql) {
    sqlite3 *db = nullptr;
    std::string out = "open failed";
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_stmt *s = nullptr;
        out = "prepare failed";
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK) {
            const int rc = sqlite3_step(s);
            out = rc == SQLITE_ROW && sqlite3_column_text(s, 0)
                      ? reinterpret_cast<const char *>(sqlite3_column_text(s, 0))
                      : (rc == SQLITE_DONE ? "" : sqlite3_errmsg(db));
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return out;
}

pid_t deadPid() {
    const pid_t pid = fork();
    if (pid == 0) _exit(0);
    int status = 0;
    waitpid(pid, &status, 0);
    return pid;
}

} // namespace

class TestStudyStore : public QObject {
    Q_OBJECT

private slots:
    void roundTripsEveryField_data() { addBackendRows(); }
    void roundTripsEveryField() {
        TRAINSCOPE_STUDY(s);
        // SQLite: a directory that does not exist yet is created.
        const std::string dir = s->postgres ? s->location : s->location + "/sweep/nested";
        Assignment params{{"units", int64_t(256)},
                          {"big", int64_t(9007199254740993)}, // 2^53 + 1: not a double
                          {"lr", 0.1},
                          {"one", 1.0}, // a double that looks like an integer
                          {"tiny", 1e-300},
                          {"inf", std::numeric_limits<double>::infinity()},
                          {"batchnorm", true},
                          {"off", false},
                          {"optimizer", std::string("adam \"quoted\" \xc3\xa9")},
                          {"empty", std::string()}};
        int id = 0;
        {
            StudyStore store(dir, s->name);
            QCOMPARE(store.studyName(), s->name);
            if (!s->postgres) {
                QCOMPARE(store.path(), dir + "/study.db");
                QVERIFY(QFile::exists(QString::fromStdString(store.path())));
            } else {
                QCOMPARE(store.path(), s->location + " study " + s->name);
            }
            Trial proposed;
            proposed.params = params;
            proposed.epochs = 9;
            proposed.continueFrom = 3;
            proposed.bracket = 2;
            proposed.rung = 1;
            proposed.startedAt = 1700000000.25;
            proposed.runDir = "trial-0001";
            proposed.worker = "elsewhere:42";
            const auto created =
                store.createTrial([&](const std::vector<Trial> &) { return proposed; });
            QVERIFY(created);
            id = created->id;
            QCOMPARE(id, 1);
            QCOMPARE(created->status, TrialStatus::Running);

            store.reportValue(id, 1, 0.5);
            store.reportValue(id, 2, 0.25);
            store.reportValue(id, 2, 0.75);         // a repeat replaces
            store.reportValue(id, 4, std::nan("")); // a diverged epoch after a gap

            Trial done = *created;
            done.status = TrialStatus::Completed;
            done.score = 0.75;
            done.finishedAt = 1700000100.5;
            done.error = "warning: \"x\"\nline two";
            store.updateTrial(done); // no values: the reported ones must stay

            // A second trial: no score, NaN score on a third.
            store.createTrial(withParams({}));
            const auto third = store.createTrial(withParams({{"x", int64_t(-3)}}));
            Trial nanScore = *third;
            nanScore.status = TrialStatus::Failed;
            nanScore.score = std::nan("");
            nanScore.values = {1.5, -2.5};
            store.updateTrial(nanScore);

            store.setValue("spec", "{\"a\": 1}");
            store.setValue("spec", "{\"a\": 2}");
        }
        StudyStore store(dir, s->name); // everything read back from the file or server
        const auto t = store.trial(id);
        QVERIFY(t);
        QCOMPARE(t->status, TrialStatus::Completed);
        QCOMPARE(t->params.size(), params.size());
        for (const auto &[name, value] : params) {
            QVERIFY2(t->params.count(name), name.c_str());
            QCOMPARE(t->params.at(name).index(), value.index()); // the type survives
            QVERIFY2(t->params.at(name) == value, name.c_str());
        }
        QVERIFY(std::holds_alternative<int64_t>(t->params.at("units")));
        QVERIFY(std::holds_alternative<double>(t->params.at("one")));
        QCOMPARE(t->values.size(), size_t(4));
        QCOMPARE(t->values[0], 0.5);
        QCOMPARE(t->values[1], 0.75);
        QVERIFY(std::isnan(t->values[2])); // the gap
        QVERIFY(std::isnan(t->values[3]));
        QVERIFY(t->score);
        QCOMPARE(*t->score, 0.75);
        QCOMPARE(t->epochs, 9);
        QCOMPARE(t->continueFrom, 3);
        QCOMPARE(t->bracket, 2);
        QCOMPARE(t->rung, 1);
        QCOMPARE(t->startedAt, 1700000000.25);
        QCOMPARE(t->finishedAt, 1700000100.5);
        QCOMPARE(t->error, std::string("warning: \"x\"\nline two"));
        QCOMPARE(t->runDir, std::string("trial-0001"));
        QCOMPARE(t->worker, std::string("elsewhere:42"));

        const auto second = store.trial(2);
        QVERIFY(second);
        QVERIFY(!second->score);
        QVERIFY(second->params.empty());
        QVERIFY(second->values.empty());
        QCOMPARE(second->worker, currentWorkerName()); // an unowned trial is this process's
        QVERIFY(second->startedAt > 1.6e9);
        const auto third = store.trial(3);
        QVERIFY(third->score && std::isnan(*third->score)); // NaN is not "no score"
        QCOMPARE(third->status, TrialStatus::Failed);
        QCOMPARE(third->values, (std::vector<double>{1.5, -2.5}));
        QVERIFY(!store.trial(4));

        QCOMPARE(store.value("spec").value_or(""), std::string("{\"a\": 2}"));
        QVERIFY(!store.value("missing"));
        const auto all = store.trials();
        QCOMPARE(all.size(), size_t(3));
        QCOMPARE(all[0].values.size(), size_t(4));
        QCOMPARE(all[0].values[1], 0.75);
        QCOMPARE(all[2].values, (std::vector<double>{1.5, -2.5}));
    }

    void createTrialHandsOutConsecutiveIds_data() { addBackendRows(); }
    void createTrialHandsOutConsecutiveIds() {
        TRAINSCOPE_STUDY(s);
        StudyStore store(s->location, s->name);
        std::vector<size_t> seen;
        for (int i = 0; i < 5; ++i) {
            const auto t = store.createTrial([&](const std::vector<Trial> &history) {
                seen.push_back(history.size());
                for (size_t k = 0; k < history.size(); ++k) {
                    if (history[k].id != int(k) + 1) throw std::logic_error("history order");
                    if (std::get<int64_t>(history[k].params.at("i")) != int64_t(k))
                        throw std::logic_error("history params");
                }
                Trial next;
                next.params = {{"i", int64_t(history.size())}};
                return std::optional<Trial>(next);
            });
            QCOMPARE(t->id, i + 1);
        }
        QCOMPARE(seen, (std::vector<size_t>{0, 1, 2, 3, 4}));

        // Nothing decided: nothing inserted, but what `decide` stored itself is kept.
        const auto none = store.createTrial([&](const std::vector<Trial> &history) {
            store.setValue("oracle", "waiting at " + std::to_string(history.size()));
            return std::optional<Trial>();
        });
        QVERIFY(!none);
        QCOMPARE(store.trials().size(), size_t(5));
        QCOMPARE(store.value("oracle").value_or(""), std::string("waiting at 5"));

        // The oracle's state is committed together with its trial.
        const auto withState = store.createTrial([&](const std::vector<Trial> &) {
            store.setValue("oracle", "after 6");
            Trial t;
            return std::optional<Trial>(t);
        });
        QCOMPARE(withState->id, 6);
        QCOMPARE(store.value("oracle").value_or(""), std::string("after 6"));

        // A throwing oracle rolls everything back, its own writes included.
        QCOMPARE(errorOf([&] {
                     store.createTrial([&](const std::vector<Trial> &) -> std::optional<Trial> {
                         store.setValue("oracle", "lost");
                         throw std::runtime_error("oracle broke");
                     });
                 }),
                 std::string("oracle broke"));
        QCOMPARE(store.trials().size(), size_t(6));
        QCOMPARE(store.value("oracle").value_or(""), std::string("after 6"));
        QCOMPARE(store.createTrial(withParams({}))->id, 7);
    }

    void unknownTrialsAreErrors_data() { addBackendRows(); }
    void unknownTrialsAreErrors() {
        TRAINSCOPE_STUDY(s);
        StudyStore store(s->location, s->name);
        Trial ghost;
        ghost.id = 12;
        QVERIFY(errorOf([&] { store.updateTrial(ghost); }).find(store.path() + ": no trial 12") !=
                std::string::npos);
        QVERIFY(errorOf([&] { store.reportValue(12, 1, 0.5); }).find(store.path()) == 0);
        store.createTrial(withParams({}));
        QVERIFY(errorOf([&] { store.reportValue(1, 0, 0.5); }).find(store.path()) == 0);
        QVERIFY(store.trial(1)->values.empty());
    }

    void storesAndThreadsShareAStudy_data() { addBackendRows(); }
    void storesAndThreadsShareAStudy() {
        TRAINSCOPE_STUDY(s);
        StudyStore a(s->location, s->name), b(s->location, s->name);
        QCOMPARE(a.createTrial(withParams({}))->id, 1);
        QCOMPARE(b.createTrial(withParams({}))->id, 2);
        QCOMPARE(a.trials().size(), size_t(2));

        // Four threads on each store, writing and reading at once.
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        std::mutex idsMutex;
        std::vector<int> ids;
        for (int k = 0; k < 8; ++k) {
            threads.emplace_back([&, k] {
                StudyStore &store = k % 2 ? a : b;
                try {
                    for (int i = 0; i < 12; ++i) {
                        const auto t = store.createTrial(withParams({{"k", int64_t(k)}}));
                        store.reportValue(t->id, 1, k);
                        Trial done = *t;
                        done.status = TrialStatus::Completed;
                        done.score = k;
                        store.updateTrial(done);
                        if (store.trials().size() < size_t(t->id)) ++failures;
                        std::lock_guard<std::mutex> g(idsMutex);
                        ids.push_back(t->id);
                    }
                } catch (const std::exception &e) {
                    qWarning("%s", e.what());
                    ++failures;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids.size(), size_t(96));
        for (size_t i = 0; i < ids.size(); ++i)
            QCOMPARE(ids[i], int(i) + 3);
        for (const Trial &t : a.trials()) {
            if (t.id <= 2) continue;
            QCOMPARE(t.status, TrialStatus::Completed);
            QCOMPARE(t.values, std::vector<double>{*t.score});
        }
    }

    void processesShareAStudy_data() { addBackendRows(); }
    void processesShareAStudy() {
        TRAINSCOPE_STUDY(s);
        { StudyStore created(s->location, s->name); } // up front: they race only on trials
        int go[2];
        QCOMPARE(pipe(go), 0);
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            char c;
            if (read(go[0], &c, 1) != 1) _exit(4);
            try {
                StudyStore store(s->location, s->name);
                for (int i = 0; i < 50; ++i)
                    store.createTrial(withParams({{"who", "child"}}));
            } catch (...) {
                _exit(3);
            }
            _exit(0);
        }
        StudyStore store(s->location, s->name);
        QCOMPARE(write(go[1], "g", 1), ssize_t(1));
        for (int i = 0; i < 50; ++i)
            store.createTrial(withParams({{"who", "parent"}}));
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
        close(go[0]);
        close(go[1]);

        const auto all = store.trials();
        QCOMPARE(all.size(), size_t(100));
        int fromChild = 0;
        std::set<std::string> workers;
        for (size_t i = 0; i < all.size(); ++i) {
            QCOMPARE(all[i].id, int(i) + 1);
            fromChild += std::get<std::string>(all[i].params.at("who")) == "child";
            workers.insert(all[i].worker);
        }
        QCOMPARE(fromChild, 50);
        QCOMPARE(workers.size(), size_t(2));
        QVERIFY(workers.count(hostPart() + ":" + std::to_string(child)));
    }

    void killedProcessLosesNoFinishedTrial_data() { addBackendRows(); }
    void killedProcessLosesNoFinishedTrial() {
        TRAINSCOPE_STUDY(s);
        const auto seed = std::random_device{}();
        qInfo("seed %u", seed);
        std::mt19937 rng(seed);
        std::set<int> finished;
        for (int round = 0; round < 4; ++round) {
            int fds[2];
            QCOMPARE(pipe(fds), 0);
            const pid_t child = fork();
            QVERIFY(child >= 0);
            if (child == 0) {
                close(fds[0]);
                try {
                    StudyStore store(s->location, s->name);
                    for (;;) {
                        const auto t = store.createTrial(withParams({{"lr", 0.1}}));
                        for (int e = 1; e <= 3; ++e)
                            store.reportValue(t->id, e, t->id + e);
                        Trial done = *t;
                        done.status = TrialStatus::Completed;
                        done.score = t->id * 0.25;
                        done.finishedAt = 1.0;
                        store.updateTrial(done);
                        const int32_t id = t->id;
                        if (write(fds[1], &id, sizeof id) != sizeof id) _exit(5);
                    }
                } catch (...) {
                    _exit(3);
                }
            }
            close(fds[1]);
            // Kill at a random moment: early (perhaps while opening) up to many trials in.
            std::this_thread::sleep_for(
                std::chrono::microseconds(std::uniform_int_distribution<int>(0, 150000)(rng)));
            QCOMPARE(kill(child, SIGKILL), 0);
            int status = 0;
            QCOMPARE(waitpid(child, &status, 0), child);
            QVERIFY2(WIFSIGNALED(status), "the child stopped on its own: it failed");
            int32_t id = 0;
            while (read(fds[0], &id, sizeof id) == sizeof id)
                finished.insert(id);
            close(fds[0]);

            if (!s->postgres)
                QCOMPARE(sqliteScalar(s->location + "/study.db", "PRAGMA integrity_check"),
                         std::string("ok"));
            StudyStore store(s->location, s->name);
            const auto all = store.trials();
            for (int done : finished) {
                QVERIFY(done >= 1 && size_t(done) <= all.size());
                const Trial &t = all[size_t(done) - 1];
                QCOMPARE(t.id, done);
                QCOMPARE(t.status, TrialStatus::Completed);
                QVERIFY(t.score);
                QCOMPARE(*t.score, done * 0.25);
                QCOMPARE(t.values, (std::vector<double>{done + 1.0, done + 2.0, done + 3.0}));
            }
            // At most the one trial in flight is left RUNNING; it is the dead child's.
            const auto reclaimed = store.reclaimAbandoned(currentWorkerName());
            int running = 0;
            for (const Trial &t : all)
                running += t.status == TrialStatus::Running;
            QVERIFY(running <= 1);
            QCOMPARE(int(reclaimed.size()), running);
            for (const Trial &t : reclaimed) {
                QVERIFY(!finished.count(t.id));
                Trial failed = t;
                failed.status = TrialStatus::Failed;
                failed.error = "killed";
                store.updateTrial(failed);
            }
        }
        qInfo("%zu trials finished across the kills", finished.size());
        QVERIFY(!finished.empty());
    }

    void reclaimsOnlyDeadWorkers_data() { addBackendRows(); }
    void reclaimsOnlyDeadWorkers() {
        TRAINSCOPE_STUDY(s);
        StudyStore store(s->location, s->name);
        const std::string dead = hostPart() + ":" + std::to_string(deadPid());
        const auto make = [&](const std::string &worker, TrialStatus status) {
            Trial t;
            t.worker = worker;
            const int id = store
                               .createTrial([&](const std::vector<Trial> &) {
                                   return std::optional<Trial>(t);
                               })
                               ->id;
            store.reportValue(id, 1, 0.5);
            if (status != TrialStatus::Running) {
                Trial done = *store.trial(id);
                done.status = status;
                done.score = 0.5;
                store.updateTrial(done);
            }
            return id;
        };
        const int deadRunning = make(dead, TrialStatus::Running);
        const int liveRunning = make(currentWorkerName(), TrialStatus::Running);
        const int deadFinished = make(dead, TrialStatus::Completed);
        const int otherHost = make("some-other-host.example:1", TrialStatus::Running);
        // Empty workers come only from older or foreign writers: createTrial fills it in.
        const int unowned = make("placeholder", TrialStatus::Running);
        Trial cleared = *store.trial(unowned);
        cleared.worker.clear();
        store.updateTrial(cleared);

        const auto reclaimed = store.reclaimAbandoned("resumer:7");
        QCOMPARE(reclaimed.size(), size_t(2));
        QCOMPARE(reclaimed[0].id, deadRunning);
        QCOMPARE(reclaimed[1].id, unowned);
        for (const Trial &r : reclaimed) {
            QCOMPARE(r.worker, std::string("resumer:7"));
            QVERIFY(r.values.empty());
            const Trial stored = *store.trial(r.id);
            QCOMPARE(stored.worker, std::string("resumer:7"));
            QCOMPARE(stored.status, TrialStatus::Running);
            QVERIFY(stored.values.empty()); // re-runs from scratch
        }
        QCOMPARE(store.trial(liveRunning)->worker, currentWorkerName());
        QCOMPARE(store.trial(liveRunning)->values.size(), size_t(1));
        QCOMPARE(store.trial(deadFinished)->status, TrialStatus::Completed);
        QCOMPARE(store.trial(deadFinished)->values.size(), size_t(1));
        QCOMPARE(store.trial(otherHost)->worker, std::string("some-other-host.example:1"));
        // Claimed now, so a second resumer finds nothing.
        QVERIFY(store.reclaimAbandoned("resumer:8").empty());
    }

    void badFilesAreNamed() {
        QTemporaryDir tmp;
        const std::string root = tmp.path().toStdString();

        const std::string corrupt = root + "/corrupt";
        QVERIFY(QDir().mkpath(QString::fromStdString(corrupt)));
        {
            std::ofstream f(corrupt + "/study.db", std::ios::binary);
            for (int i = 0; i < 512; ++i)
                f << "this is not a database ";
        }
        const std::string e1 = errorOf([&] { StudyStore s(corrupt); });
        QVERIFY2(e1.find(corrupt + "/study.db: ") == 0, e1.c_str());
        QVERIFY2(e1.find("not a database") != std::string::npos, e1.c_str());

        // A directory that cannot be created (we may be root, so permissions are no test).
        {
            std::ofstream f(root + "/plainfile");
            f << "x";
        }
        const std::string e2 = errorOf([&] { StudyStore s(root + "/plainfile/sweep"); });
        QVERIFY2(e2.find(root + "/plainfile/sweep/study.db: ") == 0, e2.c_str());
        if (geteuid() != 0) {
            const std::string ro = root + "/readonly";
            QVERIFY(QDir().mkpath(QString::fromStdString(ro)));
            QFile::setPermissions(QString::fromStdString(ro),
                                  QFileDevice::ReadOwner | QFileDevice::ExeOwner);
            const std::string e3 = errorOf([&] { StudyStore s(ro); });
            QVERIFY2(e3.find(ro + "/study.db: ") == 0, e3.c_str());
        }
        // study.db that is a directory.
        QVERIFY(QDir().mkpath(QString::fromStdString(root + "/isdir/study.db")));
        const std::string e4 = errorOf([&] { StudyStore s(root + "/isdir"); });
        QVERIFY2(e4.find(root + "/isdir/study.db: ") == 0, e4.c_str());

        // A study from a newer Trainscope is refused, not misread.
        const std::string newer = root + "/newer";
        StudyStore(newer).setValue("k", "v");
        sqliteScalar(newer + "/study.db", "PRAGMA user_version = 99");
        const std::string e5 = errorOf([&] { StudyStore s(newer); });
        QVERIFY2(e5.find(newer + "/study.db: ") == 0, e5.c_str());
        QVERIFY2(e5.find("newer") != std::string::npos, e5.c_str());

        // Another program's SQLite file is left alone.
        const std::string foreign = root + "/foreign";
        QVERIFY(QDir().mkpath(QString::fromStdString(foreign)));
        {
            sqlite3 *db = nullptr;
            sqlite3_open((foreign + "/study.db").c_str(), &db);
            sqlite3_exec(db, "CREATE TABLE photos(x)", nullptr, nullptr, nullptr);
            sqlite3_close(db);
        }
        const std::string e6 = errorOf([&] { StudyStore s(foreign); });
        QVERIFY2(e6.find("not a Trainscope study") != std::string::npos, e6.c_str());
        for (const std::string *e : {&e1, &e2, &e4, &e5, &e6})
            qInfo("%s", e->c_str());
    }

    // No server needed: the URI is checked, and named without its password, first.
    void badUrisAreNamed() {
        const std::string e1 = errorOf([] {
            StudyStore s("postgresql://ann:s3cret@/trainscope?host=/nonexistent/sock", "x");
        });
        QVERIFY2(e1.find("postgresql://ann@/trainscope?host=/nonexistent/sock: cannot connect: ") ==
                     0,
                 e1.c_str());
        QVERIFY2(e1.find("s3cret") == std::string::npos, e1.c_str());
        QVERIFY2(e1.find("/nonexistent/sock") != std::string::npos, e1.c_str()); // libpq's why
        const std::string e2 = errorOf(
            [] { StudyStore s("postgres:///db?host=/nonexistent&password=hunter2&bogus=1", "x"); });
        QVERIFY2(e2.find("postgres:///db?host=/nonexistent&bogus=1: not a PostgreSQL URI: ") == 0,
                 e2.c_str());
        QVERIFY2(e2.find("bogus") != std::string::npos, e2.c_str());
        QVERIFY2(e2.find("hunter2") == std::string::npos, e2.c_str());
        QVERIFY(StudyStore::isPostgresLocation("postgresql:///x"));
        QVERIFY(StudyStore::isPostgresLocation("postgres://h/x"));
        QVERIFY(!StudyStore::isPostgresLocation("/tmp/postgresql://x"));
        for (const std::string *e : {&e1, &e2})
            qInfo("%s", e->c_str());
    }

    // Several studies in one database: each its own ids, values and trials. SQLite has one
    // study a file and ignores the name.
    void studiesAreToldApartByName_data() { addBackendRows(); }
    void studiesAreToldApartByName() {
        TRAINSCOPE_STUDY(s);
        const std::string other = s->postgres ? s->name + "-other" : "other";
        StudyStore a(s->location, s->name), b(s->location, other);
        a.setValue("spec", "a");
        QCOMPARE(a.createTrial(withParams({{"who", "a"}}))->id, 1);
        QCOMPARE(a.createTrial(withParams({{"who", "a"}}))->id, 2);
        const auto fromB = b.createTrial(withParams({{"who", "b"}}));
        if (!s->postgres) {
            QCOMPARE(fromB->id, 3); // the same file
            QCOMPARE(b.value("spec").value_or(""), std::string("a"));
            return;
        }
        QCOMPARE(fromB->id, 1);
        QVERIFY(!b.value("spec"));
        b.reportValue(1, 1, 0.5);
        QCOMPARE(a.trials().size(), size_t(2));
        QVERIFY(a.trial(1)->values.empty());
        QCOMPARE(b.trials().size(), size_t(1));
        QCOMPARE(std::get<std::string>(b.trial(1)->params.at("who")), std::string("b"));
        QCOMPARE(b.trial(1)->values, std::vector<double>{0.5});
    }

    // A study locked by another connection: the wait is said within a second, naming the
    // file, and the write goes through once the lock is let go.
    void aLockedStudySaysWhatItWaitsFor() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        std::vector<std::string> notices;
        QElapsedTimer clock;
        qint64 saidAfterMs = -1;
        StudyStore store(dir, [&](const std::string &text) {
            notices.push_back(text);
            saidAfterMs = clock.elapsed();
        });
        sqlite3 *other = nullptr;
        QCOMPARE(sqlite3_open((dir + "/study.db").c_str(), &other), SQLITE_OK);
        QCOMPARE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        std::thread release([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
        });
        clock.start();
        store.setValue("k", "v");
        const qint64 doneMs = clock.elapsed();
        release.join();
        sqlite3_close(other);
        QCOMPARE(store.value("k"), std::optional<std::string>("v"));
        QCOMPARE(notices.size(), size_t(1));
        QVERIFY2(notices[0].find(dir + "/study.db: another process holds the study's lock") == 0,
                 notices[0].c_str());
        QVERIFY2(saidAfterMs >= StudyStore::kWaitNoticeMs && saidAfterMs < 1000,
                 std::to_string(saidAfterMs).c_str());
        QVERIFY2(doneMs >= 1400, std::to_string(doneMs).c_str()); // it waited for the lock
    }

    // Figures printed, never asserted (tests never fail on time); the values are checked.
    void largeStudiesReadBackWhole_data() { addBackendRows(); }
    void largeStudiesReadBackWhole() {
        TRAINSCOPE_STUDY(s);
        StudyStore store(s->location, s->name);
        const int trials = 300;
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < trials; ++i) {
            Trial t = *store.createTrial(
                withParams({{"lr", 0.001 * i}, {"units", int64_t(i)}, {"opt", "adam"}}));
            t.status = TrialStatus::Completed;
            t.score = i;
            t.values.assign(50, 0.5);
            store.updateTrial(t);
        }
        qInfo("%s: %d trials created and written with 50 values: %lld ms", qPrintable(backend),
              trials, timer.elapsed());
        timer.restart();
        const int reports = 200;
        for (int i = 0; i < reports; ++i)
            store.reportValue(1 + i % trials, 51, i);
        const double reportMs = timer.nsecsElapsed() / 1e6 / reports;
        timer.restart();
        const auto all = store.trials();
        qInfo("reportValue %.3f ms, trials() of %d x ~50 values: %.1f ms", reportMs, trials,
              timer.nsecsElapsed() / 1e6);
        QCOMPARE(all.size(), size_t(trials));
        QCOMPARE(all[size_t(trials - 1)].values.size(), size_t(50));
        QCOMPARE(all[0].values.size(), size_t(51));
        QCOMPARE(*all[7].score, 7.0);
    }
};

QTEST_GUILESS_MAIN(TestStudyStore)
#include "tst_studystore.moc"
