#include "widgets/metatypes.h"
#include "widgets/profile/statstable.h"
#include "widgets/tune/parallelcoordinates.h"
#include "widgets/tune/scoreplot.h"
#include "widgets/tune/trialtablemodel.h"
#include "widgets/tune/tuningview.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QImage>
#include <QMouseEvent>
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

    // Stop and Pause/Resume only for a sweep this window runs; Cancel trial only for a
    // running trial of it; the state is shown beside the selector.
    void controlsFollowTheRunState() {
        TuningView view;
        view.resize(1000, 700);
        view.addSweep("/sweeps/a", sweep("alpha"));
        view.addSweep("/sweeps/b", sweep("beta"));
        view.setTrials("/sweeps/a", trials());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.stopButton()->isEnabled()); // idle: found on disk, run elsewhere
        QVERIFY(!view.pauseButton()->isEnabled());
        QVERIFY(!view.cancelTrialButton()->isEnabled());
        QCOMPARE(view.stateText(), QString());

        QSignalSpy stop(&view, &TuningView::stopRequested);
        QSignalSpy pause(&view, &TuningView::pauseRequested);
        QSignalSpy resume(&view, &TuningView::resumeRequested);
        QSignalSpy cancel(&view, &TuningView::cancelTrialRequested);
        view.setRunState("/sweeps/b", SweepRunState::Running); // not the one shown
        QVERIFY(!view.stopButton()->isEnabled());
        view.setRunState("/sweeps/a", SweepRunState::Running);
        QVERIFY(view.stopButton()->isEnabled());
        QVERIFY(view.pauseButton()->isEnabled());
        QCOMPARE(view.pauseButton()->text(), QString("Pause"));
        QCOMPARE(view.stateText(), QString("running"));
        QVERIFY(!view.cancelTrialButton()->isEnabled()); // no trial selected

        QTableView *table = view.trialTable()->view();
        table->setCurrentIndex(table->model()->index(4, 0)); // trial 5, running
        QCOMPARE(view.selectedTrialId(), 5);
        QVERIFY(view.cancelTrialButton()->isEnabled());
        QCOMPARE(view.cancelTrialButton()->text(), QString("Cancel trial 5"));
        QTest::mouseClick(view.cancelTrialButton(), Qt::LeftButton);
        QCOMPARE(cancel.count(), 1);
        QCOMPARE(cancel[0][0].toString(), QString("/sweeps/a"));
        QCOMPARE(cancel[0][1].toInt(), 5);
        table->setCurrentIndex(table->model()->index(1, 0)); // trial 2, completed
        QVERIFY(!view.cancelTrialButton()->isEnabled());
        table->setCurrentIndex(table->model()->index(4, 0));
        Trial ended = trials()[4];
        ended.status = TrialStatus::Failed;
        ended.error = "cancelled";
        view.updateTrial("/sweeps/a", ended); // the trial's end turns its button off
        QVERIFY(!view.cancelTrialButton()->isEnabled());

        QTest::mouseClick(view.pauseButton(), Qt::LeftButton);
        QCOMPARE(pause.count(), 1);
        QCOMPARE(resume.count(), 0);
        view.setRunState("/sweeps/a", SweepRunState::Paused);
        QCOMPARE(view.pauseButton()->text(), QString("Resume"));
        QVERIFY(view.stateText().startsWith("paused"));
        QTest::mouseClick(view.pauseButton(), Qt::LeftButton);
        QCOMPARE(resume.count(), 1);
        QCOMPARE(resume[0][0].toString(), QString("/sweeps/a"));
        QTest::mouseClick(view.stopButton(), Qt::LeftButton);
        QCOMPARE(stop.count(), 1);
        view.setRunState("/sweeps/a", SweepRunState::Stopping);
        QVERIFY(!view.stopButton()->isEnabled());
        QCOMPARE(view.stateText(), QString("stopping…"));
        view.setRunState("/sweeps/a", SweepRunState::Idle);
        QCOMPARE(view.stateText(), QString());
        QCOMPARE(view.runState("/sweeps/b"), SweepRunState::Running);
    }

    // Too few completed trials: the box says how many it needs rather than showing numbers
    // that flip with the next trial.
    void importanceWaitsForEnoughTrials() {
        TuningView view;
        view.addSweep("/s", sweep("s"));
        view.setTrials("/s", trials()); // 3 completed, 3 parameters: needs max(10, 6)
        QVERIFY(view.importance().empty());
        QCOMPARE(view.importanceReport().required, 10);
        QCOMPARE(view.importanceReport().completed, 3);
        QVERIFY2(view.importanceText().startsWith("Needs 10 completed trials (has 3)"),
                 qPrintable(view.importanceText()));
        // A running trial's epoch leaves it; a trial completing counts at once.
        Trial running = trials()[4];
        running.values = {0.5};
        view.updateTrial("/s", running);
        QCOMPARE(view.importanceReport().completed, 3);
        running.status = TrialStatus::Completed;
        running.score = 0.5;
        view.updateTrial("/s", running);
        QCOMPARE(view.importanceReport().completed, 4);
        QVERIFY(view.importanceText().startsWith("Needs 10 completed trials (has 4)"));
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
        // Each with its bootstrap spread: the range holds the estimate and is not empty.
        QVERIFY(importance[0].stddev > 0);
        QVERIFY(importance[0].low <= importance[0].importance &&
                importance[0].importance <= importance[0].high);
        QVERIFY(importance[0].low > importance[1].high);
        const QString text = view.importanceText();
        QVERIFY2(text.startsWith("optimizer.learning_rate: "), qPrintable(text));
        QVERIFY2(text.section('\n', 0, 0).contains(" % ± "), qPrintable(text));
    }

    // Dragging along an axis brushes a range: the box is drawn, lines outside it grey; a click
    // on the axis off every line clears it. A line's tooltip names the trial, score, params.
    void brushingAnAxisAndTooltips() {
        ParallelCoordinates plot;
        plot.resize(600, 320);
        const SweepSpec spec = sweep("s");
        plot.setSpace(spec.space);
        plot.setObjective(spec.objective);
        plot.setTrials(trials());
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QSignalSpy brushed(&plot, &ParallelCoordinates::brushChanged);
        QSignalSpy clicked(&plot, &ParallelCoordinates::trialClicked);
        const QRectF r = plot.plotRect();
        const double x = plot.axisX(0);
        auto send = [&](QEvent::Type type, QPointF pos, Qt::MouseButtons buttons) {
            QMouseEvent e(type, pos, plot.mapToGlobal(pos), Qt::LeftButton, buttons,
                          Qt::NoModifier);
            QApplication::sendEvent(&plot, &e);
        };
        // From the bottom of the learning-rate axis to 60 % of its height: 1e-4 and 1e-3 in,
        // 3e-3 (at 74 %) out.
        const QPointF from(x, r.bottom()), to(x, r.bottom() - 0.6 * r.height());
        send(QEvent::MouseButtonPress, from, Qt::LeftButton);
        send(QEvent::MouseMove, (from + to) / 2, Qt::LeftButton);
        QVERIFY(plot.brushRect(0)); // visible while dragging
        send(QEvent::MouseMove, to, Qt::LeftButton);
        send(QEvent::MouseButtonRelease, to, Qt::NoButton);
        QCOMPARE(clicked.count(), 0); // a drag is no click
        QVERIFY(brushed.count() >= 1);
        QCOMPARE(plot.brushedTrialIds(), std::vector<int>({1, 2}));
        const QRectF box = *plot.brushRect(0);
        QVERIFY(qAbs(box.height() - 0.6 * r.height()) < 1);
        QVERIFY(qAbs(box.center().x() - x) < 0.5);
        // The box is on screen: its edge in the brush colour.
        const QImage image = plot.grab().toImage();
        const QColor edge = image.pixelColor(int(box.left()), int(box.center().y()));
        QVERIFY2(edge.red() > 150 && edge.green() < 120,
                 qPrintable(edge.name())); // #d81b60 over the background
        // Trials update live: the brush stays.
        plot.setTrials(trials());
        QCOMPARE(plot.brushedTrialIds(), std::vector<int>({1, 2}));
        // A click on the axis off every line (a quarter of the way up) clears it.
        const QPointF off(x, r.bottom() - 0.25 * r.height());
        QCOMPARE(plot.trialAt(off), 0);
        send(QEvent::MouseButtonPress, off, Qt::LeftButton);
        send(QEvent::MouseButtonRelease, off, Qt::NoButton);
        QVERIFY(!plot.brushRect(0));
        QCOMPARE(plot.brushedTrialIds(), std::vector<int>({1, 2, 4}));

        const QString tip = plot.toolTipFor(2);
        QVERIFY2(tip.startsWith("Trial 2: val/accuracy = 0.91 (best)"), qPrintable(tip));
        QVERIFY(tip.contains("optimizer.type = sgd"));
        QVERIFY(tip.contains("model.hidden = 512"));
        QCOMPARE(plot.toolTipFor(3), QString()); // pruned: not drawn
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
