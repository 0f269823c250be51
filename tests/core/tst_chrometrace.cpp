#include "core/profile/chrometrace.h"
#include "core/profile/tracesplit.h"

#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <fstream>
#include <limits>
#include <thread>
#include <zlib.h>

using namespace trainscope;

const TraceEvent *find(const TraceFile &t, const std::string &name) {
    for (const TraceEvent &e : t.events)
        if (e.name == name) return &e;
    return nullptr;
}

std::string write(const QTemporaryDir &dir, const char *name, const std::string &text) {
    const std::string path = dir.filePath(name).toStdString();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

TraceFile readWhole(const std::string &path) {
    TraceReadTuning whole;
    whole.parallelFromBytes = std::numeric_limits<size_t>::max();
    return readChromeTraceTuned(path, whole);
}

TraceFile readInPieces(const std::string &path, size_t pieceBytes, unsigned threads,
                       TraceReadReport &report) {
    TraceReadTuning pieces;
    pieces.parallelFromBytes = 0;
    pieces.pieceBytes = pieceBytes;
    pieces.threads = threads;
    return readChromeTraceTuned(path, pieces, &report);
}

// Every field of two reads of one file.
void compareTraces(const TraceFile &a, const TraceFile &b) {
    QCOMPARE(a.events.size(), b.events.size());
    for (size_t i = 0; i < a.events.size(); ++i) {
        const TraceEvent &x = a.events[i], &y = b.events[i];
        QCOMPARE(x.name, y.name);
        QCOMPARE(x.category, y.category);
        QCOMPARE(x.startNs, y.startNs);
        QCOMPARE(x.durationNs, y.durationNs);
        QCOMPARE(x.pid, y.pid);
        QCOMPARE(x.tid, y.tid);
        QCOMPARE(x.args, y.args);
        QCOMPARE(x.phase, y.phase);
    }
    QCOMPARE(a.flows.size(), b.flows.size());
    for (size_t i = 0; i < a.flows.size(); ++i) {
        const TraceFlow &x = a.flows[i], &y = b.flows[i];
        QCOMPARE(x.id, y.id);
        QCOMPARE(x.fromNs, y.fromNs);
        QCOMPARE(x.fromPid, y.fromPid);
        QCOMPARE(x.fromTid, y.fromTid);
        QCOMPARE(x.toNs, y.toNs);
        QCOMPARE(x.toPid, y.toPid);
        QCOMPARE(x.toTid, y.toTid);
    }
    QCOMPARE(a.counters.size(), b.counters.size());
    for (size_t i = 0; i < a.counters.size(); ++i) {
        QCOMPARE(a.counters[i].name, b.counters[i].name);
        QCOMPARE(a.counters[i].pid, b.counters[i].pid);
        QCOMPARE(a.counters[i].tsNs, b.counters[i].tsNs);
        QCOMPARE(a.counters[i].value, b.counters[i].value);
    }
    QCOMPARE(a.memory.size(), b.memory.size());
    for (size_t i = 0; i < a.memory.size(); ++i) {
        const MemoryEvent &x = a.memory[i], &y = b.memory[i];
        QCOMPARE(x.tsNs, y.tsNs);
        QCOMPARE(x.address, y.address);
        QCOMPARE(x.bytes, y.bytes);
        QCOMPARE(x.totalAllocated, y.totalAllocated);
        QCOMPARE(x.totalReserved, y.totalReserved);
        QCOMPARE(x.device, y.device);
    }
    QCOMPARE(a.threadNames, b.threadNames);
    QCOMPARE(a.processNames, b.processNames);
    QCOMPARE(a.dropped, b.dropped);
    QCOMPARE(a.context.cache, b.context.cache);
    QCOMPARE(a.context.prefetch, b.context.prefetch);
}

// (JSON with an odd count of quotes is written in plain literals: moc misreads such raw ones.)

// A trace with everything the reader pairs or numbers across elements, spread out so that
// pieces of a few KiB cut through it: B/E ranges 77 elements apart, flows whose halves are 60
// apart (some ending before they start), lanes named by strings appearing as the file goes on,
// lanes named and renamed, memory instants, counters, GPU lanes, events left out, odd elements.
std::string richTrace(int n) {
    std::string s = "{\"schemaVersion\": 1, \"trainscope\": {\"context\": {\"cache\": \"memory\", "
                    "\"prefetch\": 3}},\n\"traceEvents\": [\n";
    const char *separators[] = {",\n", ",", ", ", " ,\n\t"}; // as JSON writers space them
    size_t count = 0;
    auto add = [&](const std::string &element) {
        if (count) s += separators[count % 4];
        ++count;
        s += element;
    };
    add(R"({"ph": "E", "pid": 1, "tid": 9, "ts": 1})"); // closes nothing
    add(R"({"ph": "M", "name": "thread_name", "pid": 0, "tid": 7, "args": {"name": "stream 7"}})");
    for (int i = 0; i < n; ++i) {
        const std::string I = std::to_string(i), ts = "\"ts\": " + std::to_string(i * 10);
        add("{\"ph\": \"X\", \"cat\": \"cpu_op\", \"name\": \"op " + I +
            "\", \"pid\": 1, \"tid\": 1, " + ts + R"(, "dur": 5, "args": {"External id": )" + I +
            R"(, "grid": [)" + I + ", 1, 1], \"note\": \"n " + I + "\"}}");
        if (i % 100 == 0)
            add("{\"ph\": \"B\", \"name\": \"range " + I + "\", \"pid\": 1, \"tid\": 2, " + ts +
                "}");
        if (i % 100 == 77) add(R"({"ph": "E", "pid": 1, "tid": 2, )" + ts + "}");
        if (i % 20 == 0)
            add(R"({"ph": "s", "cat": "ac2g", "id": )" + I + R"(, "pid": 1, "tid": 1, )" + ts +
                "}");
        if (i % 20 == 0 && i >= 60)
            add(R"({"ph": "f", "bp": "e", "cat": "ac2g", "id": )" + std::to_string(i - 60) +
                R"(, "pid": 0, "tid": 7, )" + ts + "}");
        if (i % 50 == 25)
            add("{\"ph\": \"f\", \"cat\": \"fwdbwd\", \"id\": \"back " + I +
                "\", \"pid\": 1, \"tid\": 3, " + ts + "}");
        if (i % 50 == 5 && i >= 30)
            add("{\"ph\": \"s\", \"cat\": \"fwdbwd\", \"id\": \"back " + std::to_string(i - 30) +
                "\", \"pid\": 1, \"tid\": 1, " + ts + "}");
        if (i % 10 == 3)
            add("{\"ph\": \"X\", \"cat\": \"kernel\", \"name\": \"kernel " + I +
                "\", \"pid\": 0, \"tid\": 7, " + ts + R"(, "dur": 3, "args": {"correlation": )" +
                I + "}}");
        if (i % 30 == 7)
            add("{\"ph\": \"X\", \"cat\": \"python_function\", \"name\": \"py " + I +
                R"(", "pid": "CPU functions", "tid": "lane )" + std::to_string(i / 300) + "\", " +
                ts + R"(, "dur": 2})");
        if (i % 30 == 22 && i >= 1000) // a second process named by a string, later on
            add("{\"ph\": \"X\", \"name\": \"span " + I + "\", \"pid\": \"Spans\", \"tid\": 5, " +
                ts + ", \"dur\": 1}");
        if (i % 400 == 399)
            add("{\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": \"CPU functions\", \"tid\": "
                "\"lane " +
                std::to_string(i / 300) + R"(", "args": {"name": "renamed )" + I + "\"}}");
        if (i % 250 == 10)
            add("{\"ph\": \"M\", \"name\": \"process_name\", \"pid\": 1, \"args\": {\"name\": "
                "\"proc " +
                I + "\"}}");
        if (i % 40 == 11)
            add(R"({"ph": "i", "s": "t", "cat": "cpu_instant_event", "name": "[memory]", "pid": 1, )"
                R"("tid": 1, )" +
                ts + R"(, "args": {"Device Type": 1, "Device Id": 0, "Addr": )" +
                std::to_string(1000 + i) + R"(, "Bytes": 4096, "Total Allocated": )" +
                std::to_string(4096 * i) + "}}");
        if (i % 45 == 13) {
            add(R"({"ph": "C", "name": "util", "pid": 1, )" + ts + R"(, "args": {"value": 0.5}})");
            add(R"({"ph": "C", "name": "mem", "pid": "CPU functions", )" + ts +
                R"(, "args": {"a": 1, "b": 2.5}})");
        }
        if (i % 70 == 69) {
            add(R"({"ph": "X", "name": "late", "pid": 1, "tid": 1})");
            add(R"({"ph": "X", "name": "soon", "ts": "soon"})");
        }
        if (i % 90 == 45) {
            add("5");
            add("\"text\"");
            add(R"({"no": "ph"})");
            add(R"({"args": {"v": 1}, "name": "ph last", "pid": 1, "tid": 4, )" + ts +
                R"(, "ph": "i"})");
        }
    }
    return s + "\n]}\n";
}

// PyTorch without Kineto: no categories, the pid a string.
std::string legacyTrace() {
    std::string text = "[";
    for (int i = 0; i < 600; ++i) {
        const std::string ts = std::to_string(i * 100);
        text += (i ? ",\n" : "") + std::string("{\"ph\": \"X\", \"name\": \"") +
                (i % 10 ? "aten::mm" : "ProfilerStep#" + std::to_string(i / 10)) +
                "\", \"pid\": \"CPU functions\", \"tid\": 7, \"ts\": " + ts + R"(, "dur": 50})";
    }
    return text + "]";
}

// Commas between "}" and "{" in strings, and in arrays of objects nested in the args.
std::pair<std::string, std::string> trickyTraces() {
    const std::string tricky = "},{ }, {},{\\\"x\\\": 1}, {"; // in JSON: },{ }, {},{\"x\": 1}, {
    std::string strings = "{\"traceEvents\": [", nested = strings;
    for (int i = 0; i < 400; ++i) {
        const std::string head = std::string(i ? ",\n" : "") + R"({"ph": "X", "ts": )" +
                                 std::to_string(i) + R"(, "dur": 1, "pid": 1, "tid": 1, )";
        strings += head + "\"name\": \"a},{b\", \"args\": {\"note\": \"" + tricky + tricky +
                   tricky + "\"}}";
        nested += head + R"("name": "n", "args": {"shapes": [{"a": [1]},{"b": 2}, {"c": 3},)" +
                  R"({"d": {"e": [{}, {}]}}, {"f": 5}]}})";
    }
    return {strings + "]}", nested + "]}"};
}

// A few strings holding "}, {".
std::string someTrickyTrace() {
    std::string text = "[";
    for (int i = 0; i < 300; ++i)
        text += std::string(i ? ", " : "") + "{\"ph\": \"i\", \"name\": \"" +
                (i % 8 ? "mark" : "x}, {\\\"ph\\\": \\\"X\\\"}, {y") +
                "\", \"ts\": " + std::to_string(i) + R"(, "pid": 1, "tid": )" +
                std::to_string(i % 3) + "}";
    return text + "]";
}

// Plain events around one in the middle whose 20 kB value ends in `tail`.
std::string bigValueInTheMiddle(const std::string &head, const std::string &tail) {
    std::string text = "{\"traceEvents\": [";
    for (int i = 0; i < 101; ++i)
        text += (i ? ",\n" : "") + std::string("{\"ph\": \"X\", \"name\": \"e\", \"ts\": ") +
                std::to_string(i) + ", \"dur\": 1" +
                (i == 50 ? ", \"args\": " + head + std::string(20000, 'x') + tail : "") + "}";
    return text + "]}";
}

// Sound files the scan for the events array misjudges: another array after it, and the array
// given twice (both read).
std::pair<std::string, std::string> misjudgedTraces() {
    const std::string events = R"([{"ph": "X", "name": "a", "ts": 1, "dur": 1}, )"
                               R"({"ph": "X", "name": "b", "ts": 2, "dur": 1}])";
    return {R"({"traceEvents": )" + events + R"(, "deviceProperties": [{"id": 0}]})",
            R"({"traceEvents": )" + events + R"(, "traceEvents": )" + events + "}"};
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

    // Read in pieces (cut every few KiB, on one to three threads), a trace is what it is read
    // whole: B/E pairs, flows and lane names across pieces, lanes named by strings numbered in
    // file order, GPU lanes moved, the "trainscope" section kept.
    void piecesReadWhatTheWholeReads() {
        QTemporaryDir dir;
        const std::string path = write(dir, "rich.json", richTrace(2000));
        const TraceFile whole = readWhole(path);
        const int named = kGpuPidBase / 2; // the first lane named by a string
        QCOMPARE(whole.events.size(), size_t(2000 + 20 + 200 + 67 + 33 + 22));
        QCOMPARE(find(whole, "range 100")->durationNs, int64_t(770000)); // its E: 77 later
        QCOMPARE(find(whole, "range 1900")->durationNs, int64_t(770000));
        QCOMPARE(find(whole, "op 5")->arg("grid"), std::string("[5,1,1]"));
        QCOMPARE(find(whole, "kernel 3")->pid, kGpuPidBase);
        QCOMPARE(find(whole, "py 7")->pid, named);
        QCOMPARE(find(whole, "py 7")->tid, named);
        QCOMPARE(find(whole, "py 1807")->tid, named + 6); // "lane 6", the seventh named tid
        QCOMPARE(find(whole, "span 1012")->pid, named + 1);
        QCOMPARE(whole.processNames.at(named + 1), std::string("Spans"));
        QCOMPARE(find(whole, "ph last")->phase, 'i');
        QCOMPARE(whole.flows.size(), size_t(97 + 39));
        QCOMPARE(whole.flows[0].id, uint64_t(0)); // in order of their first half
        QCOMPARE(whole.flows[0].toNs, int64_t(600000));
        QCOMPARE(whole.flows[0].toPid, kGpuPidBase);
        QCOMPARE(whole.flows[2].fromNs, int64_t(550000)); // "back 25": ends before it starts
        QCOMPARE(whole.flows[2].toNs, int64_t(250000));
        QCOMPARE(whole.flows[2].toTid, 3);
        QCOMPARE(whole.threadNames.at({named, named}), std::string("lane 0"));
        QCOMPARE(whole.threadNames.at({named, named + 1}), std::string("renamed 399"));
        QCOMPARE(whole.threadNames.at({named, named + 4}), std::string("lane 4"));
        QCOMPARE(whole.threadNames.at({kGpuPidBase, 7}), std::string("stream 7"));
        QCOMPARE(whole.processNames.at(1), std::string("proc 1760"));
        QCOMPARE(whole.processNames.at(named), std::string("CPU functions"));
        QCOMPARE(whole.memory.size(), size_t(50));
        QCOMPARE(whole.memory[1].address, uint64_t(1051));
        QCOMPARE(whole.memory[1].totalAllocated, int64_t(4096 * 51));
        QCOMPARE(whole.memory[1].device, std::string("cuda:0"));
        QCOMPARE(whole.counters.size(), size_t(3 * 45));
        QCOMPARE(whole.counters[2].name, std::string("mem b"));
        QCOMPARE(whole.counters[2].pid, named);
        QCOMPARE(whole.counters[2].value, 2.5);
        QCOMPARE(whole.dropped.at("no \"ts\""), uint64_t(28));
        QCOMPARE(whole.dropped.at("\"ts\" is not a number"), uint64_t(28));
        QCOMPARE(whole.context.prefetch, 3);
        for (const size_t pieceBytes : {size_t(700), size_t(4096), size_t(40000)})
            for (const unsigned threads : {1u, 2u, 3u}) {
                TraceReadReport report;
                const TraceFile pieces = readInPieces(path, pieceBytes, threads, report);
                QVERIFY2(report.fallback.empty(), report.fallback.c_str());
                QVERIFY(report.pieces >= 5);
                compareTraces(pieces, whole);
                if (QTest::currentTestFailed()) return;
            }
        // A gzip trace is inflated, then read in pieces alike.
        const std::string gz = dir.filePath("rich.json.gz").toStdString();
        writeChromeTrace(gz, whole);
        TraceReadReport report;
        const TraceFile inflated = readInPieces(gz, 4096, 2, report);
        QVERIFY(report.pieces > 5);
        compareTraces(inflated, readWhole(gz));
    }

    // PyTorch without Kineto: no categories, the pid a string. Pieces classify them the same.
    void legacyTracesInPieces() {
        QTemporaryDir dir;
        const std::string path = write(dir, "legacy.json", legacyTrace());
        const TraceFile whole = readWhole(path);
        QCOMPARE(find(whole, "ProfilerStep#3")->category, std::string("user_annotation"));
        QCOMPARE(find(whole, "aten::mm")->category, std::string("cpu_op"));
        QCOMPARE(whole.processNames.at(kGpuPidBase / 2), std::string("CPU functions"));
        TraceReadReport report;
        compareTraces(readInPieces(path, 1000, 2, report), whole);
        QVERIFY(report.pieces > 10);
    }

    // A comma between "}" and "{" inside a string, or in an array of objects nested in the
    // args, looks like a boundary. A piece cut there does not parse on its own, so the file is
    // read whole, and the same.
    void cutsInsideStringsOrNestedValuesAreCaught() {
        const auto [strings, nested] = trickyTraces();
        QTemporaryDir dir;
        for (const std::string &text : {strings, nested}) {
            const std::string path = write(dir, "tricky.json", text);
            const TraceFile whole = readWhole(path);
            QCOMPARE(whole.events.size(), size_t(400));
            TraceReadReport report;
            const TraceFile pieces = readInPieces(path, 1000, 2, report);
            QCOMPARE(report.pieces, size_t(0));
            QVERIFY2(report.fallback.find("is not a run of whole events") != std::string::npos,
                     report.fallback.c_str());
            compareTraces(pieces, whole);
        }
        QCOMPARE(readWhole(write(dir, "s.json", strings)).events[7].arg("note"),
                 std::string("},{ }, {},{\"x\": 1}, {")
                     .append("},{ }, {},{\"x\": 1}, {")
                     .append("},{ }, {},{\"x\": 1}, {"));
    }

    // One cut, past the middle of the array, which falls in the big value: the first piece,
    // which starts where the array does and ends inside that value, is the one that fails (on
    // one thread, so that it is parsed first).
    void aPieceEndingInsideAValueFails() {
        QTemporaryDir dir;
        const std::string inString = bigValueInTheMiddle("{\"note\": \"", "}, {y\"}");
        const std::string inNested =
            bigValueInTheMiddle("{\"shapes\": [{\"fill\": \"", "\"}, {\"b\": 2}]}");
        const std::string noCandidate = bigValueInTheMiddle("{\"note\": \"", "\"}");
        for (const auto &[text, cutInside] : {std::pair(inString, true), std::pair(inNested, true),
                                              std::pair(noCandidate, false)}) {
            const std::string path = write(dir, "middle.json", text);
            TraceReadReport report;
            const TraceFile pieces = readInPieces(path, text.size() / 2, 1, report);
            if (cutInside) {
                QCOMPARE(report.fallback, std::string("piece 1 of 2 is not a run of whole events"));
            } else {
                QCOMPARE(report.pieces, size_t(2)); // cut after the big event, and sound
                QVERIFY(report.fallback.empty());
            }
            QCOMPARE(pieces.events.size(), size_t(101));
            compareTraces(pieces, readWhole(path));
        }
    }

    // When a few strings hold "}, {", some cuts land in them and some do not: whichever way a
    // file is read, it reads the same.
    void everyCutIsProvenOrTheFileReadWhole() {
        QTemporaryDir dir;
        const std::string path = write(dir, "some.json", someTrickyTrace());
        const TraceFile whole = readWhole(path);
        QCOMPARE(whole.events.size(), size_t(300));
        QCOMPARE(whole.events[8].name, std::string("x}, {\"ph\": \"X\"}, {y"));
        int inPieces = 0, fellBack = 0;
        for (size_t pieceBytes = 500; pieceBytes < 6000; pieceBytes += 97) {
            TraceReadReport report;
            compareTraces(readInPieces(path, pieceBytes, 2, report), whole);
            if (QTest::currentTestFailed()) return;
            (report.pieces ? inPieces : fellBack) += 1;
        }
        QVERIFY(inPieces > 0);
        QVERIFY(fellBack > 0);
    }

    // Through the pieces, a bad file still names itself and what is wrong; a sound file the
    // scan misjudges is read whole.
    void piecesOfBadFilesNameTheFile() {
        QTemporaryDir dir;
        auto message = [](const std::string &path) {
            TraceReadReport report;
            try {
                readInPieces(path, 2000, 2, report);
            } catch (const std::runtime_error &e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        const std::string rich = richTrace(2000);
        const std::string cut = write(dir, "cut.json", rich.substr(0, rich.size() / 2));
        QVERIFY(message(cut).rfind(cut + ": not a valid JSON trace (after ", 0) == 0);
        std::string broken = rich;
        broken.insert(broken.find("\"op 1000\"") + 9, " \"x\""); // two strings, no colon
        const std::string corrupt = write(dir, "corrupt.json", broken);
        const std::string why = message(corrupt);
        QVERIFY2(why.rfind(corrupt + ": not a valid JSON trace (after ", 0) == 0, why.c_str());
        QVERIFY(std::stoul(why.substr(why.find("(after ") + 7)) > 1000); // where it is broken

        // Sound events in a file broken around them: an unclosed string before, a bad value
        // after. The pieces alone would parse.
        const std::string sound = richTrace(100);
        const size_t open = sound.find('[');
        for (const std::string &text : {"{\"x\": \"abc " + sound.substr(open - 15),
                                        sound.substr(0, sound.size() - 3) + ", \"y\": tru}"}) {
            const std::string path = write(dir, "around.json", text);
            QVERIFY2(message(path).rfind(path + ": not a valid JSON trace", 0) == 0,
                     message(path).c_str());
        }

        // Another array after traceEvents, and traceEvents given twice: read whole.
        const auto [afterText, twiceText] = misjudgedTraces();
        const std::string after = write(dir, "after.json", afterText);
        const std::string twice = write(dir, "twice.json", twiceText);
        for (const auto &[path, count] :
             {std::pair(after, size_t(2)), std::pair(twice, size_t(4))}) {
            TraceReadReport report;
            const TraceFile t = readInPieces(path, 10, 2, report);
            QCOMPARE(t.events.size(), count);
            QVERIFY(!report.fallback.empty());
            compareTraces(t, readWhole(path));
        }
    }

    // Progress comes in order, from 0 to 1, on the calling thread; a callback that throws stops
    // the read (the workers are joined, the exception comes out).
    void progressIsReportedInOrder() {
        QTemporaryDir dir;
        const std::string path = write(dir, "rich.json", richTrace(2000));
        std::vector<double> seen;
        const std::thread::id caller = std::this_thread::get_id();
        bool sameThread = true;
        TraceReadTuning tuning;
        tuning.parallelFromBytes = 0;
        tuning.pieceBytes = 4096;
        tuning.progress = [&](double f) {
            seen.push_back(f);
            sameThread = sameThread && std::this_thread::get_id() == caller;
        };
        readChromeTraceTuned(path, tuning);
        QVERIFY(seen.size() > 10);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QVERIFY(seen.front() >= 0);
        QCOMPARE(seen.back(), 1.0);
        QVERIFY(sameThread);
        seen.clear();
        QCOMPARE(readChromeTrace(path, [&](double f) { seen.push_back(f); }).events.size(),
                 size_t(2342));
        QCOMPARE(seen.back(), 1.0);
        tuning.progress = [](double f) {
            if (f > 0.3) throw std::runtime_error("stopped");
        };
        try {
            readChromeTraceTuned(path, tuning);
            QFAIL("the read went on");
        } catch (const std::runtime_error &e) {
            QCOMPARE(std::string(e.what()), std::string("stopped"));
        }
    }
};

QTEST_APPLESS_MAIN(TestChromeTrace)
#include "tst_chrometrace.moc"
