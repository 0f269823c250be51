#include "core/profile/stepanalysis.h"
#include "core/profile/tracer.h"

#include <QtTest>
#include <algorithm>
#include <map>
#include <thread>

using namespace trainscope;

namespace {

TraceEvent ev(const char *name, const char *cat, double startMs, double endMs, int tid = 1) {
    return {name, cat, int64_t(startMs * 1e6), int64_t((endMs - startMs) * 1e6), 0, tid, {}};
}

} // namespace

class TestStepAnalysis : public QObject {
    Q_OBJECT
private slots:
    void eachInstantCountedOnceInPriorityOrder() {
        // A 10 ms step: input 0-4, h2d 3-5 (overlaps input), compute 5-9 with an op inside,
        // d2h 8.5-9.5 (overlaps compute), nothing 9.5-10.
        const std::vector<TraceEvent> events = {
            ev("ProfilerStep#7", "step", 0, 10), ev("input", "input", 0, 4),
            ev("to_device", "h2d", 3, 5),        ev("forward", "host_compute", 5, 9),
            ev("aten::mm", "cpu_op", 6, 7),      ev("loss.item", "d2h", 8.5, 9.5),
            ev("worker", "pipeline", 0, 10, 2), // pipeline worker time is not step time
        };
        const auto steps = analyzeSteps(events);
        QCOMPARE(steps.size(), size_t(1));
        const StepStats &s = steps[0];
        QCOMPARE(s.step, int64_t(7));
        QCOMPARE(s.totalMs, 10.0);
        auto near = [](double a, double b) { return std::abs(a - b) < 1e-9; };
        QVERIFY(near(s.of(TimeCategory::Input), 4));
        QVERIFY(near(s.of(TimeCategory::HostToDevice), 1));
        QVERIFY(near(s.of(TimeCategory::HostCompute), 4));
        QVERIFY(near(s.of(TimeCategory::DeviceToHost), 0.5));
        QVERIFY(near(s.of(TimeCategory::Other), 0.5));
        double sum = 0;
        for (double ms : s.ms)
            sum += ms;
        QVERIFY(near(sum, s.totalMs));
    }
    void verdictThresholds() {
        auto verdictFor = [](double inputMs) {
            StepStats s;
            s.totalMs = 10;
            s.ms[size_t(TimeCategory::Input)] = inputMs;
            s.ms[size_t(TimeCategory::HostCompute)] = 10 - inputMs;
            return summarize({s}, {}, {}, {}).verdict;
        };
        QCOMPARE(verdictFor(2.0), InputVerdict::HighlyInputBound); // 20 %
        QCOMPARE(verdictFor(1.99), InputVerdict::ModeratelyInputBound);
        QCOMPARE(verdictFor(0.5), InputVerdict::ModeratelyInputBound); // 5 %
        QCOMPARE(verdictFor(0.49), InputVerdict::NotInputBound);
    }
    void adviceNamesTheKnobAndTheFigures() {
        StepStats s;
        s.totalMs = 20;
        s.ms[size_t(TimeCategory::Input)] = 12;
        s.ms[size_t(TimeCategory::HostCompute)] = 8;
        AdviceContext ctx;
        ctx.hasPreprocess = true;
        ctx.cores = 4;
        ctx.batchSize = 64; // a Trainscope job's
        const ProfileSummary p =
            summarize({s, s}, {{"augment", 10, 20}, {"preprocess", 10, 90}}, {}, ctx);
        QCOMPARE(p.stages.front().stage, std::string("preprocess")); // slowest first
        QCOMPARE(p.steps.size(), size_t(2));
        QCOMPARE(p.inputShare, 0.6);
        QCOMPARE(p.recommendations.size(), size_t(3));
        QVERIFY(p.recommendations[0].find("pipeline.cache") != std::string::npos);
        QVERIFY(p.recommendations[0].find("9.00 ms") != std::string::npos);
        QVERIFY(p.recommendations[1].find("pipeline.prefetch") != std::string::npos);
        QVERIFY(p.recommendations[1].find("60%") != std::string::npos);
        QVERIFY(p.recommendations[2].find("pipeline.map_workers") != std::string::npos);
        QVERIFY(p.verdictText.find("60.0%") != std::string::npos);
    }
    // A trace from PyTorch's profiler carries no job: its advice names no job setting.
    void adviceForAForeignTraceNamesNoJobSetting() {
        StepStats s;
        s.totalMs = 1;
        s.ms[size_t(TimeCategory::HostCompute)] = 0.6;
        const ProfileSummary cpu = summarize({s}, {}, {}, {});
        QCOMPARE(cpu.recommendations.size(), size_t(2));
        QVERIFY(cpu.recommendations[0].find("operators on the CPU take 60%") != std::string::npos);
        QVERIFY(cpu.recommendations[1].find("raise the batch size") != std::string::npos);
        s.ms[size_t(TimeCategory::Input)] = 0.3;
        const ProfileSummary input = summarize({s}, {}, {}, {});
        QVERIFY(input.recommendations[0].find("DataLoader num_workers") != std::string::npos);
        for (const auto *p : {&cpu, &input})
            for (const std::string &r : p->recommendations)
                QVERIFY2(r.find("pipeline.") == std::string::npos &&
                             r.find("training.") == std::string::npos,
                         r.c_str());
    }
    // One annotation over 20,000 steps (a whole-epoch range): every step is wholly host
    // compute but the one that also waits for input, and the walk stays linear.
    void aLongAnnotationOverManySteps() {
        std::vector<TraceEvent> events;
        const int steps = 20000;
        for (int i = 0; i < steps; ++i)
            events.push_back(ev("ProfilerStep#1", "step", i, i + 1));
        events.push_back(ev("epoch", "user_annotation", 0, steps));
        events.push_back(ev("input", "input", 5, 5.25));
        const auto stats = analyzeSteps(events);
        QCOMPARE(stats.size(), size_t(steps));
        QCOMPARE(stats[5].ms[size_t(TimeCategory::Input)], 0.25);
        QCOMPARE(stats[5].ms[size_t(TimeCategory::HostCompute)], 0.75);
        for (int i : {0, 4, 6, steps - 1}) {
            QCOMPARE(stats[size_t(i)].ms[size_t(TimeCategory::HostCompute)], 1.0);
            QCOMPARE(stats[size_t(i)].ms[size_t(TimeCategory::Input)], 0.0);
        }
    }
    void stepsWithOperatorObserversAreLeftOutOfTheMeans() {
        StepStats clean, observed;
        clean.totalMs = 10;
        observed.totalMs = 13;
        observed.operatorsObserved = true;
        QCOMPARE(summarize({clean, observed, clean}, {}, {}, {}).meanStepMs, 10.0);
        QCOMPARE(summarize({observed}, {}, {}, {}).meanStepMs, 13.0); // nothing else to go on
    }
    void operatorSelfTimeExcludesNestedOperators() {
        const std::vector<TraceEvent> events = {
            ev("outer", "cpu_op", 0, 10), ev("inner", "cpu_op", 1, 4), ev("inner", "cpu_op", 5, 6),
            ev("other-thread", "cpu_op", 2, 3, 2), ev("outer", "cpu_op", 20, 22)};
        const auto ops = operatorStats(events);
        QCOMPARE(ops.size(), size_t(3));
        QCOMPARE(ops[0].name, std::string("outer"));
        QCOMPARE(ops[0].calls, uint64_t(2));
        QCOMPARE(ops[0].totalUs, 12000.0);
        QCOMPARE(ops[0].selfUs, 8000.0); // 10 - 3 - 1, plus 2
        QCOMPARE(ops[0].minUs, 2000.0);
        QCOMPARE(ops[1].name, std::string("inner"));
        QCOMPARE(ops[1].selfUs, 4000.0);
    }
    void selfTimesSumAcrossCallsAsKeyAveragesDoes() {
        // Whole microseconds, as torch 1.13's legacy trace writes them: the children of the first
        // `step` overlap by rounding (6 + 3 us in 8), so that call's own share is -1 us, which
        // key_averages() adds as it is: 8 - 1. `lonely` alone is negative and shows as 0.
        auto us = [](const char *name, int64_t startUs, int64_t durationUs) {
            return TraceEvent{name, "cpu_op", startUs * 1000, durationUs * 1000, 0, 1, {}};
        };
        const auto ops = operatorStats({us("step", 100, 8), us("a", 100, 6), us("b", 105, 3),
                                        us("step", 200, 10), us("a", 201, 2), us("lonely", 300, 4),
                                        us("a", 300, 3), us("b", 302, 2)});
        std::map<std::string, double> self;
        for (const OpStats &op : ops)
            self[op.name] = op.selfUs;
        QCOMPARE(self["step"], 7.0);
        QCOMPARE(self["lonely"], 0.0);
        QCOMPARE(self["a"], 11.0);
        QCOMPARE(self["b"], 5.0);
    }
    void gpuLanesGiveDeviceTimeUtilisationAndAdvice() {
        // Two 10 ms steps of PyTorch's kind; on the GPU, 100 short kernels, a pageable
        // host-to-device copy and a device-to-host copy.
        std::vector<TraceEvent> events = {
            ev("ProfilerStep#4", "user_annotation", 0, 10),
            ev("ProfilerStep#5", "user_annotation", 10, 20),
            ev("aten::mm", "cpu_op", 0.5, 9.5),
            ev("cudaLaunchKernel", "cuda_runtime", 1, 2),
        };
        auto gpu = [](const char *name, const char *cat, double startMs, double endMs) {
            TraceEvent e = ev(name, cat, startMs, endMs);
            e.pid = kGpuPidBase;
            e.tid = 7;
            return e;
        };
        events.push_back(gpu("Memcpy HtoD (Pageable -> Device)", "gpu_memcpy", 1, 2));
        events.push_back(gpu("Memcpy DtoH (Device -> Pageable)", "gpu_memcpy", 9.6, 9.9));
        for (int i = 0; i < 100; ++i) // 5 us sgemm kernels every 40 us from 2 ms
            events.push_back(
                gpu("ampere_sgemm_32x32_nn", "kernel", 2 + i * 0.04, 2.005 + i * 0.04));
        const std::vector<StepStats> steps = analyzeSteps(events);
        QCOMPARE(steps.size(), size_t(2));
        QCOMPARE(steps[0].step, int64_t(4));
        QCOMPARE(steps[0].kernels, 100);
        QCOMPARE(steps[1].kernels, 0);
        QVERIFY(qAbs(steps[0].gpuBusyMs - 1.8) < 1e-3); // 1 + 0.3 + 100 * 0.005
        QCOMPARE(steps[1].gpuBusyMs, 0.0);
        QVERIFY(qAbs(steps[0].of(TimeCategory::HostToDevice) - 1.0) < 1e-3);
        QVERIFY(qAbs(steps[0].of(TimeCategory::DeviceToHost) - 0.3) < 1e-3);
        QVERIFY(qAbs(steps[0].of(TimeCategory::DeviceCompute) - 0.5) < 1e-3);
        const DeviceFigures f = analyzeDevice(events, steps);
        QVERIFY(f.present);
        QVERIFY(qAbs(f.utilization - 0.09) < 1e-4); // 1.8 ms busy in 20 ms
        QCOMPARE(f.kernelsPerStep, 50.0);
        QVERIFY(qAbs(f.meanKernelUs - 5.0) < 1e-2);
        QCOMPARE(f.pageableCopiesPerStep, 0.5);
        QCOMPARE(f.matmulShare, 1.0);
        QCOMPARE(f.tensorCoreShare, 0.0);
        QVERIFY(qAbs(f.longestIdleMs - 10.0) < 1e-3); // all of step 5
        AdviceContext ctx;
        ctx.device = "cuda";
        const ProfileSummary p = summarize(steps, {}, {}, ctx, f);
        auto advises = [&](const char *knob) {
            return std::any_of(
                p.recommendations.begin(), p.recommendations.end(),
                [&](const std::string &r) { return r.find(knob) != std::string::npos; });
        };
        QVERIFY(advises("Launch-bound: 50 kernels a step averaging 5.0 us"));
        QVERIFY(advises("pipeline.pin_memory"));
        QVERIFY(advises("Tensor Cores are idle: 100%"));
        ctx.pinMemory = true;
        ctx.mixedPrecision = "bf16";
        const ProfileSummary tuned = summarize(steps, {}, {}, ctx, f);
        for (const std::string &r : tuned.recommendations) {
            QVERIFY(r.find("pin_memory") == std::string::npos);
            QVERIFY(r.find("Tensor Cores") == std::string::npos);
        }
        QVERIFY(!analyzeDevice({ev("ProfilerStep#1", "user_annotation", 0, 1)},
                               analyzeSteps({ev("ProfilerStep#1", "user_annotation", 0, 1)}))
                     .present);
    }
    void scheduleFollowsPyTorch() {
        ProfileSchedule s{2, 1, 1, 2, 2};
        using P = ProfileSchedule::Phase;
        const std::vector<P> expected = {P::Skip,   P::Skip,   P::Wait, P::Warmup,
                                         P::Active, P::Active, P::Wait, P::Warmup,
                                         P::Active, P::Active, P::Done, P::Done};
        for (size_t i = 0; i < expected.size(); ++i)
            QCOMPARE(s.phaseOf(int64_t(i)), expected[i]);
        QCOMPARE((ProfileSchedule{0, 0, 0, 1, 0}.phaseOf(1000000)), P::Active); // repeat 0: forever
    }
    void tracerRecordsOnlyInsideTheWindow() {
        Tracer t({1, 0, 0, 1, 1});
        for (int64_t step = 0; step < 3; ++step) {
            t.beginStep(step);
            { Tracer::Range r(t, "forward", "host_compute"); }
            t.endStep();
        }
        const auto events = t.takeEvents();
        QCOMPARE(events.size(), size_t(2)); // step 1's range and its step event
        QCOMPARE(events[1].name, std::string("ProfilerStep#1"));
        QVERIFY(events[0].startNs >= events[1].startNs && events[0].endNs() <= events[1].endNs());
        Tracer off({0, 0, 0, 1, 0}, false);
        QVERIFY(!off.beginStep(0));
    }

    // The fetch that finds no batch at an epoch's end is not a step: it leaves nothing behind,
    // while another thread's work in the meantime (a pipeline worker's) is kept.
    void aDiscardedStepLeavesNoStep() {
        Tracer t({0, 0, 0, 4, 1});
        t.beginStep(0);
        { Tracer::Range r(t, "input", "input"); }
        t.endStep();
        t.beginStep(1);
        { Tracer::Range r(t, "input", "input"); }
        std::thread([&] { Tracer::Range r(t, "preprocess", "pipeline"); }).join();
        t.discardStep();
        QVERIFY(!t.recording());
        t.beginStep(1); // the next epoch's first step keeps the number
        { Tracer::Range r(t, "forward", "host_compute"); }
        t.endStep();
        const auto events = t.takeEvents();
        QCOMPARE(events.size(), size_t(5)); // two steps, their ranges, the worker's range
        std::vector<std::string> names;
        for (const TraceEvent &e : events)
            names.push_back(e.name);
        QCOMPARE(std::count(names.begin(), names.end(), std::string("input")), 1L);
        QCOMPARE(std::count(names.begin(), names.end(), std::string("preprocess")), 1L);
        const std::vector<StepStats> steps = analyzeSteps(events);
        QCOMPARE(steps.size(), size_t(2));
        QCOMPARE(steps[1].step, int64_t(1));
    }
};

QTEST_APPLESS_MAIN(TestStepAnalysis)
#include "tst_stepanalysis.moc"
