// Peak memory on the amplification cases of hostile input, measured as a user meets them: the
// trainscope command, in its own process, its peak resident set read back by wait4. (A forked
// child's peak starts at its parent's size, so fixtures are freed before it is started, and
// each figure is compared with an empty logdir's, measured the same way.)
#include "tests/support/protobytes.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

using pbtest::Msg;
using pbtest::shape;

namespace {

struct Outcome {
    int code = -1;
    double peakMiB = 0;
    std::string err;
};

// Runs the binary with `args`, stdout discarded and stderr kept.
Outcome runBinary(const std::vector<std::string> &args, const std::string &errPath) {
    const pid_t pid = fork();
    if (pid == 0) {
        const int devnull = open("/dev/null", O_WRONLY), err = creat(errPath.c_str(), 0644);
        dup2(devnull, 1);
        dup2(err, 2);
        std::vector<char *> argv{const_cast<char *>(TRAINSCOPE_BINARY)};
        for (const auto &a : args)
            argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        execv(TRAINSCOPE_BINARY, argv.data());
        _exit(127);
    }
    Outcome o;
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    o.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    o.peakMiB = double(usage.ru_maxrss) / 1024; // KiB on Linux
    std::ifstream in(errPath);
    o.err.assign(std::istreambuf_iterator<char>(in), {});
    return o;
}

double fileMiB(const std::string &path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    return double(in.tellg()) / (1 << 20);
}

// Room for the allocator's arenas and the reader's buffers, over an empty logdir's peak.
constexpr double kSlackMiB = 200;

} // namespace

class TestHostileMemory : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const std::string &name) { return m_dir.filePath(name.c_str()).toStdString(); }

    double baselineMiB() {
        const std::string empty = path("empty");
        std::filesystem::create_directories(empty);
        return runBinary({"runs", empty}, path("empty.err")).peakMiB;
    }

private slots:
    // 32 MB of one-byte "images" in image string tensors: none is an image, none is kept.
    void imageTensorsOfTinyStrings() {
        const std::string run = path("images/run");
        std::filesystem::create_directories(run);
        const std::string file = run + "/events.out.tfevents.1.host";
        { // built and freed before the fork: a child's peak counts its parent's pages
            std::vector<std::string> events;
            for (int record = 0; record < 21; ++record) {
                Msg tensor;
                tensor.varint(1, 7).bytes(8, "8").bytes(8, "8");
                for (int i = 0; i < 500000; ++i)
                    tensor.bytes(8, "x");
                events.push_back(pbtest::summaryEvent(
                    1.0, record, pbtest::value("img", "images").msg(8, tensor)));
            }
            pbtest::writeRecords(file, events);
        }
        const Outcome o = runBinary({"runs", path("images")}, path("images.err"));
        const double base = baselineMiB(), size = fileMiB(file);
        qInfo("image tensors: file %.0f MiB, peak %.0f MiB (an empty logdir: %.0f MiB)", size,
              o.peakMiB, base);
        QCOMPARE(o.code, 0);
        QVERIFY2(o.err.find("500000 of 500000 samples are not PNG") != std::string::npos,
                 o.err.substr(0, 300).c_str());
        QVERIFY2(o.peakMiB < base + 2 * size + kSlackMiB, qPrintable(QString::number(o.peakMiB)));
    }

    // 97 MB of one-byte packed ints: kept as their bytes, not as 97 million doubles.
    void packedIntsAreKeptAsBytes() {
        const std::string run = path("ints/run");
        std::filesystem::create_directories(run);
        const std::string file = run + "/events.out.tfevents.1.host";
        { // built and freed before the fork: a child's peak counts its parent's pages
            const size_t n = 97u << 20;
            Msg tensor;
            tensor.varint(1, 3).msg(2, shape({int64_t(n)})).bytes(7, std::string(n, '\x01'));
            Msg scalar; // a scalar's shape over the same list: only its first value is read
            scalar.varint(1, 3).bytes(7, std::string(n / 4, '\x02'));
            pbtest::writeRecords(
                file, {pbtest::summaryEvent(1.0, 1, pbtest::value("ints", "custom").msg(8, tensor)),
                       pbtest::summaryEvent(1.0, 2, pbtest::value("s").msg(8, scalar))});
        }
        const Outcome o = runBinary({"scalars", path("ints"), "--format", "csv"}, path("ints.err"));
        const double base = baselineMiB(), size = fileMiB(file);
        qInfo("packed ints: file %.0f MiB, peak %.0f MiB (an empty logdir: %.0f MiB)", size,
              o.peakMiB, base);
        QCOMPARE(o.code, 0);
        QVERIFY2(o.peakMiB < base + 3 * size + kSlackMiB, qPrintable(QString::number(o.peakMiB)));
    }

    // 1.3 MB of gzip that inflates to 1.3 GB: refused while inflating, the file named.
    void gzipBombTraceIsRefusedWhileInflating() {
        const std::string file = path("bomb.pt.trace.json.gz");
        gzFile gz = gzopen(file.c_str(), "wb9");
        gzputs(gz, "{\"traceEvents\": [");
        const std::string spaces(1 << 20, ' ');
        for (int i = 0; i < 1300; ++i)
            gzwrite(gz, spaces.data(), unsigned(spaces.size()));
        gzputs(gz, "]}");
        gzclose(gz);
        const Outcome o = runBinary({"profile", file}, path("bomb.err"));
        const double base = baselineMiB();
        qInfo("gzip bomb: file %.1f MiB, peak %.0f MiB (an empty logdir: %.0f MiB)", fileMiB(file),
              o.peakMiB, base);
        QCOMPARE(o.code, 1);
        QVERIFY2(o.err.find(file + ": refused:") != std::string::npos, o.err.c_str());
        QVERIFY2(o.err.find("gzip bomb") != std::string::npos, o.err.c_str());
        QVERIFY2(o.peakMiB < base + 2 * 64 + kSlackMiB, qPrintable(QString::number(o.peakMiB)));
    }
};

QTEST_GUILESS_MAIN(TestHostileMemory)
#include "tst_hostilememory.moc"
