// The command line as a user meets it: cold processes, output into a pipe. `trainscope runs`
// on an empty logdir beside the same command in trainscope-full (LibTorch and Qt loaded, as
// every command was before the split), and `trainscope scalars` on 25 TensorBoard-written
// runs of 200,000 points beside `cat` of the same files into the same pipe and TensorBoard's
// Python loader (published). Prints figures; never fails on time.
#include "core/events/eventwriter.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>

using namespace trainscope;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kTensorBoardPythonMiBs = 2; // TensorBoard's Python event loader (issue 12)

struct Timed {
    double ms = 0;
    uint64_t outBytes = 0;
    int code = -1;
};

// Runs argv with stdout into a pipe this process drains, as `| wc -c` would; stderr dropped.
Timed timeCommand(const std::vector<std::string> &args) {
    int fds[2];
    if (pipe(fds) != 0) return {};
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        const int devnull = open("/dev/null", O_WRONLY); // its messages are not what is timed
        dup2(devnull, 2);
        close(fds[0]);
        close(fds[1]);
        std::vector<char *> argv;
        for (const auto &a : args)
            argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(fds[1]);
    Timed t;
    std::vector<char> buffer(1 << 20);
    for (ssize_t n; (n = read(fds[0], buffer.data(), buffer.size())) > 0;)
        t.outBytes += uint64_t(n);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    t.ms = double(timer.nsecsElapsed()) / 1e6;
    t.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return t;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

const std::string kLight = TRAINSCOPE_BINARY;
const std::string kFull =
    (std::filesystem::path(TRAINSCOPE_BINARY).parent_path() / "trainscope-full").string();

} // namespace

class BenchCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void startUpOnAnEmptyLogdir() {
        const std::string empty = m_dir.filePath("empty").toStdString();
        std::filesystem::create_directories(empty);
        std::vector<double> light, full;
        for (int i = 0; i < 20; ++i)
            light.push_back(timeCommand({kLight, "runs", empty}).ms);
        for (int i = 0; i < 5; ++i)
            full.push_back(timeCommand({kFull, "runs", empty}).ms);
        const Timed one = timeCommand({kLight, "runs", empty});
        QCOMPARE(one.code, 1); // "no event files": a clear answer, not a crash
        qInfo("trainscope runs EMPTY, cold: median %.1f ms, worst %.1f ms over 20 (target < 100); "
              "with LibTorch and Qt loaded (trainscope-full): median %.0f ms",
              median(light), *std::max_element(light.begin(), light.end()), median(full));
    }

    void scalarsIntoAPipe() {
        const std::string logdir = m_dir.filePath("logs").toStdString();
        const int runs = 25, points = 200000;
        uint64_t bytes = 0;
        std::vector<std::string> files;
        for (int r = 0; r < runs; ++r) {
            EventWriter w(logdir + "/run-" + std::to_string(r), {30.0, "bench"});
            for (int step = 0; step < points; ++step)
                w.addScalar("train/loss", step, 1.0 / (step + 1.0) + r, 1.7e9 + step * 0.25);
            w.flush();
            files.push_back(w.path());
            bytes += std::filesystem::file_size(w.path());
        }
        std::vector<std::string> cat{"/bin/cat"};
        cat.insert(cat.end(), files.begin(), files.end());
        timeCommand(cat); // warm the page cache, as a second run of a user's command would
        const Timed io = timeCommand(cat);
        const Timed csv = timeCommand({kLight, "scalars", logdir});
        const Timed json = timeCommand({kLight, "scalars", logdir, "--format", "json"});
        QCOMPARE(csv.code, 0);
        QCOMPARE(json.code, 0);
        QVERIFY(csv.outBytes > uint64_t(runs) * points * 20); // every row came out
        auto rate = [&](const Timed &t) { return double(bytes) / kMiB / (t.ms / 1000); };
        qInfo("trainscope scalars, %d runs x %d points (%.0f MiB of event files), into a pipe: "
              "CSV %.0f ms = %.0f MiB/s (%.0f MiB out), JSON %.0f ms = %.0f MiB/s; target >= 300 "
              "MiB/s. cat of the files into the same pipe: %.0f MiB/s; TensorBoard's Python "
              "loader: about %.0f MiB/s (published)",
              runs, points, double(bytes) / kMiB, csv.ms, rate(csv), double(csv.outBytes) / kMiB,
              json.ms, rate(json), rate(io), kTensorBoardPythonMiBs);
    }
};

QTEST_GUILESS_MAIN(BenchCli)
#include "bench_cli.moc"
