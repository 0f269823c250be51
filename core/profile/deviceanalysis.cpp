// What the GPU lanes say about the profiled steps (utilisation, kernel sizes, idle gaps,
// pageable copies, Tensor Core use) and the advice that follows from it.
#include "core/profile/stepanalysis.h"
#include "core/profile/tracefile.h"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <unordered_map>

namespace trainscope {
namespace {

bool contains(const std::string &s, const char *part) {
    return s.find(part) != std::string::npos;
}

// cuBLAS, cuDNN and CUTLASS name their kernels after the instruction shapes they use.
bool usesTensorCores(const std::string &kernel) {
    for (const char *mark : {"884", "1688", "16816", "hmma", "HMMA", "tensorop", "wgmma", "gmma",
                             "bf16", "f16f16", "tf32", "_h16", "nvjet"})
        if (contains(kernel, mark)) return true;
    return false;
}

bool isMatmul(const std::string &kernel) {
    for (const char *mark : {"gemm", "Gemm", "GEMM", "conv", "Conv", "xmma", "cutlass", "matmul",
                             "nvjet", "wgrad", "dgrad"})
        if (contains(kernel, mark)) return true;
    return false;
}

std::string format(const char *fmt, double a, double b = 0, double c = 0, double d = 0) {
    char buf[512];
    std::snprintf(buf, sizeof buf, fmt, a, b, c, d);
    return buf;
}

} // namespace

DeviceFigures analyzeDevice(const std::vector<TraceEvent> &events,
                            const std::vector<StepStats> &steps) {
    DeviceFigures f;
    std::vector<std::pair<int64_t, int64_t>> spans; // the steps, on the trace's clock
    for (const TraceEvent &e : events)
        if (isStepEvent(e)) spans.push_back({e.startNs, e.endNs()});
    std::sort(spans.begin(), spans.end());
    double stepMs = 0, busyMs = 0;
    int kernels = 0;
    for (const StepStats &s : steps)
        if (s.gpuBusyMs >= 0) {
            stepMs += s.totalMs;
            busyMs += s.gpuBusyMs;
            kernels += s.kernels;
        }
    if (spans.empty() || stepMs <= 0) return f;
    auto stepOf = [&](int64_t t) -> int {
        auto it = std::upper_bound(spans.begin(), spans.end(), std::make_pair(t, INT64_MAX));
        if (it == spans.begin()) return -1;
        --it;
        return t < it->second ? int(it - spans.begin()) : -1;
    };
    std::vector<const TraceEvent *> work;
    double kernelNs = 0, matmulNs = 0, tensorNs = 0;
    int kernelCount = 0, pageable = 0;
    double pageableNs = 0;
    // Each kernel name classified once: a trace repeats a few hundred names a million times.
    std::unordered_map<std::string_view, std::pair<bool, bool>> kinds; // matmul, Tensor Cores
    for (const TraceEvent &e : events) {
        if (!isGpuWork(e) || stepOf(e.startNs) < 0) continue;
        work.push_back(&e);
        if (e.category == "kernel") {
            ++kernelCount;
            kernelNs += double(e.durationNs);
            auto [kind, fresh] = kinds.try_emplace(e.name);
            if (fresh) kind->second = {isMatmul(e.name), usesTensorCores(e.name)};
            if (kind->second.first) matmulNs += double(e.durationNs);
            if (kind->second.second) tensorNs += double(e.durationNs);
        } else if (e.category == "gpu_memcpy" && contains(e.name, "HtoD") &&
                   (contains(e.name, "Pageable") || e.arg("src kind") == "Pageable")) {
            ++pageable;
            pageableNs += double(e.durationNs);
        }
    }
    if (work.empty()) return f;
    std::sort(work.begin(), work.end(), [](auto *a, auto *b) { return a->startNs < b->startNs; });
    std::vector<std::pair<int64_t, int64_t>> busy; // disjoint, in order
    for (const TraceEvent *t : work)
        if (!busy.empty() && t->startNs <= busy.back().second)
            busy.back().second = std::max(busy.back().second, t->endNs());
        else
            busy.push_back({t->startNs, t->endNs()});
    // The longest stretch inside one step with nothing running on the GPU.
    int64_t longestGap = 0;
    for (const auto &[s, e] : spans) {
        auto it = std::lower_bound(busy.begin(), busy.end(), s,
                                   [](const auto &iv, int64_t at) { return iv.second <= at; });
        int64_t idleFrom = s;
        for (; it != busy.end() && it->first < e; ++it) {
            longestGap = std::max(longestGap, it->first - idleFrom);
            idleFrom = std::max(idleFrom, it->second);
        }
        longestGap = std::max(longestGap, e - idleFrom);
    }
    const double n = double(steps.size());
    f.present = true;
    f.utilization = busyMs / stepMs;
    f.kernelsPerStep = double(kernels) / n;
    f.meanKernelUs = kernelCount ? kernelNs / kernelCount / 1e3 : 0;
    f.longestIdleMs = double(longestGap) / 1e6;
    f.pageableCopiesPerStep = pageable / n;
    f.pageableCopyMs = pageableNs / 1e6 / n;
    f.matmulShare = kernelNs > 0 ? matmulNs / kernelNs : 0;
    f.tensorCoreShare = kernelNs > 0 ? tensorNs / kernelNs : 0;
    return f;
}

void deviceAdvice(const DeviceFigures &f, const ProfileSummary &p, const AdviceContext &ctx,
                  std::vector<std::string> &advice) {
    if (!f.present) return;
    const double launch =
        p.meanStepMs > 0 ? p.meanMs[size_t(TimeCategory::KernelLaunch)] / p.meanStepMs : 0;
    const bool launchBound =
        f.kernelsPerStep >= 50 && f.meanKernelUs < 20 && (f.utilization < 0.7 || launch > 0.2);
    if (launchBound)
        advice.push_back(format(
            "Launch-bound: %.0f kernels a step averaging %.1f us keep the GPU waiting on the "
            "host (busy %.0f%% of the step, launches %.0f%%). Raise training.batch_size so each "
            "kernel does more work.",
            f.kernelsPerStep, f.meanKernelUs, 100 * f.utilization, 100 * launch));
    else if (f.utilization < 0.5 && p.verdict == InputVerdict::NotInputBound)
        advice.push_back(
            format("The GPU idles %.0f%% of the step (longest gap %.2f ms): the host is the "
                   "bottleneck. Raise training.batch_size, and look in the Trace tab for host work "
                   "between kernels.",
                   100 * (1 - f.utilization), f.longestIdleMs));
    if (f.pageableCopiesPerStep > 0 && !ctx.pinMemory)
        advice.push_back(format(
            "Host-to-device copies come from pageable memory (%.1f a step, %.2f ms): set "
            "pipeline.pin_memory to true so they run from page-locked buffers, asynchronously.",
            f.pageableCopiesPerStep, f.pageableCopyMs));
    if (ctx.mixedPrecision == "none" && f.matmulShare > 0.2 && f.tensorCoreShare < 0.1)
        advice.push_back(format(
            "Tensor Cores are idle: %.0f%% of GPU time is matrix multiplication, %.0f%% of it "
            "on Tensor Cores. Set training.mixed_precision to \"bf16\".",
            100 * f.matmulShare, 100 * f.tensorCoreShare / std::max(f.matmulShare, 1e-9)));
}

ProfileSummary summarizeTrace(const TraceFile &trace) {
    std::vector<StepStats> steps = analyzeSteps(trace.events);
    const DeviceFigures device = analyzeDevice(trace.events, steps);
    ProfileSummary s = summarize(std::move(steps), trace.stages, operatorStats(trace.events),
                                 trace.context, device);
    s.deviceNote = trace.deviceInfo.note;
    if (trace.deviceInfo.dropped > 0)
        s.deviceNote += (s.deviceNote.empty() ? "" : "; ") +
                        std::to_string(trace.deviceInfo.dropped) +
                        " GPU activity records were dropped by CUPTI";
    return s;
}

} // namespace trainscope
