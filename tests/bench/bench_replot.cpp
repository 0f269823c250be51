// Replot cost of one chart with 10 runs x 1M points, offscreen: Trainscope's per-column
// level-of-detail against handing QCustomPlot every point (its own adaptive sampling), in the
// same run. Prints milliseconds per replot; never fails on time.
#include "core/events/scalarseries.h"
#include "widgets/scalars/densecurves.h"
#include "widgets/scalars/scalarchart.h"

#include <QElapsedTimer>
#include <QtTest>
#include <cmath>
#include <qcustomplot.h>
#include <random>

using namespace trainscope;

class BenchReplot : public QObject {
    Q_OBJECT
    std::vector<ScalarSeries> m_series;

private slots:
    void initTestCase() {
        const int points = qEnvironmentVariableIntValue("TRAINSCOPE_BENCH_POINTS") > 0
                               ? qEnvironmentVariableIntValue("TRAINSCOPE_BENCH_POINTS")
                               : 1'000'000;
        std::mt19937 rng(3);
        std::normal_distribution<float> noise(0, 0.05f);
        m_series.resize(10);
        for (int r = 0; r < 10; ++r)
            for (int i = 0; i < points; ++i)
                m_series[size_t(r)].append(i, 1.7e9 + i * 0.1,
                                           std::exp(-i * 3e-6f * float(r + 1)) + noise(rng));
    }

    void replotTenMillionPoints() {
        ScalarChart chart("train/loss");
        chart.resize(1000, 500);
        chart.show();
        for (int r = 0; r < 10; ++r)
            chart.setCurve(QString("run%1").arg(r), runColorFor(r), &m_series[size_t(r)], 1.7e9);
        chart.replotNow();
        QCustomPlot *plot = chart.plot();
        const double n = double(m_series[0].size());
        // Pan and zoom across the data: every frame re-decimates and redraws every curve.
        const int frames = 30;
        QElapsedTimer timer;
        timer.start();
        for (int f = 0; f < frames; ++f) {
            const double width = n / double(1 + f % 5);
            const double lower = (n - width) * (f / double(frames));
            plot->xAxis->setRange(lower, lower + width);
            chart.replotNow();
        }
        const double ours = timer.nsecsElapsed() / 1e6 / frames;
        size_t drawn = 0; // vertices handed to the painter: line points and band outlines
        for (int p = 0; p < plot->plottableCount(); ++p) {
            if (auto *g = qobject_cast<QCPGraph *>(plot->plottable(p)))
                drawn += size_t(g->data()->size());
            if (auto *c = qobject_cast<DenseCurves *>(plot->plottable(p)))
                drawn += 2 * c->spanCount();
        }

        // Baseline: all 10M points handed to QCustomPlot once, then the same pans and zooms.
        QCustomPlot baseline;
        baseline.resize(1000, 500);
        for (int r = 0; r < 10; ++r) {
            QVector<QCPGraphData> all(static_cast<int>(n));
            for (int i = 0; i < int(n); ++i)
                all[i] = QCPGraphData(double(m_series[size_t(r)].step(size_t(i))),
                                      m_series[size_t(r)].value(size_t(i)));
            baseline.addGraph()->data()->set(all, true);
        }
        baseline.yAxis->setRange(-0.2, 1.2);
        timer.restart();
        for (int f = 0; f < frames; ++f) {
            const double width = n / double(1 + f % 5);
            const double lower = (n - width) * (f / double(frames));
            baseline.xAxis->setRange(lower, lower + width);
            baseline.replot();
        }
        const double theirs = timer.nsecsElapsed() / 1e6 / frames;
        std::printf(
            "replot, 10 runs x %.0f points, 1000 px wide: %.2f ms per frame (target < 16 ms), "
            "%zu vertices drawn\n",
            n, ours, drawn);
        std::printf("baseline, QCustomPlot given every point (adaptive sampling): %.2f ms per "
                    "frame (x%.1f)\n",
                    theirs, theirs / ours);
        QVERIFY(drawn > 0);
        if (qEnvironmentVariableIsSet("TRAINSCOPE_BENCH_PNG"))
            plot->savePng(qEnvironmentVariable("TRAINSCOPE_BENCH_PNG"));
    }

private:
    static QColor runColorFor(int r) { return QColor::fromHsv((r * 36) % 360, 200, 200); }
};

QTEST_MAIN(BenchReplot)
#include "bench_replot.moc"
