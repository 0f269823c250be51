// A group's curve from its members: centre, band and reach at shared and differing steps.
#include "widgets/scalars/groupaggregate.h"

#include <QtTest>
#include <cmath>

using namespace trainscope;

class TestGroupAggregate : public QObject {
    Q_OBJECT

private slots:
    void seedsAtTheSameStepsGiveMeanAndMinMax() {
        const std::vector<double> x{0, 1, 2};
        const std::vector<float> a{1, 2, 3}, b{3, 4, 5}, c{2, 9, 4};
        const GroupCurve g =
            aggregateGroup({{&x, &a}, {&x, &b}, {&x, &c}}, GroupCenter::Mean, GroupBand::MinMax);
        QCOMPARE(g.x, x);
        QCOMPARE(g.center, (std::vector<float>{2, 5, 4}));
        QCOMPARE(g.lo, (std::vector<float>{1, 2, 3}));
        QCOMPARE(g.hi, (std::vector<float>{3, 9, 5}));
        QCOMPARE(g.members, (std::vector<int>{3, 3, 3}));
    }

    void medianAndStandardDeviation() {
        const std::vector<double> x{0};
        const std::vector<float> a{1}, b{2}, c{10}, d{3};
        const GroupCurve odd =
            aggregateGroup({{&x, &a}, {&x, &b}, {&x, &c}}, GroupCenter::Median, GroupBand::None);
        QCOMPARE(odd.center, std::vector<float>{2}); // not the mean, 4.33
        QVERIFY(odd.lo.empty() && odd.hi.empty());
        const GroupCurve even = aggregateGroup({{&x, &a}, {&x, &b}, {&x, &c}, {&x, &d}},
                                               GroupCenter::Median, GroupBand::StdDev);
        QCOMPARE(even.center, std::vector<float>{2.5f}); // between 2 and 3
        // mean 4, population standard deviation sqrt((9 + 4 + 36 + 1) / 4) = sqrt(12.5)
        QVERIFY(std::abs(even.lo[0] - float(4 - std::sqrt(12.5))) < 1e-5f);
        QVERIFY(std::abs(even.hi[0] - float(4 + std::sqrt(12.5))) < 1e-5f);
    }

    // A member logged every 2 steps is interpolated at the others' steps; past its last point
    // it does not pull the mean, and the reach says so.
    void membersAtOtherStepsAreInterpolatedWhereTheyReach() {
        const std::vector<double> xa{0, 1, 2, 3}, xb{0, 2};
        const std::vector<float> ya{0, 0, 0, 0}, yb{10, 20};
        const GroupCurve g =
            aggregateGroup({{&xa, &ya}, {&xb, &yb}}, GroupCenter::Mean, GroupBand::MinMax);
        QCOMPARE(g.x, (std::vector<double>{0, 1, 2, 3}));
        QCOMPARE(g.center, (std::vector<float>{5, 7.5f, 10, 0}));
        QCOMPARE(g.members, (std::vector<int>{2, 2, 2, 1}));
        QCOMPARE(g.hi[1], 15.f); // b at step 1, halfway from 10 to 20
    }

    void nonFiniteValuesAreLeftOut() {
        const std::vector<double> x{0, 1};
        const std::vector<float> a{NAN, 1}, b{4, INFINITY};
        const GroupCurve g =
            aggregateGroup({{&x, &a}, {&x, &b}}, GroupCenter::Mean, GroupBand::MinMax);
        QCOMPARE(g.center, (std::vector<float>{4, 1}));
        QCOMPARE(g.members, (std::vector<int>{1, 1}));
    }

    // Wall-time axes: every member has keys of its own. Their union would be members x points;
    // an even grid of twice the longest member's points is drawn instead.
    void disjointKeysAreResampled() {
        constexpr int kMembers = 50, kPoints = 100;
        std::vector<std::vector<double>> xs(kMembers);
        std::vector<std::vector<float>> ys(kMembers);
        std::vector<MemberPoints> members;
        for (int m = 0; m < kMembers; ++m) {
            for (int i = 0; i < kPoints; ++i) {
                xs[m].push_back(i + m * 0.001);
                ys[m].push_back(float(i));
            }
            members.push_back({&xs[m], &ys[m]});
        }
        const GroupCurve g = aggregateGroup(members, GroupCenter::Mean, GroupBand::MinMax);
        QCOMPARE(g.x.size(), size_t(2 * kPoints));
        QCOMPARE(g.x.front(), 0.0);
        QCOMPARE(g.x.back(), kPoints - 1 + (kMembers - 1) * 0.001);
        for (size_t i = 0; i < g.x.size(); ++i) // y = x, give or take the members' offsets
            QVERIFY2(std::abs(g.center[i] - g.x[i]) < 0.06, qPrintable(QString::number(g.x[i])));
    }

    void noMembersNoCurve() {
        const std::vector<double> x;
        const std::vector<float> y;
        QVERIFY(aggregateGroup({}, GroupCenter::Mean, GroupBand::MinMax).x.empty());
        QVERIFY(aggregateGroup({{&x, &y}}, GroupCenter::Mean, GroupBand::MinMax).x.empty());
    }
};

QTEST_APPLESS_MAIN(TestGroupAggregate)
#include "tst_groupaggregate.moc"
