// Chrome trace export and import speed (target >= 1M events/s each way), on a synthetic trace
// shaped like a PyTorch profile: nested host ranges and operators, runtime launches, kernels
// with launch arguments, ac2g flows and memory instants. Beside it, the same file loaded by
// Python's json module (what TensorBoard's profile plugin and PyTorch's tooling use), in the
// same run, and what opening a 10M-event trace in the Trace tab costs (read, then index; target
// < 5 s on two cores). Prints figures; asserts only that what was written reads back.
#include "core/profile/chrometrace.h"
#include "core/profile/stepanalysis.h"
#include "core/profile/timelineindex.h"
#include "core/profile/tracesplit.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

using namespace trainscope;

namespace {

TraceFile syntheticTrace(size_t events) {
    TraceFile t;
    t.processNames[0] = "train";
    t.processNames[kGpuPidBase] = "GPU 0";
    t.threadNames[{0, 1}] = "training";
    const char *ops[] = {"aten::linear", "aten::addmm", "aten::relu", "aten::add_", "aten::mul"};
    int64_t now = 0;
    uint64_t correlation = 1;
    while (t.events.size() < events) {
        const size_t i = t.events.size();
        // per group of 4: an operator, its launch, its kernel, and a memory instant every 8th
        t.events.push_back(
            {ops[i % 5], "cpu_op", now, 9000, 0, 1, {{"External id", std::to_string(i)}}});
        t.events.push_back({"cudaLaunchKernel",
                            "cuda_runtime",
                            now + 1000,
                            4000,
                            0,
                            1,
                            {{"correlation", std::to_string(correlation)}}});
        t.events.push_back({"void at::native::vectorized_elementwise_kernel<4, float>",
                            "kernel",
                            now + 6000,
                            2500,
                            kGpuPidBase,
                            7,
                            {{"correlation", std::to_string(correlation)},
                             {"grid", "[1024, 1, 1]"},
                             {"block", "[128, 1, 1]"},
                             {"registers per thread", "24"},
                             {"shared memory", "0"}}});
        t.flows.push_back({correlation, now + 1000, 0, 1, now + 6000, kGpuPidBase, 7});
        if (i % 8 == 0)
            t.memory.push_back(
                {now, 0x7f0000000000 + i * 256, 4096, int64_t(i) * 4096, -1, "cuda:0"});
        t.events.push_back({"aten::empty", "cpu_op", now + 9500, 300, 0, 1, {}});
        ++correlation;
        now += 10000;
    }
    return t;
}

size_t itemsOf(const TraceFile &t) {
    return t.events.size() + 2 * t.flows.size() + t.memory.size();
}

// Memory this process has touched for the first time (page faults, in MiB): on a fresh
// virtual machine each fault is dear, which is what made a trace's first read slow.
double faultedMiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_minflt + usage.ru_majflt) * double(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

std::string howRead(const TraceReadReport &report) {
    if (report.pieces == 0)
        return report.fallback.empty() ? "on one thread" : "whole: " + report.fallback;
    return std::to_string(report.pieces) + " pieces on " +
           std::to_string(
               std::min<size_t>(report.pieces, std::max(1u, std::thread::hardware_concurrency()))) +
           " threads";
}

// Seconds Python's json module takes to load `path`; negative when Python could not run it.
double pythonLoadSeconds(const QString &path) {
    QProcess python;
    python.start("/usr/bin/python3", {"-c",
                                      "import gzip, json, sys, time\n"
                                      "p = sys.argv[1]\n"
                                      "t = time.perf_counter()\n"
                                      "f = gzip.open(p, 'rt') if p.endswith('.gz') else open(p)\n"
                                      "n = len(json.load(f)['traceEvents'])\n"
                                      "print(time.perf_counter() - t)",
                                      path});
    if (!python.waitForFinished(600000) || python.exitCode() != 0) return -1;
    return python.readAllStandardOutput().trimmed().toDouble();
}

} // namespace

class BenchTrace : public QObject {
    Q_OBJECT
private slots:
    // 20,000 steps under one long user_annotation: the step walk was quadratic (10k: 9.6 s).
    void stepWalkUnderALongAnnotation() {
        std::vector<TraceEvent> events;
        const int steps = 20000;
        for (int i = 0; i < steps; ++i) {
            events.push_back({"ProfilerStep#" + std::to_string(i),
                              "user_annotation",
                              int64_t(i) * 1000000,
                              1000000,
                              0,
                              1,
                              {}});
            events.push_back({"aten::mm", "cpu_op", int64_t(i) * 1000000 + 1000, 500000, 0, 1, {}});
        }
        events.push_back({"epoch", "user_annotation", 0, int64_t(steps) * 1000000, 0, 1, {}});
        QElapsedTimer timer;
        timer.start();
        const auto stats = analyzeSteps(events);
        QCOMPARE(stats.size(), size_t(steps));
        std::printf("step walk: %d steps under one long annotation analysed in %.1f ms\n", steps,
                    timer.nsecsElapsed() / 1e6);
    }

    void exportAndImport() {
        const size_t kEvents = 2000000;
        const TraceFile trace = syntheticTrace(kEvents);
        const double items = double(itemsOf(trace));
        QTemporaryDir dir;
        for (const char *name : {"trace.json", "trace.json.gz"}) {
            const QString path = dir.filePath(name);
            QElapsedTimer timer;
            timer.start();
            writeChromeTrace(path.toStdString(), trace);
            const double writeS = timer.nsecsElapsed() / 1e9;
            ::sync(); // the import reads a file at rest, not one the kernel is still writing out
            const double faulted = faultedMiB();
            TraceReadReport report;
            timer.restart();
            const TraceFile back = readChromeTraceTuned(path.toStdString(), {}, &report);
            const double readS = timer.nsecsElapsed() / 1e9;
            QCOMPARE(back.events.size(), trace.events.size());
            QCOMPARE(back.flows.size(), trace.flows.size());
            QCOMPARE(back.events.back().startNs, trace.events.back().startNs);
            const double mib = double(std::filesystem::file_size(path.toStdString())) / (1 << 20);
            std::printf("%s, %.1f M trace events (%.0f MiB): export %.2f M events/s, import %.2f M "
                        "events/s (target >= 1 each way)\n",
                        name, items / 1e6, mib, items / writeS / 1e6, items / readS / 1e6);
            std::printf("  first read: %s, %.0f MiB of memory first touched\n",
                        howRead(report).c_str(), faultedMiB() - faulted);
            const double python = pythonLoadSeconds(path);
            if (python > 0)
                std::printf("  Python json.load of the same file: %.2f M events/s (import x%.1f)\n",
                            items / python / 1e6, python / readS);
            else
                std::printf("  Python json.load could not run here\n");
        }
    }

    // What the Trace tab does with a big profile: read it, then index it for the timeline.
    void openTenMillionEvents() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ten.json").toStdString();
        size_t events = 0;
        {
            const TraceFile trace = syntheticTrace(10000000);
            writeChromeTrace(path, trace);
            events = trace.events.size();
        } // gone before the read, as from the process that opens the file
        ::sync();
        const double mib = double(std::filesystem::file_size(path)) / (1 << 20);
        const double faulted = faultedMiB();
        TraceReadReport report;
        QElapsedTimer timer;
        timer.start();
        auto trace = std::make_shared<const TraceFile>(readChromeTraceTuned(path, {}, &report));
        const double readS = timer.nsecsElapsed() / 1e9;
        timer.restart();
        const TimelineIndex index(trace);
        const double indexS = timer.nsecsElapsed() / 1e9;
        QCOMPARE(trace->events.size(), events);
        QCOMPARE(index.eventCount(), events);
        std::printf("open a 10M-event trace (%.0f MiB plain JSON, %s, %.0f MiB first touched): "
                    "read %.2f s (%.2f s of it mapping the file) + index %.2f s = %.2f s "
                    "(target < 5 s on two cores)\n",
                    mib, howRead(report).c_str(), faultedMiB() - faulted, readS, report.textSeconds,
                    indexS, readS + indexS);
    }
};

QTEST_APPLESS_MAIN(BenchTrace)
#include "bench_trace.moc"
