#include "core/profile/kernelstats.h"

#include <QtTest>

using namespace trainscope;

namespace {

using Args = std::vector<std::pair<std::string, std::string>>;

TraceEvent kernel(const char *name, double startUs, double durationUs, Args args = {},
                  const char *category = "kernel") {
    TraceEvent e;
    e.name = name;
    e.category = category;
    e.startNs = int64_t(startUs * 1e3);
    e.durationNs = int64_t(durationUs * 1e3);
    e.pid = kGpuPidBase;
    e.tid = 7;
    e.args = std::move(args);
    return e;
}

Args launch(const char *grid, const char *block, const char *registers, const char *shared) {
    return {{"grid", grid},
            {"block", block},
            {"registers per thread", registers},
            {"shared memory", shared},
            {"stream", "7"},
            {"device", "0"}};
}

bool near(double a, double b) {
    return std::abs(a - b) < 1e-9;
}

} // namespace

class TestKernelStats : public QObject {
    Q_OBJECT
private slots:
    void sumsMeansAndShares() {
        const std::vector<TraceEvent> events = {
            kernel("sgemm", 0, 30, launch("[128, 1, 1]", "[256, 1, 1]", "64", "16384")),
            kernel("relu", 40, 5, launch("[64, 1, 1]", "[512, 1, 1]", "16", "0")),
            kernel("sgemm", 50, 50, launch("[128, 1, 1]", "[256, 1, 1]", "64", "16384")),
            kernel("relu", 110, 15, launch("[64, 1, 1]", "[512, 1, 1]", "16", "0")),
            kernel("aten::mm", 0, 500, {}, "cpu_op"), // not a kernel
            kernel("sgemm", 130, 20, launch("[256, 1, 1]", "[256, 1, 1]", "64", "16384")),
        };
        const auto stats = kernelStats(events);
        QCOMPARE(stats.size(), size_t(2));
        const KernelStats &sgemm = stats[0]; // largest total first
        QCOMPARE(sgemm.name, std::string("sgemm"));
        QCOMPARE(sgemm.calls, uint64_t(3));
        QVERIFY(near(sgemm.totalUs, 100));
        QVERIFY(near(sgemm.meanUs(), 100.0 / 3));
        QVERIFY(near(sgemm.minUs, 20));
        QVERIFY(near(sgemm.maxUs, 50));
        QVERIFY(near(sgemm.share, 100.0 / 120));
        QCOMPARE(sgemm.grid.text, std::string("[128, 1, 1]")); // two of three calls
        QCOMPARE(sgemm.grid.value, 128.0);
        QCOMPARE(sgemm.grid.distinct, size_t(2));
        QCOMPARE(sgemm.block.text, std::string("[256, 1, 1]"));
        QCOMPARE(sgemm.block.distinct, size_t(1));
        QCOMPARE(sgemm.registersPerThread.text, std::string("64"));
        QCOMPARE(sgemm.registersPerThread.value, 64.0);
        QCOMPARE(sgemm.sharedMemory.text, std::string("16384"));
        QCOMPARE(sgemm.sharedMemory.value, 16384.0);
        QCOMPARE(sgemm.occupancyPct, -1.0);

        const KernelStats &relu = stats[1];
        QCOMPARE(relu.calls, uint64_t(2));
        QVERIFY(near(relu.totalUs, 20));
        QVERIFY(near(relu.meanUs(), 10));
        QVERIFY(near(relu.share, 20.0 / 120));
        QCOMPARE(relu.sharedMemory.text, std::string("0"));
        QCOMPARE(relu.sharedMemory.value, 0.0);
        QCOMPARE(relu.block.value, 512.0);
        QVERIFY(near(sgemm.share + relu.share, 1));

        QVERIFY(kernelStats({}).empty());
        QCOMPARE(kernelStats(events, "cpu_op").at(0).share, 1.0);
    }

    void launchConfigurationVaries() {
        // Two grids tie for most frequent: "varies"; the block stays as it was.
        const std::vector<TraceEvent> events = {
            kernel("k", 0, 10, launch("[1, 2, 3]", "[32, 4, 1]", "40", "0")),
            kernel("k", 10, 10, launch("[4, 1, 1]", "[32,4,1]", "40", "0")), // same block
            kernel("k", 20, 10, launch("[1,2,3]", "[32, 4, 1]", "48", "1024")),
            kernel("k", 30, 10, launch("(4, 1, 1)", "[32, 4, 1]", "48", "1024")),
        };
        const KernelStats k = kernelStats(events).at(0);
        QCOMPARE(k.grid.text, std::string("varies"));
        QVERIFY(k.grid.varies());
        QCOMPARE(k.grid.value, -1.0);
        QCOMPARE(k.grid.distinct, size_t(2));
        QCOMPARE(k.block.text, std::string("[32, 4, 1]"));
        QCOMPARE(k.block.value, 128.0);
        QVERIFY(!k.block.varies());
        QCOMPARE(k.registersPerThread.text, std::string("varies"));
        QCOMPARE(k.sharedMemory.text, std::string("varies"));
    }

    void malformedArgsTolerated() {
        const std::vector<TraceEvent> events = {
            kernel("k", 0, 10, launch("[128, x, 1]", "256", "lots", "-5")),
            kernel("k", 10, 10,
                   {{"grid", "[1, 2, 3, 4]"}, {"est. achieved occupancy %", "not a number"}}),
            kernel("k", 20, 10, {{"grid", "[]"}, {"est. achieved occupancy %", "50"}}),
            kernel("k", 30, 10, {{"est. achieved occupancy %", "75.5"}, {"block", "[0, 1, 1]"}}),
            kernel("k", 40, -3, {{"registers per thread", "32.0"}}), // negative duration: 0
        };
        const KernelStats k = kernelStats(events).at(0);
        QCOMPARE(k.calls, uint64_t(5));
        QVERIFY(near(k.totalUs, 40));
        QVERIFY(near(k.minUs, 0));
        QCOMPARE(k.grid.text, std::string()); // every grid malformed: unknown
        QCOMPARE(k.grid.value, -1.0);
        QCOMPARE(k.grid.distinct, size_t(0));
        QCOMPARE(k.block.text, std::string("[256, 1, 1]")); // a bare count is x
        QCOMPARE(k.registersPerThread.text, std::string("32"));
        QCOMPARE(k.sharedMemory.text, std::string());
        QVERIFY(near(k.occupancyPct, (50 + 75.5) / 2));
    }

    void parsers() {
        QCOMPARE(parseDim3("[128, 1, 1]"), (std::optional<std::array<int64_t, 3>>{{128, 1, 1}}));
        QCOMPARE(parseDim3(" [2,3] "), (std::optional<std::array<int64_t, 3>>{{2, 3, 1}}));
        QCOMPARE(parseDim3("7"), (std::optional<std::array<int64_t, 3>>{{7, 1, 1}}));
        QVERIFY(!parseDim3(""));
        QVERIFY(!parseDim3("[1, 2"));
        QVERIFY(!parseDim3("[1, , 2]"));
        QVERIFY(!parseDim3("[-1, 2, 2]"));
        QCOMPARE(formatDim3({4, 5, 6}), std::string("[4, 5, 6]"));
        QCOMPARE(parseCount(" 4096 "), std::optional<int64_t>(4096));
        QCOMPARE(parseCount("12.000"), std::optional<int64_t>(12));
        QVERIFY(!parseCount("12.5"));
        QVERIFY(!parseCount("12 KiB"));
        QVERIFY(!parseCount("-1"));
    }

    void operatorShares() {
        std::vector<OpStats> ops(3);
        ops[0].selfUs = 30;
        ops[0].totalUs = 100; // nests ops[1]
        ops[1].selfUs = 70;
        ops[1].totalUs = 70;
        ops[2].selfUs = 0;
        const auto shares = operatorSelfShares(ops);
        QCOMPARE(shares.size(), size_t(3));
        QVERIFY(near(shares[0], 0.3));
        QVERIFY(near(shares[1], 0.7));
        QCOMPARE(shares[2], 0.0);
        QVERIFY(operatorSelfShares({}).empty());
        QCOMPARE(operatorSelfShares(std::vector<OpStats>(2)), (std::vector<double>{0, 0}));
    }
};

QTEST_GUILESS_MAIN(TestKernelStats)
#include "tst_kernelstats.moc"
