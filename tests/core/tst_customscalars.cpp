// TensorBoard's custom_scalars layouts, as SummaryWriter.add_custom_scalars writes them (bytes
// built field by field here), decoded and merged across runs.
#include "core/events/customscalars.h"
#include "core/events/logdirindex.h"
#include "tests/support/protobytes.h"

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

using namespace trainscope;
using pbtest::layout;
using pbtest::layoutCategory;
using pbtest::marginChart;
using pbtest::Msg;
using pbtest::multilineChart;

class TestCustomScalars : public QObject {
    Q_OBJECT

private slots:
    void multilineAndMarginCharts() {
        const Msg written = layout(
            {layoutCategory("Losses", {multilineChart("all losses", {"loss/.*", "val/loss"})}),
             layoutCategory("Bounds", {marginChart("acc", "acc/mean", "acc/lo", "acc/hi")}, true)});
        const std::optional<CustomLayout> got = decodeCustomLayout(written.str());
        QVERIFY(got);
        QCOMPARE(got->categories.size(), size_t(2));
        const CustomCategory &losses = got->categories[0];
        QCOMPARE(losses.title, std::string("Losses"));
        QVERIFY(!losses.closed);
        QCOMPARE(losses.charts.size(), size_t(1));
        QCOMPARE(losses.charts[0].title, std::string("all losses"));
        QCOMPARE(losses.charts[0].tagPatterns, (std::vector<std::string>{"loss/.*", "val/loss"}));
        const CustomCategory &bounds = got->categories[1];
        QVERIFY(bounds.closed);
        QCOMPARE(bounds.charts[0].margins.size(), size_t(1));
        QCOMPARE(bounds.charts[0].margins[0].value, std::string("acc/mean"));
        QCOMPARE(bounds.charts[0].margins[0].lower, std::string("acc/lo"));
        QCOMPARE(bounds.charts[0].margins[0].upper, std::string("acc/hi"));
    }

    // Before MultilineChartContent, a chart's field 2 was the regex itself.
    void theOldFormsRegexesAreRead() {
        const Msg chart = Msg().bytes(1, "old").bytes(2, "loss/.*").bytes(2, "acc");
        const auto got = decodeCustomLayout(layout({layoutCategory("c", {chart})}).str());
        QVERIFY(got);
        QCOMPARE(got->categories[0].charts[0].tagPatterns,
                 (std::vector<std::string>{"loss/.*", "acc"}));
    }

    void malformedIsRefused() {
        std::string bytes = layout({layoutCategory("c", {multilineChart("t", {"a"})})}).str();
        QVERIFY(!decodeCustomLayout(bytes.substr(0, bytes.size() - 2)));
        QVERIFY(!decodeCustomLayout(std::string("\x12\xff\xff\xff\x0f", 5)));
        QVERIFY(decodeCustomLayout("")->empty());
    }

    // From a logdir: layouts in two runs merge by category title (a chart both hold, once);
    // a run whose layout is garbage is named, and the others are kept.
    void layoutsOfALogdirMerge() {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        auto write = [&](const std::string &run, const std::string &event) {
            std::filesystem::create_directories(root / run);
            pbtest::writeRecords((root / run / "events.out.tfevents.1.host.1.0").string(),
                                 {pbtest::fileVersionEvent(1000.0), event});
        };
        write("a",
              pbtest::layoutEvent(
                  1000.0, layout({layoutCategory("Losses", {multilineChart("l", {"loss"})})})));
        write("b", pbtest::layoutEvent(
                       1000.0, layout({layoutCategory("Losses", {multilineChart("l", {"loss"}),
                                                                 multilineChart("v", {"val"})}),
                                       layoutCategory("More", {multilineChart("m", {"m"})})})));
        const Msg garbage = Msg().varint(1, 7).msg(2, Msg()).bytes(8, "\x12\x05zz");
        write("c",
              pbtest::summaryEvent(
                  1000.0, 0,
                  pbtest::value(std::string(kCustomScalarsTag), "custom_scalars").msg(8, garbage)));
        LogdirIndex index(root);
        index.refresh();
        std::vector<const RunData *> runs;
        for (const auto &[name, run] : index.runs())
            runs.push_back(&run);
        std::vector<std::string> problems;
        const CustomLayout merged = mergeCustomLayouts(runs, problems);
        QCOMPARE(merged.categories.size(), size_t(2));
        QCOMPARE(merged.categories[0].title, std::string("Losses"));
        QCOMPARE(merged.categories[0].charts.size(), size_t(2)); // "l" once, then "v"
        QCOMPARE(merged.categories[0].charts[1].title, std::string("v"));
        QCOMPARE(merged.categories[1].title, std::string("More"));
        QCOMPARE(problems.size(), size_t(1));
        QVERIFY2(problems[0].rfind("c: ", 0) == 0, problems[0].c_str());
    }
};

QTEST_APPLESS_MAIN(TestCustomScalars)
#include "tst_customscalars.moc"
