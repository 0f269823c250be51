#include "core/profile/memorytimeline.h"

#include <QtTest>
#include <algorithm>
#include <random>

using namespace trainscope;

namespace {

MemoryEvent mem(int64_t tsNs, uint64_t address, int64_t bytes, const char *device = "cpu",
                int64_t totalAllocated = -1, int64_t totalReserved = -1) {
    MemoryEvent e;
    e.tsNs = tsNs;
    e.address = address;
    e.bytes = bytes;
    e.totalAllocated = totalAllocated;
    e.totalReserved = totalReserved;
    e.device = device;
    return e;
}

std::vector<int64_t> bytesOf(const std::vector<MemoryPoint> &points) {
    std::vector<int64_t> out;
    for (const MemoryPoint &p : points)
        out.push_back(p.bytes);
    return out;
}

} // namespace

class TestMemoryTimeline : public QObject {
    Q_OBJECT
private slots:
    void emptyInput() {
        const MemoryTimeline t = buildMemoryTimeline({});
        QVERIFY(t.empty());
        QCOMPARE(t.devices.size(), size_t(0));
        QCOMPARE(t.firstNs, int64_t(0));
        QCOMPARE(t.find("cpu"), nullptr);
    }

    void runningSumPeakAndLiveAllocations() {
        // a: 100 @10, b: 300 @20, c: 50 @30, free a @40, d: 400 @50 (peak 750), free b @60.
        const std::vector<MemoryEvent> events = {
            mem(10, 0xa, 100), mem(20, 0xb, 300),  mem(30, 0xc, 50), mem(40, 0xa, -100),
            mem(50, 0xd, 400), mem(60, 0xb, -300), mem(70, 0xe, 10),
        };
        const MemoryTimeline t = buildMemoryTimeline(events);
        QCOMPARE(t.devices.size(), size_t(1));
        const DeviceMemory &d = t.devices[0];
        QCOMPARE(d.device, std::string("cpu"));
        QVERIFY(!d.totalsReported);
        QCOMPARE(bytesOf(d.allocated), (std::vector<int64_t>{100, 400, 450, 350, 750, 450, 460}));
        QCOMPARE(d.allocated[4].tsNs, int64_t(50));
        QVERIFY(d.reserved.empty());
        QCOMPARE(d.summary.peakBytes, int64_t(750));
        QCOMPARE(d.summary.peakNs, int64_t(50));
        QCOMPARE(d.summary.finalBytes, int64_t(460));
        QCOMPARE(d.summary.allocs, uint64_t(5));
        QCOMPARE(d.summary.frees, uint64_t(2));
        QCOMPARE(d.summary.unmatchedFrees, uint64_t(0));
        // a was freed before the peak, e came after it: d, b, c remain, largest first.
        QCOMPARE(d.liveCountAtPeak, uint64_t(3));
        QCOMPARE(d.liveBytesAtPeak, int64_t(750));
        QCOMPARE(d.liveAtPeak.size(), size_t(3));
        QCOMPARE(d.liveAtPeak[0].address, uint64_t(0xd));
        QCOMPARE(d.liveAtPeak[0].bytes, int64_t(400));
        QCOMPARE(d.liveAtPeak[0].allocatedNs, int64_t(50));
        QCOMPARE(d.liveAtPeak[1].address, uint64_t(0xb));
        QCOMPARE(d.liveAtPeak[1].allocatedNs, int64_t(20));
        QCOMPARE(d.liveAtPeak[2].address, uint64_t(0xc));
        QCOMPARE(t.firstNs, int64_t(10));
        QCOMPARE(t.lastNs, int64_t(70));

        const MemoryTimeline capped = buildMemoryTimeline(events, 2);
        QCOMPARE(capped.devices[0].liveAtPeak.size(), size_t(2));
        QCOMPARE(capped.devices[0].liveCountAtPeak, uint64_t(3)); // all counted, two listed
        QCOMPARE(capped.devices[0].liveAtPeak[1].address, uint64_t(0xb));
    }

    void reportedTotalsWin() {
        // The allocator already held 1000 bytes when the trace began; it reports its totals.
        const std::vector<MemoryEvent> events = {
            mem(1, 0x1, 200, "cuda:0", 1200, 2048),
            mem(2, 0x2, 300, "cuda:0", 1500, 2048),
            mem(3, 0x1, -200, "cuda:0", 1300, 4096),
            mem(4, 0x3, 100, "cuda:0"), // no total: the change is added to the last report
            mem(5, 0x9, -500, "cuda:0", 900, 4096), // an allocation older than the trace
        };
        const MemoryTimeline t = buildMemoryTimeline(events);
        const DeviceMemory &d = t.devices.at(0);
        QCOMPARE(d.device, std::string("cuda:0"));
        QVERIFY(d.totalsReported);
        QCOMPARE(bytesOf(d.allocated), (std::vector<int64_t>{1200, 1500, 1300, 1400, 900}));
        QCOMPARE(bytesOf(d.reserved), (std::vector<int64_t>{2048, 2048, 4096, 4096}));
        QCOMPARE(d.reserved[2].tsNs, int64_t(3));
        QCOMPARE(d.summary.peakBytes, int64_t(1500));
        QCOMPARE(d.summary.peakNs, int64_t(2));
        QCOMPARE(d.summary.finalBytes, int64_t(900));
        QCOMPARE(d.summary.unmatchedFrees, uint64_t(1));
        QCOMPARE(d.summary.frees, uint64_t(1));
        QCOMPARE(d.liveCountAtPeak, uint64_t(2));
        QCOMPARE(d.liveBytesAtPeak, int64_t(500)); // what the trace saw allocated, not the total
        QCOMPARE(d.liveAtPeak[0].address, uint64_t(0x2));
    }

    void unmatchedFreeIgnoredAndReusedAddressReplaces() {
        const std::vector<MemoryEvent> events = {
            mem(1, 0x10, -64),  // unknown: ignored, counted
            mem(2, 0x20, 128),  //
            mem(3, 0x20, 256),  // same live address: replaces the 128-byte block
            mem(4, 0x20, -256), //
            mem(5, 0x20, -256), // already freed: unmatched
        };
        const DeviceMemory d = buildMemoryTimeline(events).devices.at(0);
        QCOMPARE(bytesOf(d.allocated), (std::vector<int64_t>{0, 128, 256, 0, 0}));
        QCOMPARE(d.summary.unmatchedFrees, uint64_t(2));
        QCOMPARE(d.summary.allocs, uint64_t(2));
        QCOMPARE(d.summary.frees, uint64_t(1));
        QCOMPARE(d.summary.peakBytes, int64_t(256));
        QCOMPARE(d.summary.peakNs, int64_t(3));
        QCOMPARE(d.liveCountAtPeak, uint64_t(1));
        QCOMPARE(d.liveAtPeak.at(0).bytes, int64_t(256));
        QCOMPARE(d.liveAtPeak.at(0).allocatedNs, int64_t(3));
    }

    void severalDevicesUnsorted() {
        std::vector<MemoryEvent> events = {
            mem(10, 0x1, 1000, "cuda:10"), mem(5, 0x1, 64, "cpu"),     mem(30, 0x1, -64, "cpu"),
            mem(20, 0x2, 32, "cpu"),       mem(7, 0x5, 500, "cuda:2"), mem(9, 0x5, -500, "cuda:2"),
            mem(8, 0x6, 700, "cuda:2"),
        };
        std::mt19937 rng(7);
        std::shuffle(events.begin(), events.end(), rng);
        const MemoryTimeline t = buildMemoryTimeline(events);
        QCOMPARE(t.devices.size(), size_t(3));
        QCOMPARE(t.devices[0].device, std::string("cpu"));
        QCOMPARE(t.devices[1].device, std::string("cuda:2")); // numerically before cuda:10
        QCOMPARE(t.devices[2].device, std::string("cuda:10"));
        QCOMPARE(t.firstNs, int64_t(5));
        QCOMPARE(t.lastNs, int64_t(30));

        const DeviceMemory *cpu = t.find("cpu");
        QVERIFY(cpu);
        QCOMPARE(bytesOf(cpu->allocated), (std::vector<int64_t>{64, 96, 32}));
        QCOMPARE(cpu->allocated[1].tsNs, int64_t(20));
        QCOMPARE(cpu->summary.peakBytes, int64_t(96));
        QCOMPARE(cpu->summary.peakNs, int64_t(20));

        const DeviceMemory *gpu = t.find("cuda:2");
        QCOMPARE(bytesOf(gpu->allocated), (std::vector<int64_t>{500, 1200, 700}));
        QCOMPARE(gpu->summary.peakNs, int64_t(8));
        QCOMPARE(gpu->liveAtPeak.size(), size_t(2));
        QCOMPARE(gpu->liveAtPeak[0].bytes, int64_t(700));
        QCOMPARE(gpu->liveAtPeak[1].bytes, int64_t(500));
        QCOMPARE(t.find("cuda:10")->summary.peakBytes, int64_t(1000));
        QCOMPARE(t.find("cuda:1"), nullptr);
    }

    void equalTimesKeepInputOrder() {
        // Alloc then free at the same instant: the spike is still the peak.
        const std::vector<MemoryEvent> events = {mem(5, 0x1, 10), mem(5, 0x2, 90),
                                                 mem(5, 0x2, -90)};
        const DeviceMemory d = buildMemoryTimeline(events).devices.at(0);
        QCOMPARE(bytesOf(d.allocated), (std::vector<int64_t>{10, 100, 10}));
        QCOMPARE(d.summary.peakBytes, int64_t(100));
        QCOMPARE(d.liveCountAtPeak, uint64_t(2));
    }

    void millionEvents() {
        // Half a million allocations, each freed 1000 events later: sorting and tracking must
        // stay O(n log n) (this runs in well under a second).
        std::vector<MemoryEvent> events;
        const int n = 500000;
        events.reserve(size_t(2 * n));
        for (int i = 0; i < n; ++i) {
            events.push_back(mem(2 * int64_t(i), uint64_t(i) * 64, 64, "cuda:0"));
            events.push_back(mem(2 * int64_t(i) + 2001, uint64_t(i) * 64, -64, "cuda:0"));
        }
        std::reverse(events.begin(), events.end());
        QElapsedTimer timer;
        timer.start();
        const MemoryTimeline t = buildMemoryTimeline(events, 10);
        qInfo("1M events: %lld ms", qlonglong(timer.elapsed()));
        const DeviceMemory &d = t.devices.at(0);
        QCOMPARE(d.allocated.size(), size_t(2 * n));
        QCOMPARE(d.summary.peakBytes, int64_t(1001 * 64));
        QCOMPARE(d.summary.finalBytes, int64_t(0));
        QCOMPARE(d.summary.frees, uint64_t(n));
        QCOMPARE(d.liveCountAtPeak, uint64_t(1001));
        QCOMPARE(d.liveAtPeak.size(), size_t(10));
    }
};

QTEST_GUILESS_MAIN(TestMemoryTimeline)
#include "tst_memorytimeline.moc"
