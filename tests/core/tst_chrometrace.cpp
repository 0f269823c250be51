#include "core/profile/chrometrace.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <limits>
#include <zlib.h>

using namespace trainscope;

const TraceEvent *find(const TraceFile &t, const std::string &name) {
    for (const TraceEvent &e : t.events)
        if (e.name == name) return &e;
    return nullptr;
}

class TestChromeTrace : public QObject {
    Q_OBJECT
private slots:
    // Found by fuzzing: lane ids past an int were a double-to-int overflow (undefined
    // behaviour, caught by UBSan in the sanitized run of this test). Now clamped, or 0.
    void laneIdsPastAnIntAreClamped() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("lanes.json").toStdString();
        std::ofstream(path)
            << R"([{"ph": "X", "name": "a", "ts": 1, "dur": 2, "pid": 1e300, "tid": 9000000000000000000},
                                   {"ph": "X", "name": "b", "ts": 3, "dur": 2, "pid": -1e300, "tid": 7}])";
        const TraceFile t = readChromeTrace(path);
        QCOMPARE(t.events.size(), size_t(2));
        QCOMPARE(t.events[0].pid, 0);
        QCOMPARE(t.events[0].tid, std::numeric_limits<int>::max());
        QCOMPARE(t.events[1].pid, 0);
        QCOMPARE(t.events[1].tid, 7);
    }
    void roundTripsGzipWithFiguresAndContext() {
        QTemporaryDir dir;
        const std::string run = dir.path().toStdString();
        TraceFile t;
        t.events = {{"ProfilerStep#3", "step", 1000, 5000, 0, 1, {{"operators", "observed"}}},
                    {"aten::mm", "cpu_op", 1500, 2500, 0, 1, {}}};
        t.stages = {{"preprocess", 12, 48.5}};
        t.context.prefetch = 2;
        t.context.cache = "memory";
        t.threadNames = {{{0, 1}, "training"}};
        const std::string path = newProfilePath(run);
        QVERIFY(path.find("/plugins/profile/") != std::string::npos);
        QVERIFY(path.size() > 18 && path.substr(path.size() - 17) == ".pt.trace.json.gz");
        writeChromeTrace(path, t);
        QCOMPARE(latestProfilePath(run), path);
        const TraceFile back = readChromeTrace(path);
        QCOMPARE(back.events.size(), size_t(2));
        QCOMPARE(back.events[1].name, std::string("aten::mm"));
        QCOMPARE(back.events[1].startNs, int64_t(1500));
        QCOMPARE(back.events[1].durationNs, int64_t(2500));
        QCOMPARE(back.stages.at(0).totalMs, 48.5);
        QCOMPARE(back.context.cache, std::string("memory"));
        QCOMPARE(back.context.prefetch, 2);
        QCOMPARE(back.threadNames.at({0, 1}), std::string("training"));
    }
    void importsPyTorchProfilerTraces() {
        const TraceFile t =
            readChromeTrace(TRAINSCOPE_TEST_DATA "/traces/resnet_step.pt.trace.json");
        QCOMPARE(t.events.size(), size_t(7)); // the two [memory] instants are memory events
        const TraceEvent *conv = find(t, "aten::conv2d");
        QVERIFY(conv);
        QCOMPARE(conv->startNs, int64_t(1010250));
        QCOMPARE(conv->durationNs, int64_t(40125));
        QCOMPARE(conv->arg("Input Dims"), std::string("[[32,3,224,224],[64,3,7,7]]"));
        const TraceEvent *kernel =
            find(t, "implicit_convolve_sgemm<float, 1024, 5, 5, 3, 3, 3, 1, false>");
        QVERIFY(kernel);
        QCOMPARE(kernel->pid, kGpuPidBase); // device 0's streams, apart from the host
        QCOMPARE(kernel->tid, 7);
        QCOMPARE(kernel->arg("grid"), std::string("[392,1,1]"));
        QCOMPARE(kernel->arg("registers per thread"), std::string("128"));
        QCOMPARE(kernel->arg("blocks per SM"), std::string("3.5"));
        QCOMPARE(find(t, "Memcpy HtoD (Pageable -> Device)")->pid, kGpuPidBase);
        const TraceEvent *optimizer = find(t, "optimizer"); // a B/E pair
        QVERIFY(optimizer);
        QCOMPARE(optimizer->durationNs, int64_t(100500));
        QCOMPARE(t.flows.size(), size_t(1));
        QCOMPARE(t.flows[0].id, uint64_t(311));
        QCOMPARE(t.flows[0].fromPid, 4242);
        QCOMPARE(t.flows[0].fromNs, int64_t(1020000));
        QCOMPARE(t.flows[0].toPid, kGpuPidBase);
        QCOMPARE(t.flows[0].toTid, 7);
        QCOMPARE(t.flows[0].toNs, int64_t(1030000));
        QCOMPARE(t.memory.size(), size_t(2));
        QCOMPARE(t.memory[0].device, std::string("cuda:0"));
        QCOMPARE(t.memory[0].bytes, int64_t(20971520));
        QCOMPARE(t.memory[0].address, uint64_t(139872041484288ull));
        QCOMPARE(t.memory[1].bytes, int64_t(-20971520));
        QCOMPARE(t.memory[1].totalAllocated, int64_t(0));
        QCOMPARE(t.memory[1].totalReserved, int64_t(41943040));
        QCOMPARE(t.counters.size(), size_t(1));
        QCOMPARE(t.counters[0].value, 0.75);
        QCOMPARE(t.processNames.at(kGpuPidBase), std::string("GPU 0"));
        QCOMPARE(t.processNames.at(4242), std::string("python3 train.py"));
        const TraceEvent *span = find(t, "PyTorch Profiler (0)"); // lanes named by strings
        QVERIFY(span);
        QCOMPARE(t.threadNames.at({span->pid, span->tid}), std::string("PyTorch Profiler"));
    }
    void roundTripsEveryPart() {
        TraceFile t = readChromeTrace(TRAINSCOPE_TEST_DATA "/traces/resnet_step.pt.trace.json");
        t.events.push_back({"quote \" back\\ tab\t nl\n bad\xff end",
                            "cpu_op",
                            -5,
                            7,
                            1,
                            2,
                            {{"text", "[not numbers]"}, {"n", "-1.5e3"}}});
        t.deviceInfo.note = "no GPU: host and operator tracing only";
        t.memory.push_back({7, 0x7000, 2097152, -1, -1, "cuda:0 (driver)"}); // a second series
        t.events.back().args.push_back({"hex", "0x1f"}); // not a JSON number: stays a string
        t.deviceInfo.dropped = 3;
        QTemporaryDir dir;
        for (const char *name : {"t.json", "t.json.gz"}) {
            const std::string path = dir.filePath(name).toStdString();
            writeChromeTrace(path, t);
            const TraceFile back = readChromeTrace(path);
            QCOMPARE(back.events.size(), t.events.size());
            for (size_t i = 0; i + 1 < t.events.size(); ++i) {
                QCOMPARE(back.events[i].name, t.events[i].name);
                QCOMPARE(back.events[i].category, t.events[i].category);
                QCOMPARE(back.events[i].startNs, t.events[i].startNs);
                QCOMPARE(back.events[i].durationNs, t.events[i].durationNs);
                QCOMPARE(back.events[i].pid, t.events[i].pid);
                QCOMPARE(back.events[i].tid, t.events[i].tid);
                QCOMPARE(back.events[i].args, t.events[i].args);
            }
            const TraceEvent &odd = back.events.back();
            QCOMPARE(odd.name, std::string("quote \" back\\ tab\t nl\n bad\xEF\xBF\xBD end"));
            QCOMPARE(odd.startNs, int64_t(-5));
            QCOMPARE(odd.arg("text"), std::string("[not numbers]"));
            QCOMPARE(odd.arg("n"), std::string("-1.5e3")); // numbers kept as written
            QCOMPARE(back.flows.size(), size_t(1));
            QCOMPARE(back.flows[0].toNs, t.flows[0].toNs);
            QCOMPARE(back.memory.size(), size_t(3));
            QCOMPARE(back.memory[2].device, std::string("cuda:0 (driver)"));
            QCOMPARE(odd.arg("hex"), std::string("0x1f"));
            QCOMPARE(back.memory[0].address, t.memory[0].address);
            QCOMPARE(back.memory[0].device, std::string("cuda:0"));
            QCOMPARE(back.counters.at(0).name, std::string("GPU utilization"));
            QCOMPARE(back.processNames, t.processNames);
            QCOMPARE(back.threadNames, t.threadNames);
            QCOMPARE(back.deviceInfo.note, t.deviceInfo.note);
            QCOMPARE(back.deviceInfo.dropped, uint64_t(3));
        }
    }
    void badFilesNameTheFile() {
        QTemporaryDir dir;
        auto message = [](const std::string &path) {
            try {
                readChromeTrace(path);
            } catch (const std::runtime_error &e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        const std::string notJson = dir.filePath("a.json").toStdString();
        std::ofstream(notJson) << "{\"traceEvents\": [";
        QVERIFY(message(notJson).rfind(notJson + ": not a valid JSON trace", 0) == 0);
        const std::string noEvents = dir.filePath("b.json").toStdString();
        std::ofstream(noEvents) << "{\"other\": 1}";
        QCOMPARE(message(noEvents), noEvents + ": no traceEvents array");
        const std::string missing = dir.filePath("c.json.gz").toStdString();
        QVERIFY(message(missing).rfind(missing + ": cannot open", 0) == 0);
        const std::string cut = dir.filePath("d.json.gz").toStdString();
        gzFile f = gzopen(cut.c_str(), "wb");
        const std::string body(100000, ' ');
        gzwrite(f, body.data(), unsigned(body.size()));
        gzclose(f);
        std::filesystem::resize_file(cut, 200); // a truncated download
        QVERIFY(message(cut).rfind(cut + ": ", 0) == 0);
        const std::string notArray = dir.filePath("e.json").toStdString();
        std::ofstream(notArray) << "{\"traceEvents\": {\"ph\": \"X\"}}";
        QCOMPARE(message(notArray), notArray + ": no traceEvents array");
        const std::string odd = dir.filePath("f.json").toStdString(); // odd elements are skipped
        std::ofstream(odd) << "[1, \"x\", {\"ph\": \"X\", \"ts\": \"soon\"}, "
                              "{\"ph\": \"X\", \"name\": \"ok\", \"ts\": 2, \"dur\": 1}]";
        const TraceFile kept = readChromeTrace(odd);
        QCOMPARE(kept.events.size(), size_t(1));
        QCOMPARE(kept.events[0].startNs, int64_t(2000));
        QCOMPARE(latestProfilePath(dir.path().toStdString()), std::string());
        // A write that fails names the target and leaves nothing half-written.
        const std::string blocked = dir.filePath("a.json/t.json").toStdString(); // under a file
        try {
            writeChromeTrace(blocked, TraceFile{});
            QFAIL("wrote under a regular file");
        } catch (const std::runtime_error &e) {
            QVERIFY(std::string(e.what()).rfind(blocked + ": cannot write the trace", 0) == 0);
        }
        QVERIFY(!std::filesystem::exists(blocked + ".tmp"));
    }
};

QTEST_APPLESS_MAIN(TestChromeTrace)
#include "tst_chrometrace.moc"
