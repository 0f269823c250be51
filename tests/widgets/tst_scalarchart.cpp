#include "core/events/scalarseries.h"
#include "widgets/scalars/scalarchart.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

using namespace trainscope;

class TestScalarChart : public QObject {
    Q_OBJECT
    ScalarSeries m_a, m_b;

private slots:
    void initTestCase() {
        for (int i = 0; i < 100; ++i)
            m_a.append(i * 10, 1000.0 + i, float(100 - i));
        for (int i = 0; i < 50; ++i)
            m_b.append(i * 20, 2000.0 + 2 * i, i == 25 ? 1e6f : float(i));
    }

    void curvesPerRunRawAndSmoothed() {
        ScalarChart chart("train/loss");
        chart.resize(600, 400);
        chart.setCurve("a", Qt::red, &m_a, 1000.0);
        chart.setCurve("b", Qt::blue, &m_b, 2000.0);
        chart.replotNow();
        QCOMPARE(chart.plot()->graphCount(), 4); // raw + smoothed per run
        QCOMPARE(chart.pointCount("a"), size_t(100));
        QCOMPARE(chart.plot()->xAxis->range().lower, 0.0);
        QCOMPARE(chart.plot()->xAxis->range().upper, 990.0);
        QVERIFY(chart.plot()->yAxis->range().upper >= 1e6); // the spike is in range
        chart.removeCurve("b");
        QCOMPARE(chart.plot()->graphCount(), 2);
        QCOMPARE(chart.runs(), QStringList{"a"});
    }

    // Past kMaxLineCurves curves every curve is rasterised: a sparse one still draws the line
    // between its points (here two points, 600 columns apart), in its colour, over the rest;
    // hiding curves brings the antialiased lines back.
    void manyCurvesAreRasterisedWithTheirLines() {
        ScalarSeries flat, diagonal;
        for (int i = 0; i < 10; ++i)
            flat.append(i, 1000.0 + i, 0.f);
        diagonal.append(0, 1000.0, 0.f);
        diagonal.append(9, 1009.0, 9.f);
        ScalarChart chart("train/loss");
        chart.resize(800, 500);
        ChartSettings settings;
        settings.smoothing = 0; // the raw curve in its own colour
        chart.setSettings(settings);
        QSet<QString> all;
        for (size_t r = 0; r < ScalarChart::kMaxLineCurves; ++r) {
            const QString name = QString("run-%1").arg(r, 3, 10, QChar('0'));
            chart.setCurve(name, Qt::gray, &flat, 1000.0);
            all.insert(name);
        }
        chart.setCurve("z-diagonal", Qt::red, &diagonal, 1000.0); // drawn last: on top
        all.insert("z-diagonal");
        chart.setShownRuns(all);
        chart.replotNow();
        QCPAxis *x = chart.plot()->xAxis, *y = chart.plot()->yAxis;
        auto redNear = [&](double key, double value) {
            const QImage image = chart.plot()->toPixmap().toImage();
            const int px = int(x->coordToPixel(key)), py = int(y->coordToPixel(value));
            for (int dy = -2; dy <= 2; ++dy)
                for (int dx = -1; dx <= 1; ++dx)
                    if (image.pixelColor(px + dx, py + dy) == QColor(Qt::red)) return true;
            return false;
        };
        QCOMPARE(chart.plot()->graph(0)->data()->size(), 0); // no line graphs: spans
        for (double k : {1.5, 4.5, 7.5})
            QVERIFY2(redNear(k, k), qPrintable(QString::number(k)));
        chart.setShownRuns({"z-diagonal", "run-000"});
        chart.replotNow();
        QVERIFY(chart.plot()->graph(0)->data()->size() > 0); // lines again
    }

    // A series of one point (a 1-epoch metric) is a visible marker, not an empty chart.
    void onePointIsDrawnAsAMarker() {
        ScalarSeries one;
        one.append(1, 1000.0, 0.5f);
        ScalarChart chart("val/accuracy");
        chart.resize(400, 300);
        chart.setCurve("a", QColor(200, 0, 0), &one, 1000.0);
        chart.replotNow();
        QCustomPlot *plot = chart.plot();
        const QPoint at(int(plot->xAxis->coordToPixel(1)), int(plot->yAxis->coordToPixel(0.5)));
        const QColor drawn = plot->toPixmap().toImage().pixelColor(at);
        QVERIFY2(drawn.red() > 150 && drawn.green() < 100, qPrintable(drawn.name()));
        QVERIFY(plot->graph(0)->scatterStyle().shape() == QCPScatterStyle::ssDisc);
        chart.setCurve("a", QColor(200, 0, 0), &m_a, 1000.0); // grown: a line again
        QVERIFY(plot->graph(0)->scatterStyle().isNone());
    }

    void xAxisModes() {
        ScalarChart chart("t");
        chart.resize(600, 400);
        chart.setCurve("a", Qt::red, &m_a, 1000.0);
        ChartSettings s;
        s.xAxis = XAxisMode::Relative;
        chart.setSettings(s);
        chart.replotNow();
        QCOMPARE(chart.plot()->xAxis->range().upper, 99.0); // seconds since the run began
        s.xAxis = XAxisMode::Wall;
        chart.setSettings(s);
        chart.replotNow();
        QCOMPARE(chart.plot()->xAxis->range().lower, 1000.0);
    }

    void ignoreOutliersAndLogScale() {
        ScalarChart chart("t");
        chart.resize(600, 400);
        chart.setCurve("b", Qt::blue, &m_b, 2000.0);
        ChartSettings s;
        s.ignoreOutliers = true;
        chart.setSettings(s);
        chart.replotNow();
        QVERIFY(chart.plot()->yAxis->range().upper < 100); // the 1e6 spike is ignored
        chart.setLogY(true);
        chart.replotNow();
        QCOMPARE(chart.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(chart.plot()->yAxis->range().lower > 0);
    }

    void tooltipListsEveryRunAtTheStep() {
        ScalarChart chart("train/loss");
        ChartSettings s;
        s.smoothing = 0;
        chart.setSettings(s);
        chart.setCurve("a", Qt::red, &m_a, 1000.0);
        chart.setCurve("b", Qt::blue, &m_b, 2000.0);
        const QString tip = chart.toolTipAt(200);
        QVERIFY2(tip.contains(">a<") || tip.contains(" a<"), qPrintable(tip));
        QVERIFY(tip.contains("<b>80</b>")); // run a at step 200: 100 - 20
        QVERIFY(tip.contains("<b>10</b>")); // run b at step 200: index 10
        QVERIFY(tip.contains("20.0 s"));    // relative time of b's point: 2 s a point
    }

    // Hundreds of runs: the tooltip lists the curves nearest the mouse, nearest first.
    void tooltipOfManyRunsListsTheNearest() {
        std::vector<ScalarSeries> flat(200);
        ScalarChart chart("train/loss");
        ChartSettings s;
        s.smoothing = 0;
        chart.setSettings(s);
        for (int r = 0; r < 200; ++r) {
            for (int i = 0; i < 5; ++i)
                flat[r].append(i, 1000.0 + i, float(r));
            chart.setCurve(QString("run-%1").arg(r, 3, 10, QChar('0')), Qt::gray, &flat[r], 1000);
        }
        const QString tip = chart.toolTipAt(2, 100.2);
        QCOMPARE(tip.count("<tr><td>"), ScalarChart::kToolTipRows);
        QVERIFY2(tip.indexOf("run-100") < tip.indexOf("run-101") &&
                     tip.indexOf("run-101") < tip.indexOf("run-099"),
                 qPrintable(tip)); // 0.2, 0.8, 1.2 away
        QVERIFY(!tip.contains("run-150"));
        QVERIFY(tip.contains("and 188 more"));
    }

    void exportsPngSvgCsv() {
        QTemporaryDir dir;
        ScalarChart chart("train/loss");
        chart.resize(500, 300);
        chart.setCurve("a", Qt::red, &m_a, 1000.0);
        QVERIFY(chart.exportPng(dir.filePath("c.png")));
        QImage png(dir.filePath("c.png"));
        QCOMPARE(png.width(), 1000); // exported at 2x for sharp slides
        QVERIFY(chart.exportSvg(dir.filePath("c.svg")));
        QFile svg(dir.filePath("c.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
        QVERIFY(chart.exportCsv(dir.filePath("c.csv")));
        QFile csv(dir.filePath("c.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 101);
        QCOMPARE(lines[0], QString("run,step,wall_time,value,smoothed"));
        QCOMPARE(lines[1], QString("a,0,1000.000000,100,100"));
        QVERIFY(!chart.exportCsv("/proc/no/such/dir/c.csv"));
    }

    void unsortedStepsAreDrawnInOrder() {
        ScalarSeries restarted;
        for (int i : {0, 1, 2, 3, 1, 2})
            restarted.append(i, 100.0 + i, float(i));
        ScalarChart chart("t");
        chart.resize(600, 400);
        chart.setCurve("r", Qt::black, &restarted, 100.0);
        chart.replotNow();
        auto data = chart.plot()->graph(0)->data();
        QCOMPARE(data->size(), 6);
        for (int i = 1; i < data->size(); ++i)
            QVERIFY(data->at(i)->key >= data->at(i - 1)->key);
    }
};

QTEST_MAIN(TestScalarChart)
#include "tst_scalarchart.moc"
