#include "widgets/metatypes.h"
#include "widgets/profile/statstable.h"
#include "widgets/tune/parallelcoordinates.h"
#include "widgets/tune/scoreplot.h"
#include "widgets/tune/trialtablemodel.h"
#include "widgets/tune/tuningview.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QImage>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QtTest>
#include <set>
#include <thread>

using namespace trainscope;

namespace {

SweepSpec sweep(const std::string &name, bool maximize = true) {
    Param lr;
    lr.name = "optimizer.learning_rate";
    lr.kind = ParamKind::Float;
    lr.min = 1e-4;
    lr.max = 1e-2;
    lr.scale = Scale::Log;
    Param hidden;
    hidden.name = "model.hidden";
    hidden.kind = ParamKind::Int;
    hidden.min = 64;
    hidden.max = 512;
    hidden.step = 64;
    Param type;
    type.name = "optimizer.type";
    type.kind = ParamKind::Choice;
    type.choices = {std::string("adam"), std::string("sgd"), std::string("adamw")};
    SweepSpec s;
    s.name = name;
    s.job = JobSpec{};
    s.space = SearchSpace({lr, hidden, type});
    s.objective = maximize ? Objective{"val/accuracy", true} : Objective{"val/loss", false};
    s.maxTrials = 10;
    return s;
}

Trial trial(int id, TrialStatus status, std::optional<double> score, double lr, int hidden,
            const std::string &type = "adam") {
    Trial t;
    t.id = id;
    t.status = status;
    t.score = score;
    t.params = {{"optimizer.learning_rate", lr},
                {"model.hidden", int64_t(hidden)},
                {"optimizer.type", type}};
    t.runDir = "trial-" + std::to_string(id);
    return t;
}

// Three completed trials, a pruned and a running one; trial 2 is the best by accuracy.
std::vector<Trial> trials() {
    return {trial(1, TrialStatus::Completed, 0.81, 1e-4, 64),
            trial(2, TrialStatus::Completed, 0.91, 1e-3, 512, "sgd"),
            trial(3, TrialStatus::Pruned, 0.42, 1e-2, 128),
            trial(4, TrialStatus::Completed, 0.86, 3e-3, 256, "adamw"),
            trial(5, TrialStatus::Running, std::nullopt, 5e-4, 192)};
}

} // namespace

class TestTuningView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { registerMetaTypes(); }

    void headerTableAndPlotsShowTheCurrentSweep() {
        TuningView view;
        QAbstractItemModelTester tester(view.trialModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&view, &TuningView::currentSweepChanged);
        view.addSweep("/sweeps/a", sweep("alpha"));
        view.addSweep("/sweeps/b/", sweep("beta", false));
        QCOMPARE(view.sweepDirs(), QStringList({"/sweeps/a", "/sweeps/b"}));
        QCOMPARE(view.currentSweep(), QString("/sweeps/a")); // the first one added
        QCOMPARE(changed.count(), 1);
        QCOMPARE(view.sweepSelector()->count(), 2);
        QVERIFY(view.sweepSelector()->itemText(1).contains("beta"));
        QVERIFY(!view.retrainButton()->isEnabled()); // nothing completed yet

        view.setTrials("/sweeps/a", trials());
        QCOMPARE(view.trialModel()->rowCount(), 5);
        QCOMPARE(view.trialModel()->columnCount(), 4 + 3 + 2);
        const QString header = view.headerText();
        QVERIFY2(header.contains("val/accuracy (maximize)"), qPrintable(header));
        QVERIFY2(header.contains("4/10 trials done"), qPrintable(header));
        QVERIFY2(header.contains("3 completed, 1 pruned, 1 running"), qPrintable(header));
        QVERIFY2(header.contains("best 0.91 (trial 2)"), qPrintable(header));
        QVERIFY2(header.contains("model.hidden=512"), qPrintable(header));
        QVERIFY2(header.contains("optimizer.type=sgd"), qPrintable(header));
        QVERIFY(view.retrainButton()->isEnabled());
        QCOMPARE(view.bestTrial()->id, 2);
        QCOMPARE(view.parallelCoordinates()->bestTrialId(), 2);

        // A live update of the current sweep: one row per id, the header follows.
        Trial better = trial(5, TrialStatus::Completed, 0.95, 5e-4, 192);
        view.updateTrial("/sweeps/a", better);
        QCOMPARE(view.trialModel()->rowCount(), 5);
        QVERIFY(view.headerText().contains("best 0.95 (trial 5)"));
        view.updateTrial("/sweeps/a", trial(6, TrialStatus::Running, std::nullopt, 1e-3, 64));
        QCOMPARE(view.trialModel()->rowCount(), 6);

        // Another sweep's trials are kept for it but do not touch what is shown.
        view.updateTrial("/sweeps/b", trial(1, TrialStatus::Completed, 0.35, 1e-3, 64));
        view.updateTrial("/sweeps/b", trial(2, TrialStatus::Completed, 0.30, 1e-3, 64));
        view.updateTrial("/nowhere", trial(1, TrialStatus::Completed, 0.35, 1e-3, 64));
        QCOMPARE(view.trialModel()->rowCount(), 6);
        QCOMPARE(int(view.trials("/sweeps/b").size()), 2);
        view.showMessage("/sweeps/b", "max_trials reached");
        QCOMPARE(view.messageText(), QString());

        view.sweepSelector()->setCurrentIndex(1); // the user picks the other sweep
        QCOMPARE(view.currentSweep(), QString("/sweeps/b"));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(view.trialModel()->rowCount(), 2);
        QVERIFY(view.headerText().contains("val/loss (minimize)"));
        QVERIFY(view.headerText().contains("best 0.3 (trial 2)")); // lower is better here
        QCOMPARE(view.messageText(), QString("max_trials reached"));
        view.setCurrentSweep("/sweeps/a");
        QCOMPARE(view.trialModel()->rowCount(), 6);
        QCOMPARE(view.sweepSelector()->currentIndex(), 0);
    }

    void filterAndSortTheTrialTable() {
        TuningView view;
        view.addSweep("/s", sweep("s"));
        view.setTrials("/s", trials());
        StatsTable *table = view.trialTable();
        table->sortByColumn(TrialTableModel::ScoreColumn, Qt::DescendingOrder);
        const QAbstractItemModel *proxy = table->proxy();
        QCOMPARE(proxy->index(0, TrialTableModel::IdColumn).data().toString(), QString("2"));
        QCOMPARE(proxy->index(1, TrialTableModel::IdColumn).data().toString(), QString("4"));
        QCOMPARE(proxy->index(4, TrialTableModel::IdColumn).data().toString(), QString("5"));
        table->setFilterText("pruned"); // any column, any case
        QCOMPARE(proxy->rowCount(), 1);
        QCOMPARE(proxy->index(0, TrialTableModel::IdColumn).data().toString(), QString("3"));
        table->setFilterText("sgd");
        QCOMPARE(proxy->rowCount(), 1);
        table->setFilterText({});
        QCOMPARE(proxy->rowCount(), 5);
    }

    void clickingATrialAndRetrainingEmit() {
        TuningView view;
        view.resize(1000, 700);
        view.addSweep("/sweeps/a", sweep("alpha"));
        view.setTrials("/sweeps/a", trials());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy activated(&view, &TuningView::trialActivated);
        QSignalSpy retrain(&view, &TuningView::retrainBestRequested);
        QTableView *table = view.trialTable()->view();
        const QModelIndex second = table->model()->index(1, TrialTableModel::IdColumn);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                          table->visualRect(second).center());
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated[0][0].toString(), QString("/sweeps/a/trial-2"));
        // The double-click that follows a click does not emit again.
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {},
                           table->visualRect(second).center());
        QCOMPARE(activated.count(), 1);
        QTest::mouseClick(view.retrainButton(), Qt::LeftButton);
        QCOMPARE(retrain.count(), 1);
        QCOMPARE(retrain[0][0].toString(), QString("/sweeps/a"));
        // A click on a line of the plot selects and activates its trial.
        ParallelCoordinates *plot = view.parallelCoordinates();
        const QPointF onLine = *plot->pointFor(4, 0);
        QTest::mouseClick(plot, Qt::LeftButton, {}, onLine.toPoint());
        QCOMPARE(activated.count(), 2);
        QCOMPARE(activated[1][0].toString(), QString("/sweeps/a/trial-4"));
        QCOMPARE(table->currentIndex().data(TrialTableModel::TrialIdRole).toInt(), 4);
    }

    void importanceRanksTheDrivingParameter() {
        TuningView view;
        view.addSweep("/s", sweep("s"));
        std::vector<Trial> ts;
        const char *types[] = {"adam", "sgd", "adamw"};
        for (int i = 1; i <= 24; ++i) {
            const double lr = std::pow(10.0, -4 + 2 * ((i * 7) % 24) / 23.0);
            const int hidden = 64 * (1 + (i * 5) % 8);
            // The score follows the learning rate; hidden size and optimizer barely matter.
            const double score = 0.9 - 0.1 * std::pow(std::log10(lr) + 3, 2) + 0.001 * (i % 3);
            ts.push_back(trial(i, TrialStatus::Completed, score, lr, hidden, types[i % 3]));
        }
        view.setTrials("/s", ts);
        const auto importance = view.importance();
        QCOMPARE(int(importance.size()), 3);
        QCOMPARE(importance[0].name, std::string("optimizer.learning_rate"));
        QVERIFY(importance[0].importance > 0.8);
    }

    void parallelCoordinatesMapsAndPaints() {
        ParallelCoordinates plot;
        plot.resize(600, 320);
        const SweepSpec spec = sweep("s");
        plot.setSpace(spec.space);
        plot.setObjective(spec.objective);
        plot.setTrials(trials());
        QCOMPARE(plot.axisCount(), 4);
        QCOMPARE(plot.axisName(0), QString("optimizer.learning_rate"));
        QCOMPARE(plot.axisName(3), QString("val/accuracy"));
        const QRectF r = plot.plotRect();
        // Log axis 1e-4..1e-2: 1e-3 sits halfway, 1e-4 at the bottom, 1e-2 at the top.
        QVERIFY(qAbs(plot.pointFor(2, 0)->y() - r.center().y()) < 0.5);
        QVERIFY(qAbs(plot.pointFor(1, 0)->y() - r.bottom()) < 0.5);
        // Linear int axis 64..512: 512 at the top; choices evenly spaced: sgd is the middle one.
        QVERIFY(qAbs(plot.pointFor(2, 1)->y() - r.top()) < 0.5);
        QVERIFY(qAbs(plot.pointFor(2, 2)->y() - r.center().y()) < 0.5);
        QVERIFY(qAbs(plot.pointFor(4, 2)->y() - r.top()) < 0.5); // adamw, the last choice
        // Score axis: the best completed score at the top, the worst at the bottom.
        QVERIFY(qAbs(plot.pointFor(2, 3)->y() - r.top()) < 0.5);
        QVERIFY(qAbs(plot.pointFor(1, 3)->y() - r.bottom()) < 0.5);
        QCOMPARE(plot.pointFor(2, 3)->x(), plot.axisX(3));
        // Only completed trials are drawn.
        QVERIFY(!plot.pointFor(3, 0));
        QVERIFY(!plot.pointFor(5, 0));
        // Hovering finds the line under the mouse.
        const QPointF mid = (*plot.pointFor(2, 0) + *plot.pointFor(2, 1)) / 2;
        QCOMPARE(plot.trialAt(mid), 2);
        QCOMPARE(plot.trialAt(QPointF(2, 2)), 0);

        const QImage image = plot.grab().toImage();
        std::set<QRgb> colours;
        int inked = 0;
        const QRgb background = image.pixel(image.width() - 2, image.height() - 2);
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 0; x < image.width(); x += 2) {
                colours.insert(image.pixel(x, y));
                inked += image.pixel(x, y) != background;
            }
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
        QVERIFY(inked > 500);
        // The best line is drawn in the colour map's "best" end.
        QCOMPARE(viridis(0).name(), QString("#440154"));
        QCOMPARE(viridis(1).name(), QString("#fde725"));
    }

    void scorePlotBestSoFar() {
        ScorePlot plot;
        plot.setObjective(Objective{"val/accuracy", true});
        std::vector<Trial> ts = {trial(1, TrialStatus::Completed, 0.5, 1e-3, 64),
                                 trial(2, TrialStatus::Completed, 0.7, 1e-3, 64),
                                 trial(3, TrialStatus::Pruned, 0.9, 1e-3, 64), // not a record
                                 trial(4, TrialStatus::Completed, 0.6, 1e-3, 64),
                                 trial(5, TrialStatus::Completed, 0.8, 1e-3, 64),
                                 trial(6, TrialStatus::Running, std::nullopt, 1e-3, 64)};
        plot.setTrials(ts);
        QCOMPARE(plot.bestSoFarKeys(), QVector<double>({1, 2, 4, 5, 6}));
        QCOMPARE(plot.bestSoFarValues(), QVector<double>({0.5, 0.7, 0.7, 0.8, 0.8}));
        QCOMPARE(plot.pointCount(TrialStatus::Completed), 4);
        QCOMPARE(plot.pointCount(TrialStatus::Pruned), 1);
        QCOMPARE(plot.pointCount(TrialStatus::Running), 0);
        plot.setObjective(Objective{"val/loss", false}); // lower is better
        QCOMPARE(plot.bestSoFarValues(), QVector<double>({0.5, 0.5, 0.5, 0.5, 0.5}));
        ts[3].score = 0.25;
        plot.setTrials(ts);
        QCOMPARE(plot.bestSoFarValues(), QVector<double>({0.5, 0.5, 0.25, 0.25, 0.25}));
    }
};

QTEST_MAIN(TestTuningView)
#include "tst_tuningview.moc"
