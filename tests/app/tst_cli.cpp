// `trainscope runs` and `trainscope scalars` run in-process on fixture logdirs.
#include "app/cli/commands.h"
#include "app/cli/loadlogdir.h"
#include "core/events/eventwriter.h"
#include "tests/support/protobytes.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

using namespace trainscope;

namespace {

struct Result {
    int code;
    std::string out, err;
};

Result run(std::vector<std::string> args) {
    std::ostringstream out, err;
    const int code = cli::run(args, out, err, cli::torchCommands());
    return {code, out.str(), err.str()};
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_logdir;

private slots:
    // A new user's first command, in a shell with no display: the executable, not cli::run.
    void helpWorksWithoutADisplay() {
        for (const QString &word : {QString("--help"), QString("help")}) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
                env.remove(name);
            p.setProcessEnvironment(env);
            p.start(TRAINSCOPE_BINARY, {word});
            QVERIFY(p.waitForFinished(20000));
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QCOMPARE(p.exitCode(), 0);
            QVERIFY2(p.readAllStandardOutput().contains("trainscope"), qPrintable(word));
        }
    }
    // The commands that only read load neither LibTorch nor Qt: they start in milliseconds.
    // (LD_TRACE_LOADED_OBJECTS makes the dynamic loader list what it would load, as ldd does.)
    void readingCommandsLoadNeitherLibTorchNorQt() {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("LD_TRACE_LOADED_OBJECTS", "1");
        p.setProcessEnvironment(env);
        p.start(TRAINSCOPE_BINARY, {"runs", "."});
        QVERIFY(p.waitForFinished(20000));
        const QByteArray libs = p.readAllStandardOutput();
        QVERIFY2(libs.contains("libprotobuf"), libs.constData()); // the list is real
        for (const char *heavy : {"libtorch", "libQt6", "libcupti", "libc10"})
            QVERIFY2(!libs.contains(heavy), heavy);
    }
    // What needs them is handed to trainscope-full, beside it, with the same arguments.
    void trainAndTheWindowAreHandedToTrainscopeFull() {
        QProcess p;
        p.start(TRAINSCOPE_BINARY, {"train", m_dir.filePath("no-such-spec.json")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(p.readAllStandardError().contains("no-such-spec.json"), "the spec is named");
    }
    void initTestCase() {
        m_logdir = m_dir.filePath("logs").toStdString();
        {
            EventWriter w(m_logdir + "/run,a");
            w.addScalar("train/loss", 0, 0.5, 1700000000.25);
            w.addScalar("train/loss", 1, 0.25, 1700000001.5);
            w.addScalar("val/acc", 1, 0.875, 1700000001.75);
            w.addHistogram("w", 1, std::vector<double>{1, 2});
            w.addHParamsSessionStart({{"lr", 0.1}});
        }
        {
            EventWriter w(m_logdir + "/b");
            w.addScalar("train/loss", 3, 0.1, 1700000002.0);
        }
    }

    void runsListsTagsByKindAndCounts() {
        Result r = run({"runs", m_logdir});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.find("run,a  (6 events)") != std::string::npos, r.out.c_str());
        QVERIFY(r.out.find("scalars: train/loss (2) val/acc (1)") != std::string::npos);
        QVERIFY(r.out.find("histograms: w (1)") != std::string::npos);
        QVERIFY(r.out.find("hparams: lr=0.1") != std::string::npos);
    }

    void runsJson() {
        Result r = run({"runs", m_logdir, "--json"});
        QCOMPARE(r.code, 0);
        auto j = nlohmann::json::parse(r.out);
        QCOMPARE(j.size(), size_t(2));
        QCOMPARE(j[0]["run"].get<std::string>(), std::string("b"));
        QCOMPARE(j[1]["tags"]["scalars"]["train/loss"].get<int>(), 2);
        QCOMPARE(j[1]["events"].get<int>(), 6);
        QCOMPARE(j[1]["hparams"]["lr"].get<double>(), 0.1);
    }

    // Run and tag names are bytes: JSON output stays valid JSON, every point is kept.
    void namesThatAreNotUtf8StayValidJson() {
        QTemporaryDir dir;
        {
            EventWriter w(dir.path().toStdString() + "/bad_\xe9name");
            w.addScalar("loss/\xff", 0, 0.5);
            w.addScalar("loss/\xff", 1, 0.25);
        }
        Result runs = run({"runs", dir.path().toStdString(), "--json"});
        QCOMPARE(runs.code, 0);
        const auto j = nlohmann::json::parse(runs.out);
        QCOMPARE(j[0]["run"].get<std::string>(), std::string("bad_\xef\xbf\xbdname")); // U+FFFD
        QCOMPARE(j[0]["tags"]["scalars"]["loss/\xef\xbf\xbd"].get<int>(), 2);
        Result points = run({"scalars", dir.path().toStdString(), "--format", "json"});
        QCOMPARE(points.code, 0);
        const auto p = nlohmann::json::parse(points.out);
        QCOMPARE(p.size(), size_t(2));
        QCOMPARE(p[1]["value"].get<double>(), 0.25);
    }

    void scalarsCsvIsExact() {
        Result r = run({"scalars", m_logdir, "--tag", "loss"});
        QCOMPARE(r.code, 0);
        QCOMPARE(QString::fromStdString(r.out),
                 QString::fromStdString(std::string("run,tag,step,wall_time,value\n"
                                                    "b,train/loss,3,1700000002,0.1\n"
                                                    "\"run,a\",train/loss,0,1700000000.25,0.5\n"
                                                    "\"run,a\",train/loss,1,1700000001.5,0.25\n")));
    }

    // Read a batch at a time (a byte: a run a batch), every run with data is handed out once,
    // in name order, with all its points.
    void aLogdirIsStreamedRunByRun() {
        std::ostringstream err;
        std::vector<std::string> seen;
        std::vector<size_t> points;
        QVERIFY(cli::streamLogdir(
            m_logdir, err, 1, [&](const LogdirIndex &index, const std::vector<std::string> &runs) {
                for (const std::string &r : runs)
                    if (const TagData *t = index.run(r)->tag("train/loss")) {
                        seen.push_back(r);
                        points.push_back(t->scalars.size());
                    }
            }));
        QCOMPARE(seen, (std::vector<std::string>{"b", "run,a"}));
        QCOMPARE(points, (std::vector<size_t>{1, 2}));
        QVERIFY(err.str().empty());
        QVERIFY(!cli::streamLogdir(m_dir.filePath("nothing-here").toStdString(), err, 1,
                                   [](const LogdirIndex &, const std::vector<std::string> &) {
                                       QFAIL("handed runs of a missing logdir");
                                   }));
        QVERIFY(err.str().find("no such directory") != std::string::npos);
    }

    void scalarsJsonFiltersRuns() {
        Result r = run({"scalars", m_logdir, "--run", "^run", "--format", "json"});
        QCOMPARE(r.code, 0);
        auto j = nlohmann::json::parse(r.out);
        QCOMPARE(j.size(), size_t(3));
        QCOMPARE(j[2]["tag"].get<std::string>(), std::string("val/acc"));
        QCOMPARE(j[2]["value"].get<double>(), 0.875);
        QCOMPARE(j[2]["wall_time"].get<double>(), 1700000001.75);
    }

    // A diverged loss and a huge step stay what they are, in valid JSON.
    void nonFiniteValuesAndHugeStepsAreValidJson() {
        QTemporaryDir dir;
        {
            EventWriter w(dir.filePath("r").toStdString());
            w.addScalar("loss", 1, std::nan(""), 10.0);
            w.addScalar("loss", int64_t(1) << 62, INFINITY, 11.0);
            w.addScalar("loss", (int64_t(1) << 62) + 1, -INFINITY, 12.0);
        }
        Result r = run({"scalars", dir.path().toStdString(), "--format", "json"});
        QCOMPARE(r.code, 0);
        const auto j = nlohmann::json::parse(r.out); // throws on nan or inf
        QCOMPARE(j.size(), size_t(3));
        QCOMPARE(j[0]["value"].get<std::string>(), std::string("NaN"));
        QCOMPARE(j[1]["value"].get<std::string>(), std::string("Infinity"));
        QCOMPARE(j[2]["value"].get<std::string>(), std::string("-Infinity"));
        QCOMPARE(j[1]["step"].get<int64_t>(), int64_t(1) << 62);
        QCOMPARE(j[2]["step"].get<int64_t>(), (int64_t(1) << 62) + 1);
    }

    void missingLogdirIsBadInput() {
        Result r = run({"scalars", "/no/such/logdir"});
        QCOMPARE(r.code, 1);
        QCOMPARE(QString::fromStdString(r.err),
                 QString("trainscope: /no/such/logdir: no such directory\n"));
        QVERIFY(r.out.empty());
    }

    void emptyLogdirSaysSo() {
        QTemporaryDir empty;
        Result r = run({"runs", empty.path().toStdString()});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.find("no event files") != std::string::npos);
    }

    void corruptAndTruncatedFilesStillPrintEveryReadablePoint() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        QVERIFY(QDir().mkpath(dir.filePath("r")));
        const std::string good =
            pbtest::frame(pbtest::summaryEvent(1, 1, pbtest::value("t").fixed32(2, 1)));
        std::string bad =
            pbtest::frame(pbtest::summaryEvent(2, 2, pbtest::value("t").fixed32(2, 2)));
        bad[bad.size() - 6] ^= 1;
        const std::string last =
            pbtest::frame(pbtest::summaryEvent(3, 3, pbtest::value("t").fixed32(2, 3)));
        const std::string file = root + "/r/events.out.tfevents.1.h";
        { std::ofstream(file, std::ios::binary) << good << bad << last << last.substr(0, 7); }
        {
            std::ofstream(root + "/r/events.out.tfevents.2.text")
                << "hello, I am not an event file at all....\n";
        }
        Result r = run({"scalars", root});
        QCOMPARE(r.code, 0);
        QCOMPARE(QString::fromStdString(r.out),
                 QString::fromStdString(
                     std::string("run,tag,step,wall_time,value\nr,t,1,1,1\nr,t,3,3,3\n")));
        QVERIFY2(r.err.find(file + ": offset " + std::to_string(good.size()) +
                            ": record checksum fails") != std::string::npos,
                 r.err.c_str());
        QVERIFY(r.err.find("events.out.tfevents.2.text: offset 0: not an event file") !=
                std::string::npos);
    }

    void trainThenProfile() {
        QTemporaryDir dir;
        const std::string spec = dir.filePath("job.json").toStdString();
        std::ofstream(spec)
            << R"({"name": "cli-job", "dataset": {"name": "synthetic", "limit": 1000},
            "model": {"hidden": [16]}, "training": {"epochs": 2, "batch_size": 50},
            "profile": {"skip_first": 1, "active": 5}})";
        const std::string logdir = dir.filePath("runs").toStdString();
        Result r = run({"train", spec, "--logdir", logdir, "--set", "training.epochs=1"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.find("run: " + logdir + "/cli-job\n") != std::string::npos, r.out.c_str());
        QVERIFY(r.out.find("after 1 epochs") != std::string::npos);
        Result p = run({"profile", logdir + "/cli-job"});
        QCOMPARE(p.code, 0);
        QVERIFY(p.out.find("5 steps, mean") != std::string::npos);
        QVERIFY(p.out.find("verdict: ") != std::string::npos);
        QVERIFY(p.out.find("host_compute") != std::string::npos);
        Result j = run({"profile", logdir + "/cli-job", "--json"});
        QCOMPARE(nlohmann::json::parse(j.out)["steps"].get<int>(), 5);
        Result none = run({"profile", logdir});
        QCOMPARE(none.code, 1);
        QVERIFY(none.err.find("no profiler trace in this run") != std::string::npos);
    }

    // Two runs compared as a user compares them; a profile window that spans an epoch's end
    // counts only the steps that trained (the fetch that found no batch is not a step).
    void profileDiffOfTwoRuns() {
        QTemporaryDir dir;
        const std::string spec = dir.filePath("job.json").toStdString();
        std::ofstream(spec)
            << R"({"name": "one-worker", "dataset": {"name": "synthetic", "limit": 1000},
            "pipeline": {"map_workers": 1},
            "model": {"hidden": [16]}, "training": {"epochs": 2, "batch_size": 50},
            "profile": {"skip_first": 10, "active": 20}})";
        const std::string logdir = dir.filePath("runs").toStdString();
        QCOMPARE(run({"train", spec, "--logdir", logdir}).code, 0);
        QCOMPARE(run({"train", spec, "--logdir", logdir, "--set", "name=two-workers", "--set",
                      "pipeline.map_workers=2"})
                     .code,
                 0);
        const std::string a = logdir + "/one-worker", b = logdir + "/two-workers";
        Result d = run({"profile", "diff", a, b});
        QCOMPARE(d.code, 0);
        QVERIFY2(d.out.find("baseline:  ") != std::string::npos, d.out.c_str());
        QVERIFY(d.out.find("steps profiled  20 → 20\n") != std::string::npos);
        QVERIFY(d.out.find("step-time breakdown (mean ms per step):") != std::string::npos);
        QVERIFY(d.out.find("operators by |change in self time|") != std::string::npos);
        Result j = run({"profile", "diff", a, b, "--json"});
        QCOMPARE(j.code, 0);
        const auto diff = nlohmann::json::parse(j.out);
        // One definition of the mean step: `profile` prints the same figure for each side.
        const auto one = nlohmann::json::parse(run({"profile", a, "--json"}).out);
        QCOMPARE(diff["mean_step_ms"]["baseline"].get<double>(), one["mean_step_ms"].get<double>());
        QCOMPARE(one["steps"].get<int>(), 20);
        QCOMPARE(diff["stages"].size(), size_t(3));
        for (const auto &stage : diff["stages"]) {
            QCOMPARE(stage["workers"]["baseline"].get<double>(), 1.0);
            QCOMPARE(stage["workers"]["candidate"].get<double>(), 2.0);
        }
        bool joined = false;
        for (const auto &op : diff["operators"])
            joined |= op["name"] == "aten::linear" && op["presence"] == "both" &&
                      op["calls"]["baseline"].get<double>() > 0;
        QVERIFY2(joined, j.out.c_str());

        // Against a PyTorch trace: its operators and kernel are new, ours vanished.
        const std::string torch = TRAINSCOPE_TEST_DATA "/traces/resnet_step.pt.trace.json";
        const auto other = nlohmann::json::parse(run({"profile", "diff", a, torch, "--json"}).out);
        QCOMPARE(other["kernels"].size(), size_t(1));
        QCOMPARE(other["kernels"][0]["presence"].get<std::string>(), std::string("new"));
        Result none = run({"profile", "diff", a, logdir});
        QCOMPARE(none.code, 1);
        QVERIFY(none.err.find(logdir + ": no profiler trace in this run") != std::string::npos);
        Result missing = run({"profile", "diff", a});
        QCOMPARE(missing.code, 1);
    }

    void traceImportThenProfileAndExport() {
        QTemporaryDir dir;
        const std::string logdir = dir.filePath("imported").toStdString();
        const std::string trace = TRAINSCOPE_TEST_DATA "/traces/resnet_step.pt.trace.json";
        Result r = run({"trace", "import", trace, "--logdir", logdir});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, logdir + "/resnet_step\n");
        QVERIFY(r.err.find("imported 11 events (1 flows, 2 memory events, 1 steps)") !=
                std::string::npos);
        QCOMPARE(run({"trace", "import", trace, "--logdir", logdir}).out,
                 logdir + "/resnet_step-2\n"); // never over an earlier import
        Result runs = run({"runs", logdir});
        QVERIFY(runs.out.find("resnet_step") != std::string::npos); // listed with its scalars
        Result p = run({"profile", logdir + "/resnet_step", "--json"});
        QCOMPARE(p.code, 0);
        const auto j = nlohmann::json::parse(p.out);
        QCOMPARE(j["steps"].get<int>(), 1);
        QCOMPARE(j["device_trace"]["kernels"].get<int>(), 1);
        QCOMPARE(j["device_trace"]["gpu_lanes"].get<bool>(), true);
        const std::string exported = dir.filePath("out.json.gz").toStdString();
        Result e = run({"trace", "export", logdir + "/resnet_step", "-o", exported});
        QCOMPARE(e.code, 0);
        QCOMPARE(e.out, exported + "\n");
        Result again = run({"trace", "import", exported, "--logdir", logdir});
        QCOMPARE(again.code, 0);
        QVERIFY(again.err.find("imported 11 events") != std::string::npos); // nothing lost
    }

    // A folder torch.profiler.tensorboard_trace_handler wrote (Debian's torch: the legacy
    // trace), as a user meets it: the executable, from a cold process, into a pipe.
    void torchProfilerFolderIsARun() {
        QTemporaryDir dir;
        const QString logdir = dir.filePath("logs");
        QProcess python;
        python.start(
            TRAINSCOPE_TORCH_PYTHON,
            {QString(TRAINSCOPE_TEST_DATA) + "/../support/torch_trace.py", logdir + "/worker0"});
        QVERIFY(python.waitForFinished(120000));
        if (python.exitCode() == 77) QSKIP("python3-torch is not installed");
        QCOMPARE(python.exitCode(), 0);
        QFile::remove(logdir + "/worker0/expected.json");
        auto cli = [](const QStringList &args) {
            QProcess p;
            p.start(TRAINSCOPE_BINARY, args);
            p.waitForFinished(60000);
            return std::make_pair(p.exitCode(), p.readAllStandardOutput().toStdString());
        };
        const auto [runsCode, runs] = cli({"runs", logdir, "--json"});
        QCOMPARE(runsCode, 0);
        const auto listed = nlohmann::json::parse(runs);
        QCOMPARE(listed.size(), size_t(1));
        QCOMPARE(listed[0]["run"].get<std::string>(), std::string("worker0"));
        QCOMPARE(listed[0]["traces"].size(), size_t(1));
        const auto [profileCode, profile] = cli({"profile", logdir + "/worker0", "--json"});
        QCOMPARE(profileCode, 0);
        const auto j = nlohmann::json::parse(profile);
        QCOMPARE(j["steps"].get<int>(), 3);
        QVERIFY(j["top_ops"].size() > 10);
        QVERIFY(j["mean_ms"]["host_compute"].get<double>() > 0);
    }

    // Events left out are counted and named; an empty trace is bad input to every command.
    void droppedEventsAndEmptyTraces() {
        QTemporaryDir dir;
        const std::string odd = dir.filePath("odd.pt.trace.json").toStdString();
        std::ofstream(odd) << R"([{"ph": "X", "name": "a", "ts": "12", "dur": 2},
                                  {"ph": "X", "name": "b", "ts": 14, "dur": 2},
                                  {"ph": "X", "name": "c", "dur": 2}])";
        Result r = run({"trace", "import", odd, "--logdir", dir.filePath("logs").toStdString()});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.find(odd + ": 1 event left out: \"ts\" is not a number") !=
                     std::string::npos,
                 r.err.c_str());
        QVERIFY(r.err.find(odd + ": 1 event left out: no \"ts\"") != std::string::npos);
        const std::string empty = dir.filePath("empty.pt.trace.json").toStdString();
        std::ofstream(empty) << "[]";
        for (const std::vector<std::string> &args :
             {std::vector<std::string>{"profile", empty},
              std::vector<std::string>{"trace", "import", empty, "--logdir",
                                       dir.path().toStdString()},
              std::vector<std::string>{"trace", "export", empty, "-o",
                                       dir.filePath("x.json").toStdString()}}) {
            Result e = run(args);
            QCOMPARE(e.code, 1);
            QVERIFY2(e.err.find(empty + ": no trace events") != std::string::npos, e.err.c_str());
        }
    }

    void traceBadInputNamesTheFile() {
        QTemporaryDir dir;
        const std::string missing = dir.filePath("none.pt.trace.json").toStdString();
        Result r = run({"trace", "import", missing, "--logdir", dir.path().toStdString()});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.find(missing + ": cannot open") != std::string::npos);
        const std::string cut = dir.filePath("cut.pt.trace.json").toStdString();
        std::ofstream(cut) << R"({"traceEvents": [{"ph": "X", "name": "a", "ts": 1, "dur": 2},)";
        r = run({"trace", "import", cut, "--logdir", dir.path().toStdString()});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.find(cut + ": not a valid JSON trace") != std::string::npos);
        // The folder holds cut.pt.trace.json, so it is a run whose only trace is broken.
        r = run({"trace", "export", dir.path().toStdString(), "-o", "x.json"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.find(cut + ": not a valid JSON trace") != std::string::npos);
        const std::string empty = dir.filePath("empty").toStdString();
        std::filesystem::create_directory(empty);
        r = run({"trace", "export", empty, "-o", "x.json"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.find("no profiler trace in this run") != std::string::npos);
        QCOMPARE(run({"trace", "export"}).code, 1); // RUN and -o are required
    }

    void tuneAndTrials() {
        QTemporaryDir dir;
        const std::string sweep = dir.filePath("sweep.json").toStdString();
        std::ofstream(sweep) << R"({"name": "cmd", "command": "echo objective={x}",
            "objective": {"metric": "score", "direction": "max"},
            "space": [{"name": "x", "type": "choice", "values": [3, 9, 5]}],
            "oracle": {"type": "grid"}, "max_trials": 5})";
        const std::string sweepDir = dir.filePath("s").toStdString();
        Result t = run({"tune", sweep, "--dir", sweepDir});
        QCOMPARE(t.code, 0);
        QVERIFY(t.out.find("Trial 2 summary\nHyperparameters:\nx: 9\nScore: 9") !=
                std::string::npos);
        QVERIFY(t.err.find("3 trials (3 completed, 0 pruned, 0 failed)") != std::string::npos);
        Result j = run({"trials", sweepDir, "--json"});
        QCOMPARE(j.code, 0);
        const auto doc = nlohmann::json::parse(j.out);
        QCOMPARE(doc["trials"].size(), size_t(3));
        QCOMPARE(doc["best"]["params"]["x"].get<int>(), 9);
        QCOMPARE(doc["trials"][0]["status"].get<std::string>(), std::string("COMPLETED"));
        Result text = run({"trials", sweepDir});
        QVERIFY(text.out.find("sweep cmd: 3 trials") != std::string::npos);

        Result notSweep = run({"trials", dir.path().toStdString()});
        QCOMPARE(notSweep.code, 1);
        QVERIFY(notSweep.err.find("no study.db") != std::string::npos);
        std::ofstream(sweep)
            << R"({"command": "true", "objective": {"metric": "score", "direction": "max"},
            "space": [{"name": "x", "type": "float", "min": 2, "max": 1}]})";
        Result bad = run({"tune", sweep, "--dir", dir.filePath("b").toStdString()});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.find("space.x: min (2) > max (1)") != std::string::npos, bad.err.c_str());
    }

    // The text-classifier walkthrough: a sweep over layer types and block counts (fields active for
    // the type chosen), the best retrained and scored on a held-out folder, then `evaluate`
    // from a cold process into a pipe.
    void aSweepOverLayerTypesThenTheBestOnTheTestFolder() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        const char *neg[] = {"bad", "awful", "boring", "dull", "worst"},
                   *pos[] = {"good", "great", "fun", "superb", "best"};
        for (const std::string folder : {"train", "test"})
            for (int i = 0; i < (folder == "train" ? 60 : 15); ++i) {
                std::filesystem::create_directories(root + "/" + folder + "/neg");
                std::filesystem::create_directories(root + "/" + folder + "/pos");
                const int k = i + (folder == "train" ? 0 : 7);
                std::ofstream(root + "/" + folder + "/neg/" + std::to_string(i) + ".txt")
                    << "the film was " << neg[k % 5] << " and " << neg[(k + 2) % 5];
                std::ofstream(root + "/" + folder + "/pos/" + std::to_string(i) + ".txt")
                    << "a " << pos[k % 5] << " film, " << pos[(k + 3) % 5];
            }
        const std::string sweep = root + "/sweep.json";
        std::string spec = R"({"name": "layers", "job": {"name": "text",
            "dataset": {"name": "text_folder", "path": "ROOT/train",
                        "test_path": "ROOT/test", "sequence_length": 8},
            "model": {"type": "sequential", "layers": [{"type": "embedding", "dim": 16},
                {"type": "repeat", "times": 1, "layers": [
                    {"type": "conv1d", "filters": 16, "activation": "relu"}]},
                {"type": "global_max_pool"}, {"type": "dense", "units": 2}]},
            "optimizer": {"learning_rate": 0.01},
            "training": {"epochs": 6, "batch_size": 16}, "profile": {"enabled": false}},
          "space": [
            {"name": "model.layers.1.times", "type": "choice", "values": [1, 2]},
            {"name": "model.layers.1.layers.0.type", "type": "choice",
             "values": ["conv1d", "lstm", "gru"]},
            {"name": "model.layers.1.layers.0.filters", "type": "choice", "values": [16],
             "when": {"model.layers.1.layers.0.type": ["conv1d"]}},
            {"name": "model.layers.1.layers.0.units", "type": "choice", "values": [16],
             "when": {"model.layers.1.layers.0.type": ["lstm", "gru"]}},
            {"name": "model.layers.1.layers.0.return_sequences", "type": "fixed", "value": true,
             "when": {"model.layers.1.layers.0.type": ["lstm", "gru"]}}],
          "oracle": {"type": "grid"}, "objective": {"metric": "val/accuracy"}, "max_trials": 6})";
        for (size_t at; (at = spec.find("ROOT")) != std::string::npos;)
            spec.replace(at, 4, root);
        std::ofstream(sweep) << spec;
        const std::string sweepDir = root + "/sweep";
        Result t = run({"tune", sweep, "--dir", sweepDir, "--retrain-best"});
        QVERIFY2(t.code == 0, t.err.c_str());
        QVERIFY2(t.err.find("6 trials (6 completed, 0 pruned, 0 failed)") != std::string::npos,
                 t.err.c_str());
        // Every combination of block count and layer type ran, each with its own fields.
        const auto trials =
            nlohmann::json::parse(run({"trials", sweepDir, "--json"}).out)["trials"];
        std::set<std::string> combos;
        for (const auto &trial : trials)
            combos.insert(trial["params"]["model.layers.1.layers.0.type"].get<std::string>() +
                          std::to_string(trial["params"]["model.layers.1.times"].get<int>()));
        QCOMPARE(combos.size(), size_t(6));
        const size_t at = t.out.find("best on the test folder: accuracy ");
        QVERIFY2(at != std::string::npos, t.out.c_str());
        QVERIFY(std::stod(t.out.substr(at + 34)) > 0.9);

        QProcess p;
        p.start(TRAINSCOPE_BINARY, {"evaluate", QString::fromStdString(sweepDir + "/best"),
                                    "--data", QString::fromStdString(root + "/test"), "--json"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const auto doc = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
        QCOMPARE(doc["examples"].get<int>(), 30);
        QVERIFY(doc["accuracy"].get<double>() > 0.9);
        QCOMPARE(doc["confusion_matrix"].size(), size_t(2));
        QCOMPARE(doc["classes"][1]["name"].get<std::string>(), std::string("pos"));
        Result text = run({"evaluate", sweepDir + "/best", "--data", root + "/test"});
        QVERIFY2(text.out.find("precision  recall\nneg  ") != std::string::npos, text.out.c_str());
        Result notRun = run({"evaluate", root + "/test", "--data", root + "/test"});
        QCOMPARE(notRun.code, 1);
        QVERIFY2(notRun.err.find("not a run Trainscope trained") != std::string::npos,
                 notRun.err.c_str());
        Result noData = run({"evaluate", sweepDir + "/best", "--data", root + "/none"});
        QCOMPARE(noData.code, 1);
        QVERIFY(noData.err.find(root + "/none: no such folder") != std::string::npos);
    }

    void badSpecsAndFailingJobs() {
        QTemporaryDir dir;
        const std::string spec = dir.filePath("bad.json").toStdString();
        std::ofstream(spec) << R"({"optimizer": {"type": "rmsprop"}})";
        Result r = run({"train", spec});
        QCOMPARE(r.code, 1);
        QCOMPARE(
            QString::fromStdString(r.err),
            QString::fromStdString("trainscope: " + spec +
                                   ": optimizer.type: 'rmsprop' is not one of sgd, adam, adamw\n"));
        const std::string good = dir.filePath("good.json").toStdString();
        std::ofstream(good) << R"({"name": "j", "dataset": {"path": "/no/such/dir"}})";
        Result bad =
            run({"train", good, "--logdir", dir.filePath("runs").toStdString(), "--set", "nope=1"});
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.err.find("nope: no such field") != std::string::npos);
        // A missing or corrupt dataset file is bad input (exit 1) naming dataset.path.
        Result failed = run({"train", good, "--logdir", dir.filePath("runs").toStdString()});
        QCOMPARE(failed.code, 1);
        QVERIFY2(failed.err.find("job 'j' failed: dataset.path: "
                                 "/no/such/dir/train-images-idx3-ubyte.gz: cannot open") !=
                     std::string::npos,
                 failed.err.c_str());
        const std::string cut = dir.filePath("cut").toStdString();
        std::filesystem::create_directory(cut);
        std::ofstream(cut + "/train-images-idx3-ubyte.gz") << std::string("\0\0\x08", 3);
        const std::string cutSpec = dir.filePath("cut.json").toStdString();
        std::ofstream(cutSpec) << "{\"name\": \"c\", \"dataset\": {\"path\": \"" + cut + "\"}}";
        Result corrupt = run({"train", cutSpec, "--logdir", dir.filePath("runs").toStdString()});
        QCOMPARE(corrupt.code, 1);
        QVERIFY2(corrupt.err.find("dataset.path: " + cut + "/train-images-idx3-ubyte.gz: ") !=
                     std::string::npos,
                 corrupt.err.c_str());
    }

    void badArgumentsAreBadInput() {
        QCOMPARE(run({"scalars"}).code, 1);
        QCOMPARE(run({"scalars", m_logdir, "--format", "xml"}).code, 1);
        Result r = run({"scalars", m_logdir, "--tag", "(["});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.find("--tag") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
