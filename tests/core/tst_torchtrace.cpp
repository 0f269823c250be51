// Real traces from the PyTorch users come from: Debian's python3-torch (no Kineto) writes them
// at test time through torch.profiler and tensorboard_trace_handler, with key_averages()'s own
// figures beside them. Trainscope finds the folder as a run and analyses the legacy trace as
// PyTorch does: ProfilerStep#N ranges are steps, per-operator self times match.
#include "core/events/logdirindex.h"
#include "core/profile/chrometrace.h"
#include "core/profile/stepanalysis.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

using namespace trainscope;
namespace fs = std::filesystem;

class TestTorchTrace : public QObject {
    Q_OBJECT
    QTemporaryDir m_logdir;
    QString m_runDir, m_trace;
    QJsonObject m_expected;
    QString m_skip;

private slots:
    void initTestCase() {
        m_runDir = m_logdir.filePath("mnist-worker");
        QProcess python;
        python.start(TRAINSCOPE_TORCH_PYTHON,
                     {QString(TRAINSCOPE_TEST_DATA) + "/../support/torch_trace.py", m_runDir});
        QVERIFY(python.waitForFinished(120000));
        if (python.exitCode() == 77) {
            m_skip = "python3-torch is not installed";
            return;
        }
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QFile expected(m_runDir + "/expected.json");
        QVERIFY(expected.open(QIODevice::ReadOnly));
        m_expected = QJsonDocument::fromJson(expected.readAll()).object();
        expected.remove(); // the run holds the trace alone, as a user's would
        m_trace = m_runDir + "/" + m_expected["trace"].toString();
        QVERIFY(QFile::exists(m_trace));
    }

    void legacyStepsAreProfilerSteps() {
        if (!m_skip.isEmpty()) QSKIP(qPrintable(m_skip));
        const TraceFile trace = readChromeTrace(m_trace.toStdString());
        // The string pid "CPU functions" becomes a number that keeps its name.
        QCOMPARE(trace.processNames.size(), size_t(1));
        QCOMPARE(trace.processNames.begin()->second, std::string("CPU functions"));
        const ProfileSummary summary = summarizeTrace(trace);
        const QJsonArray steps = m_expected["steps"].toArray();
        QVERIFY(steps.size() >= 3);
        QCOMPARE(summary.steps.size(), size_t(steps.size()));
        for (int i = 0; i < steps.size(); ++i) {
            const QJsonObject step = steps[i].toObject();
            QCOMPARE(QString("ProfilerStep#%1").arg(summary.steps[size_t(i)].step),
                     step["name"].toString());
            QCOMPARE(summary.steps[size_t(i)].totalMs * 1000, step["duration_us"].toDouble());
        }
        // Every instant of a CPU step is operator time: host compute, no input share.
        QVERIFY(summary.meanMs[size_t(TimeCategory::HostCompute)] > 0);
        QCOMPARE(summary.inputShare, 0.0);
    }

    void operatorSelfTimesMatchKeyAverages() {
        if (!m_skip.isEmpty()) QSKIP(qPrintable(m_skip));
        const ProfileSummary summary = summarizeTrace(readChromeTrace(m_trace.toStdString()));
        const QJsonArray ops = m_expected["ops"].toArray();
        QVERIFY(ops.size() > 10);
        QCOMPARE(summary.topOps.size(), size_t(ops.size())); // all of them, not a top 50
        std::map<std::string, const OpStats *> byName;
        for (const OpStats &op : summary.topOps)
            byName[op.name] = &op;
        for (int i = 0; i < ops.size(); ++i) {
            const QJsonObject want = ops[i].toObject();
            const std::string name = want["name"].toString().toStdString();
            QVERIFY2(byName.count(name), name.c_str());
            const OpStats &got = *byName[name];
            // The same whole microseconds, nested and summed alike: equal (a negative total,
            // which rounding can make, shows as none).
            const double self = std::max(0.0, want["self_cpu_us"].toDouble());
            QVERIFY2(std::abs(got.selfUs - self) < 1e-6,
                     qPrintable(QString("%1: %2 us, PyTorch %3 us")
                                    .arg(name.c_str())
                                    .arg(got.selfUs)
                                    .arg(self)));
            QCOMPARE(got.calls, want["count"].toInt());
        }
    }

    void exportKeepsProcessNames() {
        if (!m_skip.isEmpty()) QSKIP(qPrintable(m_skip));
        const TraceFile trace = readChromeTrace(m_trace.toStdString());
        const std::string out = m_logdir.filePath("exported.pt.trace.json").toStdString();
        writeChromeTrace(out, trace);
        const TraceFile again = readChromeTrace(out);
        QCOMPARE(again.processNames, trace.processNames);
        QCOMPARE(again.events.size(), trace.events.size());
        QCOMPARE(summarizeTrace(again).steps.size(), summarizeTrace(trace).steps.size());
        fs::remove(out);
    }

    // A folder of traces is a run, in either layout, through symlinks, and loops end.
    void traceFoldersAreRuns() {
        if (!m_skip.isEmpty()) QSKIP(qPrintable(m_skip));
        const fs::path root = m_logdir.path().toStdString();
        const fs::path plugin = root / "tb-run" / "plugins" / "profile" / "2026_12_01_10_00_00";
        fs::create_directories(plugin);
        fs::copy_file(m_trace.toStdString(), plugin / "host.pt.trace.json");
        QTemporaryDir outside;
        const fs::path elsewhere = fs::path(outside.path().toStdString()) / "shared-run";
        fs::create_directories(elsewhere);
        fs::copy_file(m_trace.toStdString(), elsewhere / "w1.1000.pt.trace.json");
        fs::copy_file(m_trace.toStdString(), elsewhere / "w1.900.pt.trace.json");
        fs::create_directory_symlink(elsewhere, root / "linked");
        fs::create_directory_symlink(root, elsewhere / "back-to-logdir"); // a loop

        LogdirIndex index(root);
        index.refresh();
        QStringList names;
        for (const auto &[name, run] : index.runs())
            names << QString::fromStdString(name);
        QCOMPARE(names, (QStringList{"linked", "mnist-worker", "tb-run"}));
        QCOMPARE(index.run("mnist-worker")->traces,
                 std::vector<std::string>{m_trace.toStdString()});
        QCOMPARE(index.run("tb-run")->traces.size(), size_t(1));
        const auto &linked = index.run("linked")->traces;
        QCOMPARE(linked.size(), size_t(2));
        QVERIFY(
            QString::fromStdString(linked.back()).endsWith("w1.1000.pt.trace.json")); // newest last
        QCOMPARE(latestProfilePath((root / "linked").string()), linked.back());
        // Nothing new on disk: the next poll reports no change.
        QVERIFY(index.refresh().empty());
    }
};

QTEST_GUILESS_MAIN(TestTorchTrace)
#include "tst_torchtrace.moc"
