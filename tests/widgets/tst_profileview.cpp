#include "app/profileloader.h"
#include "core/profile/stepanalysis.h"
#include "core/profile/timelineindex.h"
#include "widgets/profile/breakdownbars.h"
#include "widgets/profile/kernelstatsmodel.h"
#include "widgets/profile/memoryview.h"
#include "widgets/profile/opstatsmodel.h"
#include "widgets/profile/profilecompareview.h"
#include "widgets/profile/profilediffmodels.h"
#include "widgets/profile/profileview.h"
#include "widgets/profile/stagestatsmodel.h"
#include "widgets/profile/statstable.h"
#include "widgets/profile/steptimechart.h"
#include "widgets/profile/tracestatsview.h"
#include "widgets/timeline/timelineview.h"
#include "widgets/timeline/traceview.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

using namespace trainscope;

namespace {

QVector<StepStats> steps(int first, int count, double inputMs) {
    QVector<StepStats> out;
    for (int i = first; i < first + count; ++i) {
        StepStats s;
        s.step = i;
        s.ms[size_t(TimeCategory::Input)] = inputMs + i;
        s.ms[size_t(TimeCategory::DeviceCompute)] = 10;
        s.ms[size_t(TimeCategory::Other)] = 0.5;
        s.totalMs = inputMs + i + 10.5;
        out.append(s);
    }
    return out;
}

// Four steps of `stepMs` (the first `inputMs` waiting for input), an operator in each, and the
// name of a second operator only this profile has.
std::shared_ptr<const TraceFile> stepTrace(double stepMs, double inputMs, const char *op) {
    auto t = std::make_shared<TraceFile>();
    constexpr int64_t ms = 1'000'000;
    for (int i = 0; i < 4; ++i) {
        const int64_t at = i * 50 * ms, step = int64_t(stepMs * ms), input = int64_t(inputMs * ms);
        t->events.push_back({"ProfilerStep#" + std::to_string(i), "step", at, step, 0, 1, {}});
        t->events.push_back({"input", "input", at, input, 0, 1, {}});
        t->events.push_back({"forward", "host_compute", at + input, step - input, 0, 1, {}});
        t->events.push_back({"aten::addmm", "cpu_op", at + input, ms, 0, 1, {}});
        t->events.push_back({op, "cpu_op", at + input + ms, ms / 2, 0, 1, {}});
    }
    return t;
}

ProfileSummary summary() {
    ProfileSummary s;
    const QVector<StepStats> profiled = steps(100, 3, 1);
    s.steps.assign(profiled.begin(), profiled.end());
    s.meanStepMs = 20;
    s.meanMs[size_t(TimeCategory::Input)] = 12;
    s.meanMs[size_t(TimeCategory::DeviceCompute)] = 7;
    s.meanMs[size_t(TimeCategory::Other)] = 1;
    s.inputShare = 0.6;
    s.verdict = InputVerdict::HighlyInputBound;
    s.verdictText = "60% of the mean step waits for input.";
    s.recommendations = {"Raise pipeline.map_workers (now 1) or set it to autotune.",
                         "Set pipeline.cache to memory: preprocessing repeats every epoch."};
    s.stages = {{"batch", 100, 50, 2}, {"augment", 100, 400, 2}, {"read", 100, 120, 2}};
    s.topOps = {{"aten::addmm", 9, 900, 80, 120, 900},
                {"aten::convolution", 10, 5000, 400, 600, 4900},
                {"aten::relu", 40, 200, 4, 6, 200},
                {"aten::conv2d", 10, 5100, 410, 620, 100}}; // conv2d's time is mostly convolution's
    s.device = "cpu";
    s.deviceNote = "no GPU: host and operator tracing only";
    return s;
}

} // namespace

class TestProfileView : public QObject {
    Q_OBJECT
private slots:
    void stackedBarsPerCategory() {
        ProfileView view;
        view.resize(900, 700);
        view.addJob(1, "mlp");
        view.appendSteps(1, steps(0, 10, 2));
        StepTimeChart *chart = view.chart();
        QCustomPlot *plot = chart->plot();
        QCOMPARE(plot->plottableCount(), kTimeCategories);
        QCOMPARE(plot->legend->itemCount(), kTimeCategories);
        for (int c = 0; c < kTimeCategories; ++c) {
            QCPBars *bars = chart->bars(TimeCategory(c));
            QCOMPARE(bars->name(), timeCategoryLabel(TimeCategory(c)));
            QCOMPARE(bars->data()->size(), 10);
            QCOMPARE(bars->barBelow(), c ? chart->bars(TimeCategory(c - 1)) : nullptr);
            for (int other = 0; other < c; ++other) // distinct colours
                QVERIFY(bars->brush().color() != chart->bars(TimeCategory(other))->brush().color());
        }
        QCOMPARE(timeCategoryLabel(TimeCategory::HostToDevice), QString("host to device"));
        const QCPBars *input = chart->bars(TimeCategory::Input);
        QCOMPARE(input->data()->at(3)->key, 3.0);
        QCOMPARE(input->data()->at(3)->value, 5.0);
        QCOMPARE(chart->bars(TimeCategory::DeviceCompute)->data()->at(3)->value, 10.0);
        QVERIFY(plot->yAxis->range().upper >= 2 + 9 + 10.5); // the tallest stack fits
        QVERIFY(chart->toolTipAt(3.1).contains("input: 5.00 ms (32%)"));
        QVERIFY(chart->toolTipAt(3.1).startsWith("step 3: 15.50 ms"));
        QVERIFY(chart->toolTipAt(3.5).isEmpty());

        view.appendSteps(1, steps(10, 5, 2)); // live
        QCOMPARE(input->data()->size(), 15);
        QCOMPARE(plot->xAxis->range().upper, 14.6);
        view.appendSteps(1, steps(14, 1, 100)); // a step seen again replaces its bar
        QCOMPARE(input->data()->size(), 15);
        QCOMPARE((input->data()->constEnd() - 1)->value, 114.0);

        view.appendSteps(2, steps(0, 4, 0)); // another job: listed, not drawn
        QCOMPARE(view.currentJob(), 1);
        QCOMPARE(input->data()->size(), 15);
        auto *combo = view.findChild<QComboBox *>("job");
        QCOMPARE(combo->count(), 2);
        QCOMPARE(combo->itemText(0), QString("mlp"));
        QCOMPARE(combo->itemText(1), QString("job 2"));
        view.addJob(2, "cnn");
        QCOMPARE(combo->itemText(1), QString("cnn"));
        view.setCurrentJob(2);
        QCOMPARE(combo->currentText(), QString("cnn"));
        QCOMPARE(input->data()->size(), 4);
        view.setCurrentJob(1);
        QCOMPARE(input->data()->size(), 15);
    }

    void summaryFillsLabelsAndTables() {
        ProfileView view;
        QAbstractItemModelTester opsTester(view.operatorModel(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            view.operatorProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester stageTester(
            view.stageModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.addJob(5, "input-bound");
        QVERIFY(view.verdictText().startsWith("No analysis yet"));
        view.setSummary(5, summary());

        QCOMPARE(view.verdictText(),
                 QString("Highly input-bound: 60% of the mean step waits for input."));
        QVERIFY(view.findChild<QLabel *>("verdict")->styleSheet().contains("#c62828"));
        QCOMPARE(view.breakdownText(),
                 QString("Mean step 20.00 ms · input 12.00 ms (60%) · "
                         "device compute 7.00 ms (35%) · other 1.00 ms (5%)"));
        QCOMPARE(view.findChild<QLabel *>("device")->text(),
                 QString("Device: cpu. no GPU: host and operator tracing only"));
        QCOMPARE(view.recommendations().size(), 2);
        QVERIFY(view.recommendations()[1].contains("pipeline.cache"));
        QCOMPARE(view.chart()->stepCount(), 3); // a summary's steps are drawn too

        StageStatsModel *stages = view.stageModel();
        QCOMPARE(stages->rowCount(), 3);
        QCOMPARE(stages->index(0, StageStatsModel::StageColumn).data().toString(),
                 QString("augment"));
        QCOMPARE(stages->index(2, StageStatsModel::StageColumn).data().toString(),
                 QString("batch"));
        QCOMPARE(stages->index(0, StageStatsModel::CpuPerBatchColumn).data().toString(),
                 QString("4.000"));
        // Two workers ran it at once: half the CPU time, summed over them, a batch waited.
        QCOMPARE(stages->index(0, StageStatsModel::WallPerBatchColumn).data().toString(),
                 QString("2.000"));
        QCOMPARE(stages->index(1, StageStatsModel::WorkersColumn).data().toString(), QString("2"));
        QCOMPARE(stages->headerData(3, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("CPU ms/batch"));

        QSortFilterProxyModel *ops = view.operatorProxy();
        QCOMPARE(ops->rowCount(), 4);
        auto cell = [&](int row, int column) { return ops->index(row, column).data().toString(); };
        // Sorted by self time, largest first, by default.
        QCOMPARE(cell(0, OpStatsModel::NameColumn), QString("aten::convolution"));
        QCOMPARE(cell(0, OpStatsModel::SelfColumn), QString("4.90"));
        ops->sort(OpStatsModel::TotalColumn, Qt::DescendingOrder);
        QCOMPARE(cell(0, OpStatsModel::NameColumn), QString("aten::conv2d"));
        QCOMPARE(cell(0, OpStatsModel::TotalColumn), QString("5.10"));
        QCOMPARE(cell(0, OpStatsModel::MeanColumn), QString("510.0"));
        QCOMPARE(cell(0, OpStatsModel::MinColumn), QString("410.0"));
        QCOMPARE(cell(0, OpStatsModel::MaxColumn), QString("620.0"));
        ops->sort(OpStatsModel::CallsColumn, Qt::AscendingOrder); // numerically: 9 before 10
        QCOMPARE(cell(0, OpStatsModel::CallsColumn), QString("9"));
        QCOMPARE(cell(3, OpStatsModel::CallsColumn), QString("40"));

        view.setOperatorFilter("CONV");
        QCOMPARE(ops->rowCount(), 2);
        QVERIFY(cell(0, 0).contains("conv") && cell(1, 0).contains("conv"));
        view.setOperatorFilter("relu");
        QCOMPARE(ops->rowCount(), 1);
        QCOMPARE(cell(0, OpStatsModel::MeanColumn), QString("5.0"));
        view.setOperatorFilter({});
        QCOMPARE(ops->rowCount(), 4);

        // Another job's analysis waits until that job is shown.
        ProfileSummary calm;
        calm.verdict = InputVerdict::NotInputBound;
        calm.verdictText = "5% of the mean step waits for input.";
        view.setSummary(6, calm);
        QCOMPARE(view.currentJob(), 5);
        QCOMPARE(ops->rowCount(), 4);
        view.setCurrentJob(6);
        QCOMPARE(ops->rowCount(), 0);
        QCOMPARE(view.recommendations(), QStringList{"Nothing to change."});
        QVERIFY(view.findChild<QLabel *>("verdict")->styleSheet().contains("#2e7d32"));
        QCOMPARE(inputVerdictColor(InputVerdict::ModeratelyInputBound), QColor("#e65100"));
        view.clear();
        QCOMPARE(view.currentJob(), -1);
        QCOMPARE(view.chart()->stepCount(), 0);
        QCOMPARE(view.stageModel()->rowCount(), 0);
    }

    void traceFillsTheTimelineMemoryAndStatistics() {
        ProfileView view;
        auto trace = std::make_shared<TraceFile>();
        trace->events = {{"ProfilerStep#1", "step", 0, 1000000, 0, 1, {}},
                         {"aten::mm", "cpu_op", 100000, 400000, 0, 1, {}},
                         {"aten::mm", "cpu_op", 600000, 200000, 0, 1, {}}};
        trace->memory = {{100000, 0x1000, 4096, 4096, -1, "cpu"},
                         {700000, 0x1000, -4096, 0, -1, "cpu"}};
        trace->deviceInfo.note = "no GPU: host and operator tracing only";
        view.setTrace(7, trace);
        QCOMPARE(view.currentJob(), 7);
        // Sections are filled when shown (a live trace changes every second).
        QVERIFY(view.memoryView()->timeline().devices.empty());
        QVERIFY(view.selectSection("trace"));
        QTRY_VERIFY(view.traceView()->index() && view.traceView()->index()->laneCount() == 1);
        QVERIFY(view.selectSection("memory"));
        QCOMPARE(view.traceView()->noteText(), QString("no GPU: host and operator tracing only"));
        QCOMPARE(view.memoryView()->timeline().devices.size(), size_t(1));
        QCOMPARE(view.memoryView()->timeline().devices[0].summary.peakBytes, int64_t(4096));
        QVERIFY(view.selectSection("operators"));
        OpStatsModel *ops = view.statsView()->operatorModel();
        QCOMPARE(ops->rowCount(), 1);
        QCOMPARE(
            ops->data(ops->index(0, OpStatsModel::CallsColumn), OpStatsModel::SortRole).toInt(), 2);
        QCOMPARE(view.statsView()->kernelModel()->rowCount(), 0);
        QVERIFY(view.statsView()->kernelNote().contains("no GPU"));
        QVERIFY(view.selectSection("Memory"));
        QCOMPARE(view.sections()->currentWidget(), view.memoryView());
        QVERIFY(!view.selectSection("flame graph"));
    }

    void compareSetsTwoProfilesSideBySide() {
        ProfileView view;
        const auto slow = stepTrace(20, 12, "aten::relu"), fixed = stepTrace(8, 1, "aten::gelu");
        view.addJob(1, "slow");
        view.addJob(2, "fixed");
        view.setSummary(1, summarizeTrace(*slow));
        view.setTrace(1, slow);
        view.setSummary(2, summarizeTrace(*fixed));
        view.setTrace(2, fixed);
        ProfileCompareView *compare = view.compareView();
        for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{
                 compare->categoryModel(), compare->operatorModel(), compare->stageModel(),
                 compare->memoryModel()})
            new QAbstractItemModelTester(
                model, QAbstractItemModelTester::FailureReportingMode::QtTest, compare);
        QSignalSpy shown(compare, &ProfileCompareView::diffShown);
        view.compare(1, 2);
        QCOMPARE(view.sections()->currentWidget(), compare);
        QVERIFY(shown.wait(5000));
        QCOMPARE(compare->baseline(), 1);
        QCOMPARE(compare->candidate(), 2);
        QVERIFY2(
            compare->headlineText().startsWith(
                "Mean step 20.00 → 8.00 ms (-60.0 %): 2.50× faster over 4 and 4 profiled steps"),
            qPrintable(compare->headlineText()));
        QVERIFY(compare->headlineText().contains("Baseline: Highly input-bound (input 60.0 %)"));
        QCOMPARE(compare->bars()->barLength(0), 20.0);
        QCOMPARE(compare->bars()->barLength(1), 8.0);
        // Input, host compute, then the whole step.
        CategoryDiffModel *categories = compare->categoryModel();
        QCOMPARE(categories->rowCount(), 3);
        QCOMPARE(categories->index(0, CategoryDiffModel::CategoryColumn).data().toString(),
                 QString("input"));
        QCOMPARE(categories->index(0, CategoryDiffModel::DeltaColumn).data().toString(),
                 QString("-11.000"));
        QCOMPARE(categories->index(2, CategoryDiffModel::PercentColumn).data().toString(),
                 QString("-60.0 %"));
        // Operators: relu vanished, gelu is new, addmm unchanged; the table sorts by |Δ|.
        QSortFilterProxyModel *ops = compare->operatorTable()->proxy();
        QCOMPARE(ops->rowCount(), 3);
        QCOMPARE(ops->index(2, NameDiffModel::NameColumn).data().toString(),
                 QString("aten::addmm"));
        QStringList presence;
        for (int row = 0; row < 2; ++row)
            presence << ops->index(row, NameDiffModel::PresenceColumn).data().toString();
        presence.sort();
        QCOMPARE(presence, QStringList({"new", "vanished"}));

        // The timelines are aligned at the picked step, at one time scale.
        QVERIFY(compare->selectPart("timelines"));
        QTRY_VERIFY(compare->timeline(0)->index() && compare->timeline(1)->index());
        compare->alignAtStep(2);
        TimelineView *top = compare->timeline(0)->timeline(),
                     *bottom = compare->timeline(1)->timeline();
        const double spanTop = top->visibleEndNs() - top->visibleStartNs();
        QCOMPARE(bottom->visibleEndNs() - bottom->visibleStartNs(), spanTop);
        QVERIFY(top->visibleStartNs() < 100e6 && top->visibleEndNs() > 120e6); // step 2: 100-120 ms
        top->panBy(0.25);                                                      // the other follows
        QCOMPARE(bottom->visibleStartNs(), top->visibleStartNs());
    }

    // A job's own profile, found in its run directory by the logdir watcher, is the job's
    // entry, not a second one; a job that starts leaves the view on what is shown.
    void eachRunListedOnceAndNewJobsWait() {
        ProfileView view;
        view.addJob(1, "demo-slow-input");
        view.setJobRun(1, "/logs/demo-slow-input");
        QCOMPARE(view.addSavedProfile("run demo-slow-input",
                                      "/logs/demo-slow-input/plugins/profile/1/h.pt.trace.json.gz"),
                 1);
        QCOMPARE(view.jobCount(), 1);
        QVERIFY(
            view.addSavedProfile("run demo-slow-input-2",
                                 "/logs/demo-slow-input-2/plugins/profile/1/h.pt.trace.json.gz") !=
            1); // a sibling run whose name merely starts alike
        QCOMPARE(view.jobCount(), 2);
        view.addJob(7, "later");
        QCOMPARE(view.currentJob(), 1);
    }

    void readingShowsHowFarItGot() {
        ProfileView view; // no loader answers: the read stays under way
        const int id = view.addSavedProfile("big", "/data/big.pt.trace.json");
        QCOMPARE(view.verdictText(), QString("Reading /data/big.pt.trace.json …"));
        view.setLoadProgress(id, 0.456);
        QCOMPARE(view.verdictText(), QString("Reading /data/big.pt.trace.json … 45 %"));
        view.setLoadFailed(id, "/data/big.pt.trace.json: truncated");
        view.setLoadProgress(id, 0.9); // late: the read is over
        QVERIFY(view.verdictText().startsWith("Cannot open the profile"));
    }

    void savedProfilesLoadInTheBackground() {
        ProfileView view;
        new ProfileLoader(&view); // the app's reader, as the main window wires it
        const int id = view.addSavedProfile("resnet", TRAINSCOPE_TEST_DATA
                                            "/traces/resnet_step.pt.trace.json");
        QCOMPARE(view.currentJob(), id);
        QCOMPARE(
            view.addSavedProfile("again", TRAINSCOPE_TEST_DATA "/traces/resnet_step.pt.trace.json"),
            id); // listed once
        QTRY_VERIFY(view.verdictText().startsWith("Not input-bound"));
        QVERIFY(view.selectSection("operators"));
        QTRY_COMPARE(view.statsView()->kernelModel()->rowCount(), 1);
        QVERIFY(view.selectSection("trace"));
        QTRY_VERIFY(view.traceView()->index() && view.traceView()->index()->hasGpuLane());

        QTemporaryDir dir;
        const QString broken = dir.filePath("broken.pt.trace.json");
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"traceEvents\": [");
        f.close();
        view.setCurrentJob(view.addSavedProfile("broken", broken));
        QTRY_VERIFY(view.loadError().startsWith(broken + ": not a valid JSON trace"));
        QVERIFY(view.verdictText().startsWith("Cannot open the profile: " + broken));
    }
};

QTEST_MAIN(TestProfileView)
#include "tst_profileview.moc"
