#include "core/profile/cupti/activityprocessor.h"
#include "core/profile/cupti/clockfit.h"
#include "core/profile/cupti/cupticollector.h"
#include "core/profile/cupti/cuptilibrary.h"
#include "core/profile/cupti/cuptinote.h"
#include "core/profile/cupti/gpuprobe.h"
#include "core/profile/cupti/syntheticactivity.h"
#include "core/profile/gpucollector.h"

#include <QtTest>

#include <cmath>

using namespace trainscope;
using Copy = SyntheticActivity::CopyKind;
using Mem = SyntheticActivity::MemoryKind;
using Sync = SyntheticActivity::SyncKind;

namespace {

// One GPU-clock origin far from the host's, as CUPTI's (epoch-like) timestamps are.
constexpr int64_t kGpuBase = 1'700'000'000'000'000'000;

// host = gpu - kGpuBase + 1 ms, sampled over 3 s: a mapping the tests can compute by hand.
void addShiftSamples(SyntheticActivity &b) {
    for (int i = 0; i <= 20; ++i) {
        const int64_t gpu = kGpuBase + int64_t(i) * 150'000'000;
        b.addClockSample(gpu, gpu - kGpuBase + 1'000'000);
    }
}
int64_t shifted(int64_t gpuOffset) {
    return gpuOffset + 1'000'000;
}

const TraceEvent *find(const GpuTrace &t, const std::string &category, const std::string &name) {
    for (const TraceEvent &e : t.events)
        if (e.category == category && e.name == name) return &e;
    return nullptr;
}

int count(const GpuTrace &t, const std::string &category) {
    int n = 0;
    for (const TraceEvent &e : t.events)
        n += e.category == category;
    return n;
}

} // namespace

class TestCuptiCollector : public QObject {
    Q_OBJECT

private slots:
    void cuptiIsFoundAtRunTime() {
        // This machine has the CUDA 13 toolkit: libcupti is opened from it, not linked.
        const CuptiLoad &load = cupti();
        QVERIFY2(load.library, load.reason.c_str());
        QCOMPARE(cuptiSoname(), std::string("libcupti.so.13"));
        QVERIFY2(load.library->path.find("/libcupti.so.13") != std::string::npos,
                 load.library->path.c_str());
        QCOMPARE(load.library->version / 10000, 13u);
        QVERIFY(cuptiDescription(load).rfind("CUPTI 13.", 0) == 0);
        QVERIFY(GpuCollector::backendStatus().rfind(cuptiDescription(load) + "; ", 0) == 0);
    }

    void cuptiCandidatesPutCudaHomeFirst() {
        QTemporaryDir home;
        QVERIFY(QDir(home.path()).mkpath("extras/CUPTI/lib64") &&
                QDir(home.path()).mkpath("lib64"));
        for (const char *dir : {"/extras/CUPTI/lib64/", "/lib64/"}) {
            QFile f(home.path() + dir + "libcupti.so.13");
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write("not an ELF file") > 0);
        }
        const std::string root = home.path().toStdString();
        const std::vector<std::string> c = cuptiCandidates(root.c_str());
        QVERIFY(c.size() >= 3);
        QCOMPARE(c[0], root + "/extras/CUPTI/lib64/libcupti.so.13");
        QCOMPARE(c[1], root + "/lib64/libcupti.so.13");
        QCOMPARE(c.back(), std::string("libcupti.so.13")); // then the dynamic linker's search
        // A file that is not a library is named in the reason; nothing found says what to do.
        const CuptiLoad bad = loadCupti({c[0]});
        QVERIFY(!bad.library);
        QVERIFY2(bad.reason.find(c[0]) != std::string::npos, bad.reason.c_str());
        const CuptiLoad none = loadCupti({"libcupti-absent.so.13"});
        QVERIFY(!none.library);
        QVERIFY2(none.reason.rfind("libcupti.so.13 not found", 0) == 0, none.reason.c_str());
        QVERIFY(none.reason.find("CUDA_HOME") != std::string::npos);
        const CuptiLoad notCupti = loadCupti({"libz.so.1"});
        QVERIFY(!notCupti.library);
        QVERIFY2(notCupti.reason.find("has no cuptiGetVersion") != std::string::npos,
                 notCupti.reason.c_str());
    }

    void kernelDecode() {
        ActivityProcessor p;
        SyntheticActivity b;
        addShiftSamples(b);
        b.addRuntime("cudaLaunchKernel", kGpuBase + 1'000, kGpuBase + 1'800, 4242, 10);
        b.addKernel("_Z9vectorAddPKfS0_Pfi", kGpuBase + 5'000, kGpuBase + 9'000, 1, 7, 10,
                    {128, 2, 1}, {256, 1, 1}, 32, 1024, 2048);
        b.addRuntime("cudaLaunchKernel", kGpuBase + 2'000, kGpuBase + 2'500, 4242, 11);
        b.addKernel("void at::native::vectorized_elementwise_kernel<4>(int)", kGpuBase + 9'500,
                    kGpuBase + 9'900, 0, 7, 11, {1, 1, 1}, {128, 1, 1}, 16, 0, 0);
        QCOMPARE(b.records(), size_t(4));
        b.feed(p);
        const GpuTrace t = p.take();
        QCOMPARE(count(t, "kernel"), 2);

        const TraceEvent *k =
            find(t, "kernel", "vectorAdd(float const*, float const*, float*, int)");
        QVERIFY(k);
        QCOMPARE(k->pid, kGpuPidBase + 1);
        QCOMPARE(k->tid, 7);
        QCOMPARE(k->startNs, shifted(5'000));
        QCOMPARE(k->durationNs, int64_t(4'000));
        QCOMPARE(k->arg("grid"), std::string("[128, 2, 1]"));
        QCOMPARE(k->arg("block"), std::string("[256, 1, 1]"));
        QCOMPARE(k->arg("registers per thread"), std::string("32"));
        QCOMPARE(k->arg("shared memory"), std::string("3072"));
        QCOMPARE(k->arg("stream"), std::string("7"));
        QCOMPARE(k->arg("device"), std::string("1"));
        QCOMPARE(k->arg("context"), std::string("1"));
        QCOMPARE(k->arg("correlation"), std::string("10"));

        // A name CUPTI already gives demangled is kept as it is.
        QVERIFY(find(t, "kernel", "void at::native::vectorized_elementwise_kernel<4>(int)"));
        QCOMPARE(p.stats().records, uint64_t(4));
        QVERIFY(p.take().events.empty()); // take() moved everything out
    }

    void memcpyAndMemset() {
        ActivityProcessor p;
        SyntheticActivity b;
        addShiftSamples(b);
        b.addRuntime("cudaMemcpyAsync", kGpuBase + 100, kGpuBase + 200, 1, 1);
        b.addMemcpy(1 << 20, Copy::HtoD, Mem::Pageable, Mem::Device, kGpuBase + 1'000,
                    kGpuBase + 2'000, 3, 1);
        b.addRuntime("cudaMemcpyAsync", kGpuBase + 300, kGpuBase + 400, 1, 2);
        b.addMemcpy(4096, Copy::DtoH, Mem::Device, Mem::Pinned, kGpuBase + 3'000, kGpuBase + 3'500,
                    3, 2);
        b.addRuntime("cudaMemcpyAsync", kGpuBase + 500, kGpuBase + 600, 1, 3);
        b.addMemcpy(512, Copy::DtoD, Mem::Device, Mem::Device, kGpuBase + 4'000, kGpuBase + 4'100,
                    3, 3);
        b.addRuntime("cudaMemsetAsync", kGpuBase + 700, kGpuBase + 800, 1, 4);
        b.addMemset(2048, Mem::Device, kGpuBase + 5'000, kGpuBase + 5'200, 3, 4);
        b.feed(p);
        const GpuTrace t = p.take();
        QCOMPARE(count(t, "gpu_memcpy"), 3);
        QCOMPARE(count(t, "gpu_memset"), 1);

        const TraceEvent *h2d = find(t, "gpu_memcpy", "Memcpy HtoD (Pageable -> Device)");
        QVERIFY(h2d);
        QCOMPARE(h2d->arg("bytes"), std::string("1048576"));
        QCOMPARE(h2d->arg("kind"), std::string("HtoD"));
        QCOMPARE(h2d->arg("src kind"), std::string("Pageable"));
        QCOMPARE(h2d->arg("dst kind"), std::string("Device"));
        QCOMPARE(h2d->arg("memory bandwidth (GB/s)"), std::string("1048.576"));
        QCOMPARE(h2d->pid, kGpuPidBase);
        QCOMPARE(h2d->tid, 3);
        QCOMPARE(h2d->startNs, shifted(1'000));

        const TraceEvent *d2h = find(t, "gpu_memcpy", "Memcpy DtoH (Device -> Pinned)");
        QVERIFY(d2h);
        QCOMPARE(d2h->arg("kind"), std::string("DtoH"));
        QCOMPARE(d2h->arg("dst kind"), std::string("Pinned"));
        QVERIFY(find(t, "gpu_memcpy", "Memcpy DtoD (Device -> Device)"));

        const TraceEvent *set = find(t, "gpu_memset", "Memset (Device)");
        QVERIFY(set);
        QCOMPARE(set->arg("bytes"), std::string("2048"));
        QCOMPARE(set->durationNs, int64_t(200));
        QCOMPARE(t.flows.size(), size_t(4)); // every copy and set joined to its call
    }

    void runtimeFlowsByCorrelation() {
        ActivityProcessor p;
        p.mapThread(4242, 3);
        SyntheticActivity b;
        addShiftSamples(b);
        b.addRuntime("cudaLaunchKernel", kGpuBase + 1'000, kGpuBase + 1'500, 4242, 10);
        b.addRuntime("cudaLaunchKernel", kGpuBase + 1'600, kGpuBase + 1'900, 777, 12);
        b.addKernel("k10", kGpuBase + 2'000, kGpuBase + 3'000, 0, 7, 10, {}, {}, 8, 0, 0);
        b.addKernel("k12", kGpuBase + 3'000, kGpuBase + 3'400, 0, 9, 12, {}, {}, 8, 0, 0);
        b.feed(p);
        GpuTrace t = p.take();

        const TraceEvent *launch = find(t, "cuda_runtime", "cudaLaunchKernel");
        QVERIFY(launch);
        QCOMPARE(launch->pid, 0);
        QCOMPARE(launch->tid, 3); // the Tracer's id for OS thread 4242
        QCOMPARE(launch->arg("correlation"), std::string("10"));
        QCOMPARE(launch->arg("cbid"),
                 std::to_string(SyntheticActivity::runtimeCbid("cudaLaunchKernel")));
        QCOMPARE(launch->startNs, shifted(1'000));
        QCOMPARE(launch->durationNs, int64_t(500));
        // An unmapped thread keeps its OS id.
        QCOMPARE(count(t, "cuda_runtime"), 2);
        QCOMPARE(t.events[1].tid, 777);

        QCOMPARE(t.flows.size(), size_t(2));
        const TraceFlow &f = t.flows[0];
        QCOMPARE(f.id, uint64_t(10));
        QCOMPARE(f.fromPid, 0);
        QCOMPARE(f.fromTid, 3);
        QCOMPARE(f.fromNs, shifted(1'000));
        QCOMPARE(f.toPid, kGpuPidBase);
        QCOMPARE(f.toTid, 7);
        QCOMPARE(f.toNs, shifted(2'000));
        QCOMPARE(t.flows[1].id, uint64_t(12));
        QCOMPARE(t.flows[1].fromTid, 777);
        QCOMPARE(t.flows[1].toTid, 9);
    }

    void gpuRecordBeforeItsLaunch() {
        // Kernel records may come in a buffer before the one holding the runtime call.
        ActivityProcessor p;
        SyntheticActivity b;
        addShiftSamples(b);
        b.addKernel("early", kGpuBase + 2'000, kGpuBase + 3'000, 0, 7, 20, {}, {}, 8, 0, 0);
        b.addKernel("orphan", kGpuBase + 4'000, kGpuBase + 5'000, 0, 7, 21, {}, {}, 8, 0, 0);
        b.feed(p);
        QVERIFY(p.take().events.empty()); // held for their launch

        b.addExternalCorrelation(20, 555);
        b.addRuntime("cudaLaunchKernel", kGpuBase + 1'000, kGpuBase + 1'500, 1, 20);
        b.feed(p);
        GpuTrace t = p.take();
        QCOMPARE(count(t, "kernel"), 1);
        const TraceEvent *early = find(t, "kernel", "early");
        QVERIFY(early);
        QCOMPARE(early->arg("external id"), std::string("555"));
        QCOMPARE(t.flows.size(), size_t(1));
        QCOMPARE(t.flows[0].id, uint64_t(20));

        // The orphan's launch never comes: drawn without a flow after kPendingRounds rounds.
        for (int i = 0; i < ActivityProcessor::kPendingRounds - 1; ++i)
            p.endRound();
        QVERIFY(p.take().events.empty());
        p.endRound();
        t = p.take();
        QCOMPARE(t.events.size(), size_t(1));
        QCOMPARE(t.events[0].name, std::string("orphan"));
        QVERIFY(t.flows.empty());
    }

    void finishDrawsWhatWaits() {
        ActivityProcessor p;
        SyntheticActivity b;
        addShiftSamples(b);
        b.addKernel("lonely", kGpuBase + 2'000, kGpuBase + 3'000, 0, 7, 30, {}, {}, 8, 0, 0);
        b.feed(p);
        QVERIFY(p.take().events.empty());
        p.finish();
        const GpuTrace t = p.take();
        QCOMPARE(t.events.size(), size_t(1));
        QCOMPARE(t.events[0].startNs, shifted(2'000));
    }

    void externalCorrelation() {
        ActivityProcessor p;
        SyntheticActivity b;
        addShiftSamples(b);
        b.addExternalCorrelation(40, 77);
        b.addRuntime("cudaLaunchKernel", kGpuBase + 1'000, kGpuBase + 1'500, 1, 40);
        b.addKernel("tagged", kGpuBase + 2'000, kGpuBase + 3'000, 0, 7, 40, {}, {}, 8, 0, 0);
        // Another tool's kind (CUSTOM1) is not ours.
        b.addExternalCorrelation(41, 99, 4);
        b.addRuntime("cudaLaunchKernel", kGpuBase + 1'600, kGpuBase + 1'700, 1, 41);
        b.addKernel("untagged", kGpuBase + 3'000, kGpuBase + 3'500, 0, 7, 41, {}, {}, 8, 0, 0);
        b.feed(p);
        const GpuTrace t = p.take();
        const TraceEvent *tagged = find(t, "kernel", "tagged");
        QVERIFY(tagged);
        QCOMPARE(tagged->arg("external id"), std::string("77"));
        QCOMPARE(t.events[0].category, std::string("cuda_runtime"));
        QCOMPARE(t.events[0].arg("external id"), std::string("77"));
        const TraceEvent *untagged = find(t, "kernel", "untagged");
        QVERIFY(untagged);
        QCOMPARE(untagged->arg("external id"), std::string());
    }

    void clockMappingRecoversTheLine() {
        // host = gpu * 1.0001 + 5e6, sampled every 150 ms for 6 s.
        auto hostOf = [](int64_t gpuOffset) {
            return int64_t(std::llround(double(gpuOffset) * 1.0001 + 5e6));
        };
        ActivityProcessor p;
        SyntheticActivity b;
        for (int i = 0; i <= 40; ++i) {
            const int64_t offset = 1'000'000'000 + int64_t(i) * 150'000'000;
            b.addClockSample(kGpuBase + offset, hostOf(offset));
        }
        const int64_t start = 3'333'333'333, end = 3'433'333'333;
        b.addKernel("timed", kGpuBase + start, kGpuBase + end, 0, 7, 50, {}, {}, 8, 0, 0);
        b.feed(p);
        p.finish();
        const GpuTrace t = p.take();
        QCOMPARE(t.events.size(), size_t(1));
        QVERIFY(std::llabs(t.events[0].startNs - hostOf(start)) <= 1);
        QVERIFY(std::llabs(t.events[0].endNs() - hostOf(end)) <= 1);
        QVERIFY(std::llabs(t.events[0].durationNs - 100'010'000) <= 1);
        const ActivityStats s = p.stats();
        QCOMPARE(s.clockSamples, size_t(41));
        QVERIFY(s.clockSkewNs <= 1.0); // only the rounding of the samples
    }

    void clockFitReportsTheWorstResidual() {
        ClockFit fit;
        QCOMPARE(fit.toHost(123), int64_t(123)); // identity before any sample
        for (int i = 0; i < 40; ++i) {
            const int64_t gpu = int64_t(i) * 100'000'000;
            const int64_t noise = i == 17 ? 3'000 : (i % 2 ? 200 : -200);
            fit.addSample(gpu, 2 * gpu + 7'000'000 + noise);
        }
        QVERIFY(std::abs(fit.slope() - 2.0) < 1e-6);
        QVERIFY(std::abs(fit.intercept() - 7e6) < 200);
        // The outlier dominates: about 3 us off the line (the fit moves a little towards it).
        QVERIFY2(fit.worstResidualNs() > 2'800 && fit.worstResidualNs() < 3'000,
                 std::to_string(fit.worstResidualNs()).c_str());

        // Samples less than 1 ms apart: slope kept at 1, offset averaged.
        ClockFit close;
        close.addSample(1'000, 5'000);
        close.addSample(2'000, 6'100);
        QCOMPARE(close.slope(), 1.0);
        QCOMPARE(close.toHost(10'000), int64_t(14'050));
        QCOMPARE(close.worstResidualNs(), 50.0);
    }

    void memoryEvents() {
        ActivityProcessor p;
        SyntheticActivity b;
        addShiftSamples(b);
        b.addMemory(0x7f0000000000ull, 1 << 20, true, kGpuBase + 10'000, 0);
        b.addMemory(0x7f0000000000ull, 1 << 20, false, kGpuBase + 90'000, 0);
        b.addMemory(0x10000, 4096, true, kGpuBase + 20'000, 0, Mem::Pinned);
        b.feed(p);
        const GpuTrace t = p.take();
        QCOMPARE(t.memory.size(), size_t(3));
        QCOMPARE(t.memory[0].device, std::string("cuda:0"));
        QCOMPARE(t.memory[0].bytes, int64_t(1 << 20));
        QCOMPARE(t.memory[0].address, uint64_t(0x7f0000000000ull));
        QCOMPARE(t.memory[0].tsNs, shifted(10'000));
        QCOMPARE(t.memory[1].bytes, -int64_t(1 << 20));
        QCOMPARE(t.memory[1].tsNs, shifted(90'000));
        QCOMPARE(t.memory[2].device, std::string("cpu")); // pinned host memory
        QVERIFY(t.events.empty());
    }

    void syncAndDriverCalls() {
        ActivityProcessor p;
        p.mapThread(4242, 2);
        SyntheticActivity b;
        addShiftSamples(b);
        b.addRuntime("cudaStreamSynchronize", kGpuBase + 1'000, kGpuBase + 9'000, 4242, 60);
        b.addSync(Sync::Stream, kGpuBase + 1'100, kGpuBase + 8'900, 60, 7);
        b.addRuntime("cudaDeviceSynchronize", kGpuBase + 10'000, kGpuBase + 12'000, 4242, 61);
        b.addSync(Sync::Context, kGpuBase + 10'100, kGpuBase + 11'900, 61);
        b.addRuntime("cudaEventSynchronize", kGpuBase + 13'000, kGpuBase + 14'000, 4242, 62);
        b.addSync(Sync::Event, kGpuBase + 13'100, kGpuBase + 13'900, 62);
        b.addRuntime("cudaStreamWaitEvent", kGpuBase + 15'000, kGpuBase + 15'100, 4242, 63);
        b.addSync(Sync::StreamWaitEvent, kGpuBase + 15'010, kGpuBase + 15'090, 63, 7);
        b.addDriver("cuLaunchKernel", kGpuBase + 16'000, kGpuBase + 16'500, 4242, 64);
        b.addDriver("cuMemAlloc", kGpuBase + 17'000, kGpuBase + 17'500, 4242, 65);
        b.addDriver("cuCtxGetCurrent", kGpuBase + 18'000, kGpuBase + 18'100, 4242, 66);
        b.addKernel("triton_kernel", kGpuBase + 20'000, kGpuBase + 21'000, 0, 7, 64, {}, {}, 8, 0,
                    0);
        b.feed(p);
        const GpuTrace t = p.take();
        QCOMPARE(count(t, "cuda_sync"), 4);
        const TraceEvent *stream = find(t, "cuda_sync", "cudaStreamSynchronize");
        QVERIFY(stream);
        QCOMPARE(stream->pid, 0);
        QCOMPARE(stream->tid, 2); // the calling thread's lane
        QCOMPARE(stream->startNs, shifted(1'100));
        QCOMPARE(stream->arg("stream"), std::string("7"));
        QVERIFY(find(t, "cuda_sync", "cudaDeviceSynchronize"));
        QVERIFY(find(t, "cuda_sync", "Event Sync"));
        QVERIFY(find(t, "cuda_sync", "Stream Wait Event"));

        // Driver calls: launches and memory kept, the rest filtered.
        QCOMPARE(count(t, "cuda_driver"), 2);
        QVERIFY(find(t, "cuda_driver", "cuLaunchKernel"));
        QVERIFY(find(t, "cuda_driver", "cuMemAlloc"));
        // A driver launch (no runtime call) still gets its flow.
        QCOMPARE(t.flows.size(), size_t(1));
        QCOMPARE(t.flows[0].id, uint64_t(64));
        QCOMPARE(t.flows[0].fromTid, 2);
    }

    void droppedAndOverheadCounted() {
        CuptiCollector collector; // never started: its processor is the seam
        SyntheticActivity b;
        addShiftSamples(b);
        b.addOverhead(kGpuBase + 100, kGpuBase + 250'100);
        b.addOverhead(kGpuBase + 1'000'000, kGpuBase + 1'250'000);
        b.addDropped(5);
        b.feed(collector.processor());
        b.addDropped(2);
        b.feed(collector.processor());

        const ActivityStats s = collector.processor().stats();
        QCOMPARE(s.dropped, uint64_t(7));
        QCOMPARE(s.overheadRecords, uint64_t(2));
        QCOMPARE(s.overheadNs, int64_t(500'000));
        QVERIFY(collector.take().events.empty()); // overhead is counted, never drawn

        const DeviceTraceInfo info = collector.info();
        QCOMPARE(info.dropped, uint64_t(7));
        QCOMPARE(info.records, uint64_t(2));
        QCOMPARE(info.device, std::string("cpu"));
        QVERIFY2(info.note.find("7 records dropped") != std::string::npos, info.note.c_str());
        QVERIFY2(info.note.find("CUPTI overhead: 2 records, 0.500 ms") != std::string::npos,
                 info.note.c_str());
    }

    void failureNotes() {
        // CUptiResult values: 35 INSUFFICIENT_PRIVILEGES, 39 MULTIPLE_SUBSCRIBERS, 27
        // NOT_SUPPORTED.
        QCOMPARE(cuptiFailureNote(35, "cuptiActivityEnable(CONCURRENT_KERNEL)"),
                 std::string("GPU tracing unavailable: insufficient privileges to use CUPTI "
                             "(CUPTI_ERROR_INSUFFICIENT_PRIVILEGES); see NVIDIA's "
                             "ERR_NVGPUCTRPERM"));
        QCOMPARE(cuptiFailureNote(39, "cuptiActivityEnable(RUNTIME)"),
                 std::string("GPU tracing unavailable: another profiler is already subscribed to "
                             "CUPTI (Nsight Systems, Kineto?)"));
        QCOMPARE(cuptiFailureNote(27, "cuptiActivityEnable(MEMORY2)"),
                 std::string("GPU tracing unavailable: cuptiActivityEnable(MEMORY2) failed "
                             "(CUPTI_ERROR_NOT_SUPPORTED)"));
        QCOMPARE(noGpuNote("no CUDA device"),
                 std::string("no GPU: host and operator tracing only (no CUDA device)"));
    }

    void startWithoutGpu() {
        const GpuProbe probe = probeGpu();
        std::unique_ptr<GpuCollector> collector = GpuCollector::create();
        QVERIFY(collector);
        int64_t fakeNow = 0;
        const bool started = collector->start([&] { return fakeNow += 10; });
        if (probe.available) {
            // A GPU machine: either tracing or a one-line reason.
            QVERIFY2(started || collector->note().rfind("GPU tracing unavailable", 0) == 0,
                     collector->note().c_str());
            collector->stop();
            return;
        }
        QVERIFY(!started);
        QVERIFY2(collector->note().rfind("no GPU", 0) == 0, collector->note().c_str());
        QCOMPARE(collector->note(), noGpuNote(probe.reason));
        if (probe.reason.rfind("no NVIDIA driver", 0) == 0) // this machine: no libcuda at all
            QCOMPARE(collector->note(), std::string("no GPU: host and operator tracing only (no "
                                                    "NVIDIA driver: libcuda.so.1 not found)"));
        const DeviceTraceInfo info = collector->info();
        QCOMPARE(info.device, std::string("cpu"));
        QCOMPARE(info.note, collector->note());
        QCOMPARE(info.records, uint64_t(0));
        // Everything after a failed start is harmless.
        collector->pushExternalId(1);
        collector->popExternalId();
        QVERIFY(collector->take().events.empty());
        collector->stop();
        collector->stop();
        QVERIFY(!collector->start(nullptr)); // and trying again says the same
        QCOMPARE(collector->note(), noGpuNote(probe.reason));
    }
};

QTEST_GUILESS_MAIN(TestCuptiCollector)
#include "tst_cupticollector.moc"
