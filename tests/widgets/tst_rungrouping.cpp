// Which group a run is drawn in: a pattern's captures, its parent folder, an hparam's value.
#include "core/events/rundata.h"
#include "widgets/scalars/rungrouping.h"

#include <QtTest>

using namespace trainscope;

class TestRunGrouping : public QObject {
    Q_OBJECT

private slots:
    void patternCapturesNameTheGroup() {
        Grouping g;
        g.by = GroupBy::Pattern;
        g.pattern = R"((.*)/seed\d+)";
        QCOMPARE(groupOfRun("lr=0.1/seed1", g, nullptr), QString("lr=0.1"));
        QCOMPARE(groupOfRun("lr=0.1/seed22", g, nullptr), QString("lr=0.1"));
        QCOMPARE(groupOfRun("baseline", g, nullptr), QString("baseline")); // alone
        g.pattern = R"(^(\w+)-(\w+)-\d+$)";                                // two captures
        QCOMPARE(groupOfRun("adam-wide-3", g, nullptr), QString("adam/wide"));
        g.pattern = R"(^[a-z]+)"; // no capture: the whole match
        QCOMPARE(groupOfRun("adam3", g, nullptr), QString("adam"));
    }

    void aBrokenPatternIsSaid() {
        QVERIFY(groupingPatternError("(unclosed").size() > 0);
        QVERIFY(groupingPatternError(R"((.*)/seed\d+)").isEmpty());
        Grouping g;
        g.by = GroupBy::Pattern;
        g.pattern = "(unclosed";
        QCOMPARE(groupOfRun("a/b", g, nullptr), QString("a/b")); // every run alone
    }

    void parentFolder() {
        Grouping g;
        g.by = GroupBy::ParentFolder;
        QCOMPARE(groupOfRun("sweep/lr=0.1/seed1", g, nullptr), QString("sweep/lr=0.1"));
        QCOMPARE(groupOfRun("top", g, nullptr), QString("."));
    }

    void hparamValue() {
        RunHParams hp;
        hp.values["lr"] = HParamValue(0.01);
        hp.values["optimizer"] = HParamValue(std::string("adam"));
        Grouping g;
        g.by = GroupBy::HParam;
        g.hparam = "optimizer";
        QCOMPARE(groupOfRun("run-1", g, &hp), QString("optimizer=adam"));
        g.hparam = "lr";
        QCOMPARE(groupOfRun("run-1", g, &hp), QString("lr=0.01"));
        g.hparam = "momentum";
        QCOMPARE(groupOfRun("run-1", g, &hp), QString("momentum=(none)"));
        QCOMPARE(groupOfRun("run-2", g, nullptr), QString("momentum=(none)"));
    }

    void noneIsNoGroup() { QVERIFY(groupOfRun("a/b", Grouping{}, nullptr).isEmpty()); }
};

QTEST_APPLESS_MAIN(TestRunGrouping)
#include "tst_rungrouping.moc"
