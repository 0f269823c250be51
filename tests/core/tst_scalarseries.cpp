#include "core/events/scalarseries.h"

#include <QtTest>
#include <limits>

using namespace trainscope;

class TestScalarSeries : public QObject {
    Q_OBJECT
private slots:
    void storesExactlyWhatWasAppended() {
        ScalarSeries s;
        for (int i = 0; i < 10000; ++i)
            s.append(1000 + 3 * i, 1.7e9 + i * 0.001, float(i) * 0.5f);
        QCOMPARE(s.size(), size_t(10000));
        QCOMPARE(s.step(0), int64_t(1000));
        QCOMPARE(s.step(9999), int64_t(1000 + 3 * 9999));
        QCOMPARE(s.wallTime(4097), 1.7e9 + 4097 * 0.001);
        QCOMPARE(s.value(5000), 2500.0f);
    }
    void farAwayStepsAreKept() {
        ScalarSeries s;
        const int64_t huge = std::numeric_limits<int64_t>::max() - 5;
        s.append(0, 1, 1);
        s.append(huge, 2, 2); // does not fit a 32-bit delta from 0
        s.append(-huge, 3, 3);
        s.append(5, 4, 4);
        QCOMPARE(s.step(1), huge);
        QCOMPARE(s.step(2), -huge);
        QCOMPARE(s.step(3), int64_t(5));
    }
    void atMostSixteenBytesAPoint() {
        ScalarSeries s;
        const size_t n = 1'000'000;
        for (size_t i = 0; i < n; ++i)
            s.append(int64_t(i), 1.7e9 + double(i), float(i));
        s.compact();
        const double perPoint = double(s.memoryBytes()) / double(n);
        qInfo("bytes per scalar point: %.3f", perPoint);
        QVERIFY(perPoint <= 16.1);
    }
    void appendAllConcatenates() {
        ScalarSeries a, b;
        a.append(1, 1, 1);
        b.append(2, 2, 2);
        b.append(3, 3, 3);
        a.appendAll(b);
        QCOMPARE(a.size(), size_t(3));
        QCOMPARE(a.step(2), int64_t(3));
    }
};

QTEST_APPLESS_MAIN(TestScalarSeries)
#include "tst_scalarseries.moc"
