// Study bookkeeping at speed: 4 worker processes x 200 trivial trials (createTrial with a tiny
// decide, one reportValue, updateTrial COMPLETED) on one PostgreSQL study, then on one SQLite
// study. Target: >= 50 trials/s, 0 lost, 0 duplicated. Figures printed, never failed on time.
#include "core/tune/studystore.h"

#include "tests/support/teststudy.h"

#include <QElapsedTimer>
#include <QtTest>

#include <map>
#include <set>

#include <sys/wait.h>
#include <unistd.h>

using namespace trainscope;
using namespace trainscope::test;

namespace {

constexpr int kWorkers = 4, kPerWorker = 200, kBudget = kWorkers * kPerWorker;

[[noreturn]] void work(const std::string &location, const std::string &name, int goFd) {
    try {
        StudyStore store(location, name);
        char c;
        if (read(goFd, &c, 1) != 0) _exit(4); // starts when the pipe closes
        for (;;) {
            const auto t = store.createTrial([](const std::vector<Trial> &history) {
                if (history.size() >= size_t(kBudget)) return std::optional<Trial>();
                Trial next;
                next.params = {{"token", int64_t(history.size() + 1)}};
                return std::optional<Trial>(next);
            });
            if (!t) _exit(0);
            store.reportValue(t->id, 1, 0.5);
            Trial done = *t;
            done.status = TrialStatus::Completed;
            done.score = 0.5;
            store.updateTrial(done);
        }
    } catch (const std::exception &e) {
        fprintf(stderr, "worker: %s\n", e.what());
        _exit(3);
    }
}

void bench(const char *backend, const std::string &location, const std::string &name) {
    { StudyStore created(location, name); } // the schema, before the clock starts
    int go[2];
    QCOMPARE(pipe(go), 0);
    std::vector<pid_t> pids;
    for (int k = 0; k < kWorkers; ++k) {
        const pid_t pid = fork();
        QVERIFY(pid >= 0);
        if (pid == 0) {
            close(go[1]);
            work(location, name, go[0]);
        }
        pids.push_back(pid);
    }
    close(go[0]);
    usleep(300000); // every worker connected
    QElapsedTimer timer;
    timer.start();
    close(go[1]);
    int failedWorkers = 0;
    for (pid_t pid : pids) {
        int status = 0;
        waitpid(pid, &status, 0);
        failedWorkers += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    const double seconds = timer.nsecsElapsed() / 1e9;

    StudyStore store(location, name);
    const auto all = store.trials();
    std::map<int64_t, int> completedByToken;
    std::set<int> ids;
    int completed = 0;
    for (const Trial &t : all) {
        ids.insert(t.id);
        if (t.status != TrialStatus::Completed || t.values != std::vector<double>{0.5}) continue;
        ++completed;
        ++completedByToken[std::get<int64_t>(t.params.at("token"))];
    }
    int duplicated = int(all.size() - ids.size());
    for (const auto &[token, n] : completedByToken)
        duplicated += n - 1;
    const int lost = kBudget - int(completedByToken.size());
    const double rate = completed / seconds;
    const bool met = rate >= 50 && lost == 0 && duplicated == 0 && failedWorkers == 0;
    qInfo("%s: %d workers x %d trials: %d completed in %.2f s = %.0f trials/s (%.2f ms a trial "
          "of 3 transactions); lost %d, duplicated %d, workers failed %d",
          backend, kWorkers, kPerWorker, completed, seconds, rate, 1000 * seconds / completed, lost,
          duplicated, failedWorkers);
    qInfo("%s: target >= 50 trials/s, 0 lost, 0 duplicated: %s", backend, met ? "met" : "NOT met");
    QCOMPARE(failedWorkers, 0);
    QCOMPARE(lost, 0);
    QCOMPARE(duplicated, 0);
}

} // namespace

class BenchStudy : public QObject {
    Q_OBJECT

private slots:
    void postgresql() {
        if (!postgresUri()) QSKIP(kNoPostgres);
        bench("postgresql", postgresUri(), uniqueStudyName("bench_study"));
    }

    void sqlite() {
        QTemporaryDir tmp;
        bench("sqlite", tmp.path().toStdString(), StudyStore::kDefaultStudyName);
    }
};

QTEST_GUILESS_MAIN(BenchStudy)
#include "bench_study.moc"
