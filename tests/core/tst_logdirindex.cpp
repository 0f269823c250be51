#include "core/events/eventwriter.h"
#include "core/events/logdirindex.h"
#include "tests/support/protobytes.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace trainscope;

class TestLogdirIndex : public QObject {
    Q_OBJECT

    static void writeRun(const std::string &dir, int points, const std::string &tag = "loss") {
        EventWriter w(dir);
        for (int i = 0; i < points; ++i)
            w.addScalar(tag, i, 1.0 / (i + 1), 1000.0 + i);
    }

private slots:
    void findsRunsRecursivelyWithTagsByKind() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        writeRun(root + "/mnist/lr_0.1", 5);
        writeRun(root + "/mnist/lr_0.01", 7);
        {
            EventWriter w(root + "/deep/er/run");
            w.addScalar("acc", 1, 0.5);
            w.addHistogram("w", 1, std::vector<double>{1, 2, 3});
        }
        { std::ofstream(root + "/mnist/notes.txt") << "not an event file"; }

        LogdirIndex index(root);
        const auto changed = index.refresh();
        QCOMPARE(changed.size(), size_t(3));
        QCOMPARE(index.runs().size(), size_t(3));
        QVERIFY(index.problems().empty());
        const RunData *a = index.run("mnist/lr_0.1");
        QVERIFY(a);
        QCOMPARE(a->tag("loss")->scalars.size(), size_t(5));
        QCOMPARE(a->eventCount, uint64_t(6)); // file_version + 5 scalars
        QCOMPARE(a->firstWallTime <= 1000.0, true);
        const RunData *deep = index.run("deep/er/run");
        QVERIFY(deep);
        QCOMPARE(deep->countTags(TagKind::Scalar), size_t(1));
        QCOMPARE(deep->countTags(TagKind::Histogram), size_t(1));
        QCOMPARE(index.run("mnist/lr_0.01")->tag("loss")->scalars.value(6), float(1.0 / 7));
    }

    // A poll with a byte budget reads runs until it is spent and names the rest, so a window
    // shows every run at once and their data as it is read; nothing is lost on the way.
    void aBudgetReadsRunsInTurnsAndNamesTheRest() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        for (const char *run : {"a", "b", "c"})
            writeRun(root + "/" + run, 100);
        LogdirIndex index(root);
        LogdirDelta first = index.poll(1); // one byte: the first run is read whole
        QCOMPARE(first.runsPending, size_t(2));
        QCOMPARE(first.runs.size(), size_t(3)); // b and c named, with no data yet
        index.apply(std::move(first));
        QCOMPARE(index.run("a")->tag("loss")->scalars.size(), size_t(100));
        QVERIFY(index.run("b") && index.run("b")->tags.empty());
        LogdirDelta second = index.poll(1);
        QCOMPARE(second.runsPending, size_t(1));
        QCOMPARE(second.runs.size(), size_t(1)); // c was named already
        index.apply(std::move(second));
        QCOMPARE(index.run("b")->tag("loss")->scalars.size(), size_t(100));
        LogdirDelta third = index.poll(1);
        QCOMPARE(third.runsPending, size_t(0));
        index.apply(std::move(third));
        QCOMPARE(index.run("c")->tag("loss")->scalars.size(), size_t(100));
        QCOMPARE(index.run("c")->eventCount, uint64_t(101));
        QVERIFY(index.refresh().empty()); // nothing new, nothing read twice
    }

    void picksUpNewRunsNewFilesAndAppendedBytes() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        EventWriter live(root + "/live", {0.01, {}});
        live.addScalar("x", 0, 0.0);
        live.flush();

        LogdirIndex index(root);
        index.refresh();
        QCOMPARE(index.run("live")->tag("x")->scalars.size(), size_t(1));

        live.addScalar("x", 1, 1.0);
        live.addScalar("y", 1, 5.0);
        live.flush();
        writeRun(root + "/later", 3);
        const auto changed = index.refresh();
        QCOMPARE(changed.size(), size_t(2));
        QCOMPARE(index.run("live")->tag("x")->scalars.size(), size_t(2));
        QCOMPARE(index.run("live")->tag("y")->scalars.value(0), 5.0f);
        QCOMPARE(index.run("later")->tag("loss")->scalars.size(), size_t(3));

        // A second file in an existing run (a restarted job) is read too.
        writeRun(root + "/later", 2, "loss");
        index.refresh();
        QCOMPARE(index.run("later")->tag("loss")->scalars.size(), size_t(5));
        QVERIFY(index.refresh().empty()); // nothing new: nothing changed
    }

    void metadataFromAnEarlierFileAppliesToLaterFiles() {
        QTemporaryDir dir;
        const std::string run = dir.path().toStdString() + "/tf";
        QVERIFY(QDir().mkpath(QString::fromStdString(run)));
        auto tensor = [](float v) { return pbtest::Msg().varint(1, 1).packedFloats(5, {v}); };
        pbtest::writeRecords(
            run + "/events.out.tfevents.1.a",
            {pbtest::summaryEvent(1, 1,
                                  pbtest::value("h", "histograms")
                                      .msg(8, pbtest::Msg()
                                                  .varint(1, 2)
                                                  .msg(2, pbtest::Msg()
                                                              .msg(2, pbtest::Msg().varint(1, 1))
                                                              .msg(2, pbtest::Msg().varint(1, 3)))
                                                  .packedDoubles(6, {0, 1, 2})))});
        pbtest::writeRecords(
            run + "/events.out.tfevents.2.b",
            {pbtest::summaryEvent(2, 2, pbtest::value("s", "scalars").msg(8, tensor(1.5f)))});
        LogdirIndex index(dir.path().toStdString());
        index.refresh();
        QCOMPARE(index.run("tf")->tag("h")->kind, TagKind::Histogram);
        QCOMPARE(index.run("tf")->tag("s")->scalars.value(0), 1.5f);
    }

    void missingRootIsReportedOnce() {
        LogdirIndex index("/nonexistent/trainscope/logdir");
        index.refresh();
        index.refresh();
        QCOMPARE(index.problems().size(), size_t(1));
        QVERIFY(index.problems()[0].reason.find("no such directory") != std::string::npos);
        QVERIFY(index.runs().empty());
    }

    void corruptFileKeepsEveryReadablePoint() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        writeRun(root + "/ok", 4);
        QVERIFY(QDir().mkpath(dir.filePath("broken")));
        std::string good =
            pbtest::frame(pbtest::summaryEvent(1, 1, pbtest::value("loss").fixed32(2, 1)));
        std::string bad = good;
        bad[bad.size() - 5] ^= 1;
        {
            std::ofstream(root + "/broken/events.out.tfevents.1.x", std::ios::binary)
                << good << bad << good.substr(0, 9);
        }
        LogdirIndex index(root);
        index.refresh();
        QCOMPARE(index.runs().size(), size_t(2));
        QCOMPARE(index.run("broken")->tag("loss")->scalars.size(), size_t(1));
        QCOMPARE(index.problems().size(),
                 size_t(1)); // the truncated tail is waited for, not reported
        QCOMPARE(index.problems()[0].offset, uint64_t(good.size()));
    }
};

QTEST_GUILESS_MAIN(TestLogdirIndex)
#include "tst_logdirindex.moc"
