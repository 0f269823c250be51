#include "widgets/scalars/curvelod.h"

#include <QtTest>
#include <cmath>
#include <random>

using namespace trainscope;

class TestCurveLod : public QObject {
    Q_OBJECT

    static CurveLod noisy(size_t n) {
        std::vector<double> x(n);
        std::vector<float> y(n);
        std::mt19937 rng(1);
        std::normal_distribution<float> noise(0, 1);
        for (size_t i = 0; i < n; ++i) {
            x[i] = double(i);
            y[i] = std::sin(float(i) * 1e-4f) + 0.1f * noise(rng);
        }
        y[123457] = 50.f; // a single spike must survive decimation
        CurveLod lod;
        lod.setData(std::move(x), std::move(y));
        return lod;
    }

private slots:
    void atMostFourPointsAColumnAndNoSpikeLost() {
        const CurveLod lod = noisy(1'000'000);
        std::vector<double> xs, ys;
        lod.decimate(0, 999'999, 1000, xs, ys);
        QVERIFY(xs.size() <= 4 * 1000 + 2);
        QVERIFY(xs.size() >= 1000);
        QVERIFY(std::is_sorted(xs.begin(), xs.end()));
        QCOMPARE(*std::max_element(ys.begin(), ys.end()), 50.0);
        float lo, hi;
        QVERIFY(lod.rangeMinMax(0, lod.size(), lo, hi));
        QCOMPARE(double(*std::min_element(ys.begin(), ys.end())), double(lo));
    }
    void columnExtremesMatchBruteForce() {
        const CurveLod lod = noisy(200'000);
        for (auto [b, e] :
             {std::pair<size_t, size_t>{0, 1}, {3, 70}, {64, 128}, {100, 199'999}, {5, 6000}}) {
            float lo, hi;
            QVERIFY(lod.rangeMinMax(b, e, lo, hi));
            const auto [mn, mx] =
                std::minmax_element(lod.y().begin() + long(b), lod.y().begin() + long(e));
            QCOMPARE(lo, *mn);
            QCOMPARE(hi, *mx);
        }
    }
    void zoomedViewKeepsEveryPointPlusEdges() {
        const CurveLod lod = noisy(1'000'000);
        std::vector<double> xs, ys;
        lod.decimate(500'000, 500'999, 1000, xs, ys);
        QCOMPARE(xs.size(), size_t(1002)); // 1000 points in view and one beyond each edge
        QCOMPARE(xs.front(), 499'999.0);
        QCOMPARE(xs.back(), 501'000.0);
    }
    void nearestPoint() {
        CurveLod lod;
        lod.setData(std::vector<double>{0, 10, 20}, {1, 2, 3});
        QCOMPARE(lod.nearest(-5), size_t(0));
        QCOMPARE(lod.nearest(14), size_t(1));
        QCOMPARE(lod.nearest(16), size_t(2));
        QCOMPARE(lod.nearest(99), size_t(2));
    }
    void emptyAndDegenerateRanges() {
        CurveLod lod;
        std::vector<double> xs, ys;
        lod.decimate(0, 1, 100, xs, ys);
        QVERIFY(xs.empty());
        lod.setData(std::vector<double>{1, 2}, {1, 2});
        lod.decimate(5, 5, 100, xs, ys);
        QVERIFY(xs.empty());
    }
};

QTEST_APPLESS_MAIN(TestCurveLod)
#include "tst_curvelod.moc"
