#include "widgets/scalars/smoothing.h"

#include <QtTest>
#include <cmath>

using namespace trainscope;

class TestSmoothing : public QObject {
    Q_OBJECT
private slots:
    void debiasedEmaMatchesTensorBoard() {
        // last = last*w + (1-w)*y; shown = last / (1 - w^n)
        const auto s = smoothDebiasedEma({1, 2, 3}, 0.6);
        QCOMPARE(s.size(), size_t(3));
        QVERIFY(std::abs(s[0] - 1.0f) < 1e-6f); // debiasing: the first point is itself
        QVERIFY(std::abs(s[1] - 1.04f / 0.64f) < 1e-6f);
        QVERIFY(std::abs(s[2] - 1.824f / 0.784f) < 1e-5f);
    }
    void zeroWeightAndConstantSeriesAreUnchanged() {
        const std::vector<float> ys{3, 1, 4, 1, 5};
        QCOMPARE(smoothDebiasedEma(ys, 0.0), ys);
        const std::vector<float> flat(10, 2.5f);
        QCOMPARE(smoothDebiasedEma(flat, 0.9), flat);
    }
    void nonFinitePointsPassThroughAndDoNotPoison() {
        const float nan = std::nanf("");
        const auto s = smoothDebiasedEma({1, nan, 1, INFINITY, 1}, 0.5);
        QVERIFY(std::isnan(s[1]));
        QVERIFY(std::isinf(s[3]));
        QVERIFY(std::abs(s[4] - 1.0f) < 1e-6f); // the finite points were all 1
    }
    void emptySeries() { QVERIFY(smoothDebiasedEma({}, 0.6).empty()); }
};

QTEST_APPLESS_MAIN(TestSmoothing)
#include "tst_smoothing.moc"
