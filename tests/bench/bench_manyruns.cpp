// The main window on a logdir of 10,000 runs x 2 tags x 1,000 points (written as TensorBoard
// writes them), offscreen: how long until the run list shows every run and the charts are
// drawn, the resident memory then, and the GUI thread's time for each of 30 run-filter edits
// (worst and 95th percentile). Targets: 3 s, 5 s, 1 GB, 50 ms. TRAINSCOPE_BENCH_RUNS scales
// the run count. Prints figures; never fails on time.
#include "app/mainwindow.h"
#include "core/events/eventwriter.h"
#include "widgets/runs/runlistmodel.h"
#include "widgets/scalars/scalarchart.h"
#include "widgets/scalars/scalarsview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <fstream>
#include <qcustomplot.h>

using namespace trainscope;

namespace {

int runCount() {
    const QByteArray env = qgetenv("TRAINSCOPE_BENCH_RUNS");
    return env.isEmpty() ? 10000 : env.toInt();
}

double residentMiB() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024; // kB
    return 0;
}

// Runs the event loop until nothing is pending: queued deltas, posted events, 0 ms timers.
void settle() {
    for (int i = 0; i < 4; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents);
}

} // namespace

class BenchManyRuns : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void tenThousandRuns() {
        const int runs = runCount(), points = 1000;
        QElapsedTimer timer;
        timer.start();
        const std::string root = m_dir.filePath("logs").toStdString();
        for (int r = 0; r < runs; ++r) {
            char name[32];
            std::snprintf(name, sizeof name, "/run-%05d", r);
            EventWriter w(root + name, {30.0, "bench"});
            for (int step = 0; step < points; ++step) {
                w.addScalar("train/loss", step, 1.0 / (step + 1.0) + r * 1e-4, 1.7e9 + step);
                w.addScalar("val/accuracy", step, 1.0 - 1.0 / (step + 2.0), 1.7e9 + step);
            }
        }
        qInfo("wrote %d runs x 2 tags x %d points in %.1f s", runs, points,
              timer.nsecsElapsed() / 1e9);

        const double before = residentMiB();
        MainWindow window;
        window.resize(1440, 900);
        window.show();
        timer.restart();
        window.openLogdir(QString::fromStdString(root));
        QTRY_VERIFY_WITH_TIMEOUT(window.runModel()->rowCount() == runs, 120000);
        const double listed = timer.nsecsElapsed() / 1e6;
        QTRY_VERIFY_WITH_TIMEOUT(window.isLoaded(), 120000);
        settle();
        ScalarsView *view = window.scalarsView();
        QCOMPARE(view->charts().size(), 2);
        for (ScalarChart *chart : view->charts())
            chart->replotNow();
        const double drawn = timer.nsecsElapsed() / 1e6;
        QCOMPARE(view->chart("train/loss")->runs().size(), runs);
        const double resident = residentMiB();

        // A user narrowing the list, widening it again, and clearing it.
        QStringList filters;
        for (const char *prefix : {"run-0", "run-1", "run-2"}) {
            const QString p = prefix;
            filters << p << p + "1" << p + "12" << p + "123" << p + "12" << p + "1" << p << "";
        }
        filters << "run-0[0-4]"
                << "run-09"
                << "9$"
                << ""
                << "run-9"
                << "";
        // The GUI thread's time per edit, and how long until every chart shows the edit (the
        // pool rasterises thousands of curves while the GUI thread stays free).
        std::vector<double> edits, redrawn;
        auto drawing = [&] {
            const QList<ScalarChart *> charts = view->charts();
            return std::any_of(charts.begin(), charts.end(),
                               [](ScalarChart *c) { return c->drawing(); });
        };
        for (const QString &filter : filters) {
            timer.restart();
            window.setRunFilter(filter);
            settle();
            edits.push_back(timer.nsecsElapsed() / 1e6);
            while (drawing())
                QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            redrawn.push_back(timer.nsecsElapsed() / 1e6);
        }
        // The mouse over a chart of every run: the curve under it and the tooltip, per move.
        ScalarChart *loss = view->chart("train/loss");
        const QRect plotArea = loss->plot()->axisRect()->rect();
        std::vector<double> moves;
        for (int i = 0; i < 20; ++i) {
            const QPointF at(plotArea.left() + plotArea.width() * (i + 0.5) / 20,
                             plotArea.top() + plotArea.height() * 0.8);
            timer.restart();
            loss->setHovered(loss->curveAt(at));
            const QString tip = loss->toolTipAt(loss->plot()->xAxis->pixelToCoord(at.x()),
                                                loss->plot()->yAxis->pixelToCoord(at.y()));
            moves.push_back(timer.nsecsElapsed() / 1e6);
            QVERIFY(!tip.isEmpty());
        }
        std::sort(moves.begin(), moves.end());

        // Grouped: groups of 100 runs (100 groups of 10,000), each drawn as its mean in a min-max
        // band.
        Grouping grouping;
        grouping.by = GroupBy::Pattern;
        grouping.pattern = R"(run-(\d+)\d\d)"; // run-00012 in group "000"
        timer.restart();
        view->setGrouping(grouping);
        for (ScalarChart *chart : view->charts())
            chart->replotNow();
        const double grouped = timer.nsecsElapsed() / 1e6;
        QCOMPARE(loss->groups().size(), (runs + 99) / 100);
        view->setGrouping(Grouping{});
        settle();

        window.setRunFilter("^run-00012$");
        settle();
        QCOMPARE(view->chart("train/loss")->runs(), QStringList{"run-00012"});
        std::sort(edits.begin(), edits.end());
        std::sort(redrawn.begin(), redrawn.end());
        qInfo("%d runs: run list shown %.2f s (target < 3), charts drawn %.2f s (< 5), resident "
              "%.0f MiB, %.0f MiB before opening (< 1 GB); %zu filter edits: worst %.1f ms, p95 "
              "%.1f ms, median %.1f ms (target < 50)",
              runs, listed / 1000, drawn / 1000, resident, before, edits.size(), edits.back(),
              edits[edits.size() * 95 / 100], edits[edits.size() / 2]);
        qInfo("%d runs: charts redrawn after a filter edit: worst %.0f ms, median %.0f ms", runs,
              redrawn.back(), redrawn[redrawn.size() / 2]);
        qInfo("%d runs: a mouse move (curve under it, highlight, tooltip) worst %.1f ms, median "
              "%.1f ms; grouping into %d groups and drawing both charts %.0f ms",
              runs, moves.back(), moves[moves.size() / 2], (runs + 99) / 100, grouped);
    }
};

QTEST_MAIN(BenchManyRuns)
#include "bench_manyruns.moc"
