#include "core/events/histogrambins.h"

#include <QtTest>
#include <cfloat>

using namespace trainscope;

class TestHistogramBins : public QObject {
    Q_OBJECT
private slots:
    void bucketsCloseTensorFlowsOpenEnds() {
        HistogramValue h;
        h.min = -1, h.max = 2;
        h.limits = {-DBL_MAX, -0.5, 0.5, DBL_MAX};
        h.counts = {0, 1, 2, 3};
        const auto b = histogramBuckets(h);
        QCOMPARE(b.size(), size_t(4));
        QCOMPARE(b[0].left, -1.0); // (-DBL_MAX, -DBL_MAX] closed at min: no width
        QCOMPARE(b[0].right, -1.0);
        QCOMPARE(b[1].left, -1.0);
        QCOMPARE(b[1].right, -0.5);
        QCOMPARE(b[2].left, -0.5);
        QCOMPARE(b[3].left, 0.5);
        QCOMPARE(b[3].right, 2.0); // DBL_MAX closed at max
        QCOMPARE(b[3].count, 3.0);

        h.counts[2] = std::numeric_limits<double>::quiet_NaN();
        QCOMPARE(histogramBuckets(h).size(), size_t(3)); // a NaN count is dropped, not drawn
    }

    void rebinSpreadsCountsByOverlap() {
        using V = std::vector<double>;
        QCOMPARE(rebinHistogram({{0, 2, 4}}, 0, 2, 4), (V{1, 1, 1, 1}));
        QCOMPARE(rebinHistogram({{0, 1, 4}}, 0, 2, 2), (V{4, 0}));
        QCOMPARE(rebinHistogram({{0.5, 1.5, 2}}, 0, 2, 2), (V{1, 1}));
        QCOMPARE(rebinHistogram({{1, 1, 5}}, 0, 2, 2), (V{0, 5})); // zero width: its bin
        QCOMPARE(rebinHistogram({{2, 2, 5}}, 0, 2, 2), (V{0, 5})); // the top edge: last bin
        QCOMPARE(rebinHistogram({{0, 1, 3}}, 1, 1, 2), (V{3, 0})); // an empty range
        QCOMPARE(rebinHistogram({}, 0, 1, 0), V{});
    }

    void compressMatchesTensorBoardsBasisPoints() {
        // One uniform bucket: each basis point is that fraction of the way through it.
        const auto uniform = compressHistogram({{0, 10, 100}});
        const double expected[] = {0, 0.668, 1.587, 3.085, 5, 6.915, 8.413, 9.332, 10};
        for (int i = 0; i < 9; ++i)
            QVERIFY2(qAbs(uniform[size_t(i)] - expected[i]) < 1e-12,
                     qPrintable(QString::number(i)));

        // Two equal buckets: the median sits on their shared edge; a point past the half is
        // interpolated in the second bucket.
        const auto two = compressHistogram({{0, 1, 1}, {1, 2, 1}});
        QCOMPARE(two[4], 1.0);
        QVERIFY(qAbs(two[5] - 1.383) < 1e-12);
        QCOMPARE(two[8], 2.0);

        // Empty buckets are skipped: the 0.5σ points land in the buckets that hold values.
        const auto gap = compressHistogram({{0, 1, 5}, {1, 9, 0}, {9, 10, 5}});
        QVERIFY(gap[3] < 1);
        QVERIFY(gap[5] > 9);

        const auto none = compressHistogram({});
        for (double v : none)
            QCOMPARE(v, 0.0);
    }
};

QTEST_APPLESS_MAIN(TestHistogramBins)
#include "tst_histogrambins.moc"
