#include "core/profile/timelineindex.h"

#include <QtTest>
#include <algorithm>
#include <random>

using namespace trainscope;

namespace {

TraceEvent ev(const char *name, const char *cat, int64_t start, int64_t dur, int pid = 1,
              int tid = 1) {
    TraceEvent e;
    e.name = name;
    e.category = cat;
    e.startNs = start;
    e.durationNs = dur;
    e.pid = pid;
    e.tid = tid;
    e.phase = dur ? 'X' : 'i';
    return e;
}

std::shared_ptr<TraceFile> traceOf(std::vector<TraceEvent> events) {
    auto trace = std::make_shared<TraceFile>();
    trace->events = std::move(events);
    return trace;
}

std::vector<TimelineBox> query(const TimelineIndex &index, int lane, int row, int64_t t0,
                               int64_t t1, double nsPerPixel) {
    std::vector<TimelineBox> out;
    index.query(lane, row, t0, t1, nsPerPixel, out);
    return out;
}

// The merge rule applied to the raw events, without levels of detail.
std::vector<TimelineBox> bruteForce(const std::vector<TraceEvent> &events,
                                    const std::vector<uint32_t> &row, int64_t t0, int64_t t1,
                                    double px) {
    std::vector<TimelineBox> out;
    int64_t longest = -1;
    for (uint32_t e : row) {
        const TraceEvent &x = events[e];
        if (x.endNs() < t0 || x.startNs > t1) continue;
        if (!out.empty()) {
            TimelineBox &cur = out.back();
            if (double(x.startNs - cur.endNs) < px &&
                (double(cur.endNs - cur.startNs) < px || double(x.durationNs) < px)) {
                cur.endNs = std::max(cur.endNs, x.endNs());
                ++cur.count;
                if (x.durationNs > longest) {
                    longest = x.durationNs;
                    cur.event = e;
                }
                continue;
            }
        }
        out.push_back({x.startNs, x.endNs(), e, 1});
        longest = x.durationNs;
    }
    return out;
}

} // namespace

class TestTimelineIndex : public QObject {
    Q_OBJECT
private slots:
    void lanesTitlesAndOrder() {
        auto trace = traceOf({
            ev("a", "cpu_op", 50, 10, 5, 2),
            ev("k", "kernel", 70, 5, kGpuPidBase + 1, 7),
            ev("b", "cpu_op", 10, 10, 5, 1),
            ev("k", "kernel", 60, 5, kGpuPidBase + 0, 13),
            ev("c", "step", 30, 20, 3, 9),
            ev("k", "kernel", 40, 100, kGpuPidBase + 0, 7),
            ev("d", "cpu_op", 55, 1, 5, 1),
        });
        trace->threadNames[{5, 1}] = "main";
        trace->processNames[5] = "python";
        trace->processNames[kGpuPidBase + 1] = "GPU 1 (H100)";
        TimelineIndex index(trace);
        QCOMPARE(index.laneCount(), 6);
        const auto &lanes = index.lanes();
        QCOMPARE(lanes[0].pid, 3);
        QCOMPARE(lanes[0].title, std::string("thread 9"));
        QCOMPARE(lanes[0].group, std::string());
        QCOMPARE(lanes[1].title, std::string("main"));
        QCOMPARE(lanes[1].group, std::string("python"));
        QCOMPARE(lanes[1].events, size_t(2));
        QCOMPARE(lanes[2].title, std::string("thread 2"));
        QVERIFY(!lanes[2].gpu);
        QCOMPARE(lanes[3].title, std::string("GPU 0 · stream 7"));
        QCOMPARE(lanes[3].group, std::string("GPU 0"));
        QCOMPARE(lanes[3].device, 0);
        QCOMPARE(lanes[4].title, std::string("GPU 0 · stream 13"));
        QCOMPARE(lanes[5].title, std::string("GPU 1 · stream 7"));
        QCOMPARE(lanes[5].group, std::string("GPU 1 (H100)"));
        QVERIFY(lanes[5].gpu);
        QVERIFY(index.hasGpuLane());
        QCOMPARE(index.findLane(5, 2), 2);
        QCOMPARE(index.findLane(kGpuPidBase + 1, 7), 5);
        QCOMPARE(index.findLane(5, 3), -1);
        QCOMPARE(index.beginNs(), int64_t(10));
        QCOMPARE(index.endNs(), int64_t(140));
        QCOMPARE(index.laneOf(0), 2);
        QCOMPARE(index.laneOf(6), 1);
        QCOMPARE(index.laneOf(99), -1);
        QCOMPARE(index.categories()[index.categoryOf(1)], std::string("kernel"));
        QCOMPARE(index.categoryOf(0), index.categoryOf(6));
        QVERIFY(index.categoryOf(0) != index.categoryOf(4));

        TimelineIndex hostOnly(traceOf({ev("a", "cpu_op", 0, 1)}));
        QVERIFY(!hostOnly.hasGpuLane());
    }

    void nestingRowsAndPartialOverlaps() {
        // Lane 1: step > forward > two abutting ops, then backward > op. Lane 2: A, B partially
        // overlapping A (deeper), C inside B, D after both. Given out of order.
        std::vector<TraceEvent> events = {
            ev("op1", "cpu_op", 20, 10),
            ev("backward", "host_compute", 60, 35),
            ev("step", "step", 0, 100),
            ev("op2", "cpu_op", 30, 10),
            ev("forward", "host_compute", 10, 50),
            ev("op3", "cpu_op", 61, 9),
            ev("A", "x", 0, 10, 1, 2),
            ev("B", "x", 5, 15, 1, 2),
            ev("C", "x", 12, 3, 1, 2),
            ev("D", "x", 25, 5, 1, 2),
        };
        TimelineIndex index(traceOf(events));
        QCOMPARE(index.lanes()[0].rows, 3);
        QCOMPARE(index.rowOf(2), 0); // step
        QCOMPARE(index.rowOf(4), 1); // forward
        QCOMPARE(index.rowOf(1), 1); // backward
        QCOMPARE(index.rowOf(0), 2);
        QCOMPARE(index.rowOf(3), 2);
        QCOMPARE(index.rowOf(5), 2);
        QCOMPARE(index.rowSize(0, 2), size_t(3));
        QCOMPARE(index.lanes()[1].rows, 3);
        QCOMPARE(index.rowOf(6), 0); // A
        QCOMPARE(index.rowOf(7), 1); // B overlaps A's end: deeper
        QCOMPARE(index.rowOf(8), 2); // C inside B
        QCOMPARE(index.rowOf(9), 0); // D: the top row is free again
        QCOMPARE(index.rowSize(1, 0), size_t(2));

        // A staircase of ranges each overlapping the next three: four rows, not one per range.
        std::vector<TraceEvent> stairs;
        for (int i = 0; i < 100; ++i)
            stairs.push_back(ev("s", "x", i * 10, 35));
        TimelineIndex staircase(traceOf(stairs));
        QCOMPARE(staircase.lanes()[0].rows, 4);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(staircase.rowOf(uint32_t(i)), i % 4);
    }

    void rowsNeverOverlapOnRandomData() {
        std::mt19937 rng(7);
        std::vector<TraceEvent> events;
        for (int i = 0; i < 5000; ++i) {
            const int64_t start = rng() % 100000, dur = 1 + rng() % (i % 10 ? 500 : 20000);
            events.push_back(ev("e", "x", start, dur, 1, int(rng() % 3)));
        }
        TimelineIndex index(traceOf(events));
        size_t total = 0;
        for (int lane = 0; lane < index.laneCount(); ++lane)
            for (int row = 0; row < index.lanes()[size_t(lane)].rows; ++row) {
                std::vector<TimelineBox> all = query(index, lane, row, 0, 200000, 0.1);
                total += all.size();
                QCOMPARE(all.size(), index.rowSize(lane, row));
                for (size_t i = 0; i < all.size(); ++i) {
                    QCOMPARE(all[i].count, 1u);
                    QCOMPARE(index.rowOf(all[i].event), row);
                    QCOMPARE(index.laneOf(all[i].event), lane);
                    if (i) QVERIFY(all[i - 1].endNs <= all[i].startNs);
                }
            }
        QCOMPARE(total, events.size());
    }

    void levelOfDetailAgainstBruteForce() {
        // Dense short events with clusters, some long ones, gaps over six orders of magnitude.
        std::mt19937_64 rng(11);
        std::vector<TraceEvent> events;
        int64_t t = 0;
        for (int i = 0; i < 60000; ++i) {
            const double u = std::uniform_real_distribution<double>(0, 1)(rng);
            const int64_t dur = 1 + int64_t(std::pow(10.0, 1 + 6 * u * u * u));
            const double g = std::uniform_real_distribution<double>(0, 1)(rng);
            t += g < 0.2 ? 0 : int64_t(std::pow(10.0, 7 * g * g));
            events.push_back(ev("e", "kernel", t, dur, kGpuPidBase, 1));
            t += dur;
        }
        std::shuffle(events.begin(), events.end(), rng);
        auto trace = traceOf(events);
        TimelineIndex index(trace);
        QCOMPARE(index.laneCount(), 1);
        QCOMPARE(index.lanes()[0].rows, 1);
        QVERIFY(index.levelCount(0, 0) >= 3);
        std::vector<uint32_t> row(events.size());
        for (uint32_t i = 0; i < row.size(); ++i)
            row[i] = i;
        std::sort(row.begin(), row.end(),
                  [&](uint32_t a, uint32_t b) { return events[a].startNs < events[b].startNs; });

        const int64_t extent = index.endNs() - index.beginNs();
        std::uniform_int_distribution<int64_t> pick(index.beginNs(), index.endNs());
        for (double px : {0.5, 30.0, 200.0, 1e3, 5e4, 2e6, 1e8, double(extent) / 1600}) {
            for (int trial = 0; trial < 12; ++trial) {
                int64_t t0 = trial ? pick(rng) : index.beginNs();
                const int64_t t1 = trial ? t0 + int64_t(px * 1600) : index.endNs();
                const std::vector<TimelineBox> boxes = query(index, 0, 0, t0, t1, px);
                if (px < 256) { // finer than every level: exactly the rule on the raw events
                    const auto ref = bruteForce(events, row, t0, t1, px);
                    QCOMPARE(boxes.size(), ref.size());
                    for (size_t i = 0; i < ref.size(); ++i) {
                        QCOMPARE(boxes[i].startNs, ref[i].startNs);
                        QCOMPARE(boxes[i].endNs, ref[i].endNs);
                        QCOMPARE(boxes[i].count, ref[i].count);
                        QCOMPARE(events[boxes[i].event].durationNs,
                                 events[ref[i].event].durationNs);
                    }
                }
                if (px < 1) { // finer than any gap or width: one box per event
                    for (const TimelineBox &b : boxes) {
                        QCOMPARE(b.count, 1u);
                        QCOMPARE(b.startNs, events[b.event].startNs);
                        QCOMPARE(b.endNs, events[b.event].endNs());
                    }
                }
                QVERIFY(double(boxes.size()) <= double(t1 - t0) / px + 3);
                // Every event in the window lies in exactly one box; each box holds exactly
                // `count` events, spans them and names the longest.
                size_t b = 0;
                std::vector<uint32_t> counted(boxes.size(), 0);
                std::vector<int64_t> longest(boxes.size(), -1);
                std::vector<int64_t> lastEnd(boxes.size(), 0);
                for (uint32_t e : row) {
                    const TraceEvent &x = events[e];
                    while (b < boxes.size() && boxes[b].endNs < x.endNs())
                        ++b;
                    const bool inside = b < boxes.size() && boxes[b].startNs <= x.startNs;
                    if (x.endNs() >= t0 && x.startNs <= t1) QVERIFY(inside);
                    if (!inside) continue;
                    // Members of one box are never a pixel or more apart.
                    if (counted[b]) QVERIFY(double(x.startNs - lastEnd[b]) < px);
                    lastEnd[b] = x.endNs();
                    ++counted[b];
                    longest[b] = std::max(longest[b], x.durationNs);
                }
                for (size_t i = 0; i < boxes.size(); ++i) {
                    QCOMPARE(counted[i], boxes[i].count);
                    QCOMPARE(events[boxes[i].event].durationNs, longest[i]);
                    QVERIFY(boxes[i].startNs <= events[boxes[i].event].startNs);
                    QVERIFY(events[boxes[i].event].endNs() <= boxes[i].endNs);
                    if (i == 0) continue;
                    QVERIFY(boxes[i - 1].endNs <= boxes[i].startNs);
                    // Nothing mergeable is left: a pixel gap, or two boxes wider than a pixel.
                    const double gap = double(boxes[i].startNs - boxes[i - 1].endNs);
                    QVERIFY(gap >= px || (double(boxes[i].endNs - boxes[i].startNs) >= px &&
                                          double(boxes[i - 1].endNs - boxes[i - 1].startNs) >= px));
                }
            }
        }
        // Zoomed out, the whole row is a handful of boxes.
        QVERIFY(query(index, 0, 0, index.beginNs(), index.endNs(), double(extent) / 1600).size() <
                1700);
    }

    void eventAtHitTests() {
        TimelineIndex index(traceOf({ev("a", "x", 100, 50), ev("b", "x", 150, 50),
                                     ev("c", "x", 400, 10), ev("mark", "x", 120, 0)}));
        QCOMPARE(index.eventAt(0, 0, 120, 0), std::optional<uint32_t>(0));
        QCOMPARE(index.eventAt(0, 0, 150, 0), std::optional<uint32_t>(1)); // b starts here
        QCOMPARE(index.eventAt(0, 0, 199, 0), std::optional<uint32_t>(1));
        QCOMPARE(index.eventAt(0, 0, 230, 40), std::optional<uint32_t>(1));
        QCOMPARE(index.eventAt(0, 0, 230, 20), std::nullopt);
        QCOMPARE(index.eventAt(0, 0, 390, 20), std::optional<uint32_t>(2));
        QCOMPARE(index.eventAt(0, 0, 320, 90), std::optional<uint32_t>(2)); // nearer than b
        QCOMPARE(index.eventAt(0, 0, 50, 10), std::nullopt);
        QCOMPARE(index.eventAt(0, 1, 121, 2), std::optional<uint32_t>(3)); // the instant
        QCOMPARE(index.eventAt(0, 2, 120, 2), std::nullopt);
        QCOMPARE(index.eventAt(3, 0, 120, 2), std::nullopt);
        QCOMPARE(index.eventContaining(0, 120), 3u);
        QCOMPARE(index.eventContaining(0, 121), 0u);
        QCOMPARE(index.eventContaining(0, 300), TimelineIndex::kNoEvent);
    }

    void searchIsCaseInsensitiveInTimeOrder() {
        TimelineIndex index(traceOf({
            ev("aten::mm", "cpu_op", 500, 10),
            ev("cudaLaunchKernel", "cuda_runtime", 100, 5),
            ev("ATen::MatMul", "cpu_op", 50, 100),
            ev("aten::mm", "cpu_op", 20, 10, 1, 2),
            ev("sgemm_128x64", "kernel", 300, 10, kGpuPidBase, 7),
        }));
        QCOMPARE(index.search("MM"), (std::vector<uint32_t>{3, 4, 0})); // sgemm too
        QCOMPARE(index.search("aten::m"), (std::vector<uint32_t>{3, 2, 0}));
        QCOMPARE(index.search("aten::m", 2), (std::vector<uint32_t>{3, 2}));
        QCOMPARE(index.search("launch"), (std::vector<uint32_t>{1}));
        QVERIFY(index.search("nothing").empty());
        QVERIFY(index.search("").empty());
    }

    void summaryTotalsOverlapsPerName() {
        TimelineIndex index(traceOf({
            ev("step", "step", 0, 1000),        // lane 0 row 0: 200..600 -> 400
            ev("mm", "cpu_op", 100, 200),       // 200..300 -> 100
            ev("mm", "cpu_op", 350, 100),       // all 100
            ev("relu", "cpu_op", 590, 20),      // 590..600 -> 10
            ev("mm", "cpu_op", 700, 10),        // outside
            ev("mark", "x", 400, 0, 1, 1),      // instant inside: counted, no time
            ev("mark", "x", 650, 0, 1, 1),      // instant outside
            ev("mm", "cpu_op", 250, 100, 1, 2), // lane 1: all 100
            ev("mm", "cpu_op", 600, 100, 1, 2), // touches the end only: not counted
        }));
        const auto all = index.summarize(200, 600, {0, 1});
        QCOMPARE(all.size(), size_t(4));
        QCOMPARE(all[0].name, std::string("step"));
        QCOMPARE(all[0].totalNs, int64_t(400));
        QCOMPARE(all[1].name, std::string("mm"));
        QCOMPARE(all[1].count, uint64_t(3));
        QCOMPARE(all[1].totalNs, int64_t(300));
        QCOMPARE(all[2].name, std::string("relu"));
        QCOMPARE(all[2].totalNs, int64_t(10));
        QCOMPARE(all[3].name, std::string("mark"));
        QCOMPARE(all[3].count, uint64_t(1));
        QCOMPARE(all[3].totalNs, int64_t(0));
        const auto second = index.summarize(600, 200, {1}); // reversed bounds are fine
        QCOMPARE(second.size(), size_t(1));
        QCOMPARE(second[0].count, uint64_t(1));
        QCOMPARE(second[0].totalNs, int64_t(100));
        QVERIFY(index.summarize(200, 600, {}).empty());
        QVERIFY(index.summarize(2000, 3000, {0, 1}).empty());
    }

    void flowsMatchLaunchesAndKernels() {
        const int gpu = kGpuPidBase;
        auto trace = traceOf({
            ev("aten::mm", "cpu_op", 0, 100),               // 0
            ev("cudaLaunchKernel", "cuda_runtime", 10, 10), // 1
            ev("cuLaunchKernel", "cuda_driver", 12, 6),     // 2: nested in the launch
            ev("cudaLaunchKernel", "cuda_runtime", 30, 10), // 3
            ev("sgemm", "kernel", 50, 10, gpu, 7),          // 4
            ev("relu_kernel", "kernel", 60, 10, gpu, 7),    // 5: abuts 4
        });
        trace->flows = {{1, 15, 1, 1, 50, gpu, 7},   // from inside the driver call
                        {2, 30, 1, 1, 60, gpu, 7},   // ends where kernel 4 ends, kernel 5 starts
                        {3, 500, 1, 1, 600, gpu, 7}, // nowhere
                        {4, 30, 9, 9, 60, gpu, 7}};  // unknown lane
        TimelineIndex index(trace);
        QCOMPARE(index.flowEvents(0).from, 1u);
        QCOMPARE(index.flowEvents(0).to, 4u);
        QCOMPARE(index.flowEvents(1).from, 3u);
        QCOMPARE(index.flowEvents(1).to, 5u);
        QCOMPARE(index.flowEvents(2).from, TimelineIndex::kNoEvent);
        QCOMPARE(index.flowEvents(3).from, TimelineIndex::kNoEvent);
        QCOMPARE(index.flowEvents(3).to, 5u);
        QCOMPARE(index.flowEvents(9).to, TimelineIndex::kNoEvent);
        QCOMPARE(index.flowsOf(1), std::vector<uint32_t>{0});
        QCOMPARE(index.flowsOf(4), std::vector<uint32_t>{0});
        QCOMPARE(index.flowsOf(5), (std::vector<uint32_t>{1, 3}));
        QVERIFY(index.flowsOf(0).empty()); // the op holds launches, which hold the endpoints
        QVERIFY(index.flowsOf(2).empty());
        QCOMPARE(index.flowsIn(45, 55), (std::vector<uint32_t>{0, 1, 3})); // spanning counts
        QCOMPARE(index.flowsIn(0, 12), std::vector<uint32_t>{});
        QCOMPARE(index.flowsIn(0, 15), std::vector<uint32_t>{0});
        QCOMPARE(index.flowsIn(0, 1000).size(), size_t(4));
        QCOMPARE(index.flowsIn(0, 1000, 2).size(), size_t(2));
        QVERIFY(index.flowsIn(601, 700).empty());
    }

    void flowsInRangeAgainstBruteForce() {
        // Short flows between three lanes, a few long ones, one whose start is on no lane.
        std::mt19937 rng(3);
        std::vector<TraceEvent> events;
        for (int i = 0; i < 3000; ++i)
            events.push_back(ev("e", "x", i * 100, 60, 1, i % 3));
        auto trace = traceOf(events);
        for (uint64_t i = 0; i < 2000; ++i) {
            TraceFlow f;
            f.id = i;
            f.fromNs = int64_t(rng() % 300000);
            f.toNs = f.fromNs + (i % 50 ? int64_t(rng() % 2000) : int64_t(rng() % 100000)) -
                     (i % 7 ? 0 : 500);            // some point backwards
            f.fromTid = int((f.fromNs / 100) % 3); // the lane with an event near fromNs
            f.toTid = int(rng() % 3);
            f.fromPid = i % 97 ? 1 : 42;
            f.toPid = 1;
            trace->flows.push_back(f);
        }
        TimelineIndex index(trace);
        QVERIFY(!index.flowsReady());
        index.prepareLookups();
        QVERIFY(index.flowsReady());
        for (int trial = 0; trial < 200; ++trial) {
            const int64_t t0 = int64_t(rng() % 300000),
                          t1 = t0 + int64_t(rng() % (trial % 2 ? 500 : 50000));
            std::vector<uint32_t> expected;
            for (uint32_t i = 0; i < trace->flows.size(); ++i) {
                const TraceFlow &f = trace->flows[i];
                if (std::max(f.fromNs, f.toNs) >= t0 && std::min(f.fromNs, f.toNs) <= t1)
                    expected.push_back(i);
            }
            QCOMPARE(index.flowsIn(t0, t1), expected);
            QCOMPARE(index.flowsIn(t0, t1, 3).size(), std::min<size_t>(3, expected.size()));
        }
        // Every flow is found from both of its events.
        for (uint32_t i = 0; i < trace->flows.size(); ++i) {
            const FlowEvents fe = index.flowEvents(i);
            if (fe.from != TimelineIndex::kNoEvent) {
                const auto of = index.flowsOf(fe.from);
                QVERIFY(std::find(of.begin(), of.end(), i) != of.end());
                QVERIFY(index.event(fe.from).startNs <= trace->flows[i].fromNs);
                QVERIFY(index.event(fe.from).endNs() >= trace->flows[i].fromNs);
            }
            if (fe.to != TimelineIndex::kNoEvent) {
                const auto of = index.flowsOf(fe.to);
                QVERIFY(std::find(of.begin(), of.end(), i) != of.end());
            }
            QCOMPARE(fe.from == TimelineIndex::kNoEvent,
                     trace->flows[i].fromPid == 42 || trace->flows[i].fromNs % 100 > 60);
        }
    }

    void emptyTrace() {
        for (auto trace : {std::shared_ptr<TraceFile>(), std::make_shared<TraceFile>()}) {
            TimelineIndex index(trace);
            QCOMPARE(index.laneCount(), 0);
            QCOMPARE(index.eventCount(), size_t(0));
            QCOMPARE(index.beginNs(), int64_t(0));
            QCOMPARE(index.endNs(), int64_t(0));
            QVERIFY(!index.hasGpuLane());
            std::vector<TimelineBox> out;
            index.query(0, 0, 0, 100, 1, out);
            QVERIFY(out.empty());
            QCOMPARE(index.eventAt(0, 0, 0, 10), std::nullopt);
            QVERIFY(index.search("a").empty());
            QVERIFY(index.summarize(0, 10, {0}).empty());
            QVERIFY(index.flowsIn(0, 10).empty());
            QVERIFY(index.flowsOf(0).empty());
            QCOMPARE(index.laneOf(0), -1);
            QCOMPARE(index.rowOf(0), -1);
        }
    }

    void instantsAreZeroWidthBoxes() {
        TimelineIndex index(traceOf({ev("range", "x", 0, 100), ev("mark", "x", 40, 0),
                                     ev("mark", "x", 40, 0), ev("late", "x", 300, 0)}));
        QCOMPARE(index.lanes()[0].rows, 2);
        QCOMPARE(index.rowOf(3), 0);
        const auto fine = query(index, 0, 1, 0, 400, 0.5);
        QCOMPARE(fine.size(), size_t(1)); // two instants at one time are one box
        QCOMPARE(fine[0].startNs, int64_t(40));
        QCOMPARE(fine[0].endNs, int64_t(40));
        QCOMPARE(fine[0].count, 2u);
        const auto top = query(index, 0, 0, 0, 400, 1);
        QCOMPARE(top.size(), size_t(2));
        QCOMPARE(top[1].event, 3u);
        QCOMPARE(top[1].startNs, top[1].endNs);
        QCOMPARE(index.event(*index.eventAt(0, 1, 41, 2)).name, std::string("mark"));
        QCOMPARE(index.summarize(0, 50, {0})[1].count, uint64_t(2));
    }
};

QTEST_MAIN(TestTimelineIndex)
#include "tst_timelineindex.moc"
