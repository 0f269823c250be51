#include "core/profile/stepanalysis.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace trainscope {
namespace {

std::string format(const char *fmt, double a, double b = 0, double c = 0) {
    char buf[512];
    std::snprintf(buf, sizeof buf, fmt, a, b, c);
    return buf;
}

// GPU work as disjoint busy intervals (sorted), and kernel start times (sorted).
struct GpuTimeline {
    std::vector<std::pair<int64_t, int64_t>> busy;
    std::vector<int64_t> kernelStarts;

    explicit GpuTimeline(const std::vector<const TraceEvent *> &work) { // sorted by start
        for (const TraceEvent *t : work) {
            if (t->category == "kernel") kernelStarts.push_back(t->startNs);
            if (!busy.empty() && t->startNs <= busy.back().second)
                busy.back().second = std::max(busy.back().second, t->endNs());
            else
                busy.push_back({t->startNs, t->endNs()});
        }
    }
    void within(int64_t s, int64_t e, StepStats &st) const {
        auto it = std::lower_bound(busy.begin(), busy.end(), s,
                                   [](const auto &iv, int64_t at) { return iv.second <= at; });
        int64_t total = 0;
        for (; it != busy.end() && it->first < e; ++it)
            total += std::min(it->second, e) - std::max(it->first, s);
        st.gpuBusyMs = double(total) / 1e6;
        st.kernels = int(std::lower_bound(kernelStarts.begin(), kernelStarts.end(), e) -
                         std::lower_bound(kernelStarts.begin(), kernelStarts.end(), s));
    }
};

// Events by start time (stable: ties keep trace order). The start times are copied beside
// their events first, so the sort compares values instead of chasing a million pointers; traces
// mostly arrive in order, which is checked for first.
void sortByStart(std::vector<const TraceEvent *> &events) {
    auto byStart = [](const TraceEvent *a, const TraceEvent *b) { return a->startNs < b->startNs; };
    if (std::is_sorted(events.begin(), events.end(), byStart)) return;
    std::vector<std::pair<int64_t, const TraceEvent *>> keyed;
    keyed.reserve(events.size());
    for (const TraceEvent *e : events)
        keyed.emplace_back(e->startNs, e);
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    for (size_t i = 0; i < keyed.size(); ++i)
        events[i] = keyed[i].second;
}

} // namespace

std::optional<TimeCategory> timeCategoryOf(const std::string &c) {
    if (c == "input") return TimeCategory::Input;
    if (c == "h2d" || c == "gpu_memcpy_h2d") return TimeCategory::HostToDevice;
    if (c == "kernel" || c == "gpu_memset" || c == "gpu_memcpy") return TimeCategory::DeviceCompute;
    if (c == "cuda_runtime" || c == "cuda_driver") return TimeCategory::KernelLaunch;
    if (c == "host_compute" || c == "cpu_op" || c == "user_annotation")
        return TimeCategory::HostCompute;
    if (c == "d2h" || c == "gpu_memcpy_d2h") return TimeCategory::DeviceToHost;
    return std::nullopt;
}

std::optional<TimeCategory> timeCategoryOf(const TraceEvent &e) {
    if (e.category == "gpu_memcpy") {
        // PyTorch and the CUPTI collector name copies "Memcpy HtoD (Pageable -> Device)".
        if (e.name.find("HtoD") != std::string::npos) return TimeCategory::HostToDevice;
        if (e.name.find("DtoH") != std::string::npos) return TimeCategory::DeviceToHost;
    }
    return timeCategoryOf(e.category);
}

bool isStepEvent(const TraceEvent &e) {
    return e.category == "step" ||
           (e.category == "user_annotation" && e.name.rfind("ProfilerStep#", 0) == 0);
}

bool isGpuWork(const TraceEvent &e) {
    return e.pid >= kGpuPidBase && e.phase == 'X' &&
           (e.category == "kernel" || e.category == "gpu_memcpy" || e.category == "gpu_memset");
}

std::vector<StepStats> analyzeSteps(const std::vector<TraceEvent> &events) {
    std::vector<const TraceEvent *> steps, timed, gpu;
    std::vector<TimeCategory> categories(events.size());
    for (const TraceEvent &e : events) {
        if (isStepEvent(e)) {
            steps.push_back(&e);
            continue;
        }
        if (const auto c = timeCategoryOf(e)) {
            categories[size_t(&e - events.data())] = *c;
            timed.push_back(&e);
        }
        if (isGpuWork(e)) gpu.push_back(&e);
    }
    sortByStart(steps);
    sortByStart(timed);
    sortByStart(gpu);
    auto categoryOf = [&](const TraceEvent *t) { return categories[size_t(t - events.data())]; };
    const GpuTimeline gpuTimeline(gpu);

    std::vector<StepStats> out;
    const int64_t origin = steps.empty() ? 0 : steps.front()->startNs;
    // The events that may overlap the current step: those begun before it that have not
    // ended, carried from step to step, and those begun inside it. One long annotation over
    // 20,000 steps is carried along, not rescanned with everything after it.
    std::vector<const TraceEvent *> open;
    size_t next = 0; // the first event not yet seen
    for (const TraceEvent *step : steps) {
        const int64_t s = step->startNs, e = step->endNs();
        open.erase(std::remove_if(open.begin(), open.end(),
                                  [s](const TraceEvent *t) { return t->endNs() <= s; }),
                   open.end());
        for (; next < timed.size() && timed[next]->startNs < e; ++next)
            if (timed[next]->endNs() > s) open.push_back(timed[next]);
        // Boundaries where a category starts (+1) or stops (-1) inside the step.
        std::vector<std::pair<int64_t, int>> edges; // (time, +-(category+1))
        for (const TraceEvent *t : open) {
            if (t->startNs >= e) continue; // begun after this (shorter, overlapping) step
            const int c = int(categoryOf(t)) + 1;
            edges.push_back({std::max(t->startNs, s), c});
            edges.push_back({std::min(t->endNs(), e), -c});
        }
        std::sort(edges.begin(), edges.end());
        StepStats st;
        const std::string &name = step->name;
        const size_t hash = name.find('#');
        st.step =
            hash == std::string::npos ? int64_t(out.size()) : std::atoll(name.c_str() + hash + 1);
        st.startMs = double(s - origin) / 1e6;
        st.totalMs = double(e - s) / 1e6;
        for (const auto &[key, value] : step->args)
            st.operatorsObserved |= key == "operators";
        int active[kTimeCategories] = {};
        int64_t at = s;
        auto account = [&](int64_t until) {
            if (until <= at) return;
            int winner = int(TimeCategory::Other);
            for (int c = 0; c < kTimeCategories; ++c)
                if (active[c] > 0) {
                    winner = c;
                    break;
                }
            st.ms[size_t(winner)] += double(until - at) / 1e6;
            at = until;
        };
        for (const auto &[time, signedCategory] : edges) {
            account(time);
            active[std::abs(signedCategory) - 1] += signedCategory > 0 ? 1 : -1;
        }
        account(e);
        if (!gpu.empty()) gpuTimeline.within(s, e, st);
        out.push_back(st);
    }
    return out;
}

std::vector<OpStats> operatorStats(const std::vector<TraceEvent> &events,
                                   const std::string &category) {
    std::vector<const TraceEvent *> ops;
    for (const TraceEvent &e : events)
        if (e.category == category) ops.push_back(&e);
    // Per thread, in start order (outer before inner on ties, then file order, as PyTorch's
    // key_averages() nests them): a stack of open operators gives each one's direct children,
    // whose time is not its own. An operator that outlasts the one open is not its child.
    std::stable_sort(ops.begin(), ops.end(), [](auto *a, auto *b) {
        return std::tie(a->pid, a->tid, a->startNs, b->durationNs) <
               std::tie(b->pid, b->tid, b->startNs, a->durationNs);
    });
    std::vector<double> childUs(ops.size(), 0);
    std::vector<size_t> open;
    for (size_t i = 0; i < ops.size(); ++i) {
        while (!open.empty() &&
               (ops[open.back()]->tid != ops[i]->tid || ops[open.back()]->pid != ops[i]->pid ||
                ops[open.back()]->endNs() <= ops[i]->startNs ||
                ops[i]->endNs() > ops[open.back()]->endNs()))
            open.pop_back();
        if (!open.empty()) childUs[open.back()] += double(ops[i]->durationNs) / 1e3;
        open.push_back(i);
    }
    std::unordered_map<std::string_view, OpStats> byName;
    for (size_t i = 0; i < ops.size(); ++i) {
        const TraceEvent &e = *ops[i];
        OpStats &s = byName[e.name];
        const double us = double(e.durationNs) / 1e3;
        if (s.calls == 0) {
            s.name = e.name;
            s.minUs = s.maxUs = us;
        }
        ++s.calls;
        s.totalUs += us;
        s.selfUs += us - childUs[i]; // unclamped, as PyTorch sums them (see below)
        s.minUs = std::min(s.minUs, us);
        s.maxUs = std::max(s.maxUs, us);
    }
    // Whole-microsecond traces (PyTorch's legacy ones) can give one call children that add up
    // to more than it lasts, so its own share is negative; key_averages() sums such calls as
    // they are, and so does this, so the totals agree. A negative total is shown as none.
    std::vector<OpStats> out;
    for (auto &[name, s] : byName) {
        s.selfUs = std::max(0.0, s.selfUs);
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [](const OpStats &a, const OpStats &b) {
        return a.selfUs != b.selfUs ? a.selfUs > b.selfUs : a.name < b.name;
    });
    return out;
}

ProfileSummary summarize(std::vector<StepStats> steps, std::vector<StageStats> stages,
                         std::vector<OpStats> ops, const AdviceContext &ctx,
                         const DeviceFigures &device) {
    ProfileSummary p;
    p.device = ctx.device;
    p.deviceFigures = device;
    p.steps = steps;
    // Means over the steps that ran without operator observers, when there are any: the
    // observers slow LibTorch's dispatch and would inflate host compute.
    const bool anyClean = std::any_of(steps.begin(), steps.end(),
                                      [](const StepStats &s) { return !s.operatorsObserved; });
    int counted = 0;
    for (const StepStats &s : steps) {
        if (anyClean && s.operatorsObserved) continue;
        ++counted;
        p.meanStepMs += s.totalMs;
        for (int c = 0; c < kTimeCategories; ++c)
            p.meanMs[size_t(c)] += s.ms[size_t(c)];
    }
    if (counted) {
        p.meanStepMs /= counted;
        for (double &m : p.meanMs)
            m /= counted;
    }
    const double input = p.meanMs[size_t(TimeCategory::Input)];
    p.inputShare = p.meanStepMs > 0 ? input / p.meanStepMs : 0;
    p.verdict = p.inputShare >= 0.20   ? InputVerdict::HighlyInputBound
                : p.inputShare >= 0.05 ? InputVerdict::ModeratelyInputBound
                                       : InputVerdict::NotInputBound;
    p.verdictText = format("%.1f%% of the mean step (%.2f ms of %.2f ms) waits for input",
                           100 * p.inputShare, input, p.meanStepMs) +
                    (steps.empty() ? std::string(" (no profiled steps)") : std::string());
    std::sort(stages.begin(), stages.end(),
              [](const auto &a, const auto &b) { return a.totalMs > b.totalMs; });
    p.stages = std::move(stages);
    p.topOps = std::move(ops); // all of them: views and the CLI choose how many to show

    auto &advice = p.recommendations;
    const double host =
        p.meanStepMs > 0 ? p.meanMs[size_t(TimeCategory::HostCompute)] / p.meanStepMs : 0;
    if (!ctx.fromJob()) {
        if (p.verdict != InputVerdict::NotInputBound)
            advice.push_back(format("Input takes %.0f%% of the step: load batches in parallel "
                                    "and ahead of the model (DataLoader num_workers, "
                                    "prefetch_factor, pin_memory).",
                                    100 * p.inputShare));
        else if (ctx.device == "cpu" && !device.present && host > 0)
            advice.push_back(format("Not input-bound: operators on the CPU take %.0f%% of the "
                                    "step. Run on a GPU, shrink the model, or raise the batch "
                                    "size for more samples per second.",
                                    100 * host));
        if (p.meanStepMs > 0 && p.meanStepMs < 2)
            advice.push_back(format("Steps are short (%.2f ms): raise the batch size to amortise "
                                    "per-step overhead.",
                                    p.meanStepMs));
    } else if (p.verdict != InputVerdict::NotInputBound) {
        const StageStats *slow = p.stages.empty() ? nullptr : &p.stages.front();
        if (slow && slow->stage == "preprocess" && ctx.cache == "none" && ctx.hasPreprocess)
            advice.push_back(format(
                "Cache: set pipeline.cache to \"memory\". Preprocessing is the slowest stage "
                "(%.2f ms of CPU per batch) and gives the same result every epoch.",
                slow->msPerBatch()));
        if (ctx.prefetch == 0)
            advice.push_back(format(
                "Prefetch: set pipeline.prefetch to \"autotune\" (or 2) so batches are built "
                "while the model computes; steps now wait %.2f ms (%.0f%%) for input.",
                input, 100 * p.inputShare));
        if (slow && ctx.mapWorkers < ctx.cores)
            advice.push_back(
                format("Map workers: set pipeline.map_workers to \"autotune\" (%.0f cores here); ",
                       ctx.cores) +
                "the slowest stage, " + slow->stage +
                format(", takes %.2f ms of CPU per batch on %.0f worker(s).", slow->msPerBatch(),
                       ctx.mapWorkers));
        if (slow && slow->stage == "augment")
            advice.push_back(
                format("Augmentation is the slowest stage (%.2f ms of CPU per batch): lighten "
                       "pipeline.augment, or add map workers.",
                       slow->msPerBatch()));
        if (advice.empty())
            advice.push_back(
                "Input still dominates with cache, prefetch and workers on: simplify "
                "pipeline.preprocess "
                "and pipeline.augment, or raise training.batch_size so each step does more work.");
    } else {
        if (ctx.device == "cpu")
            advice.push_back(
                format("Not input-bound: host compute takes %.0f%% of the step. Train on a GPU "
                       "(training.device \"cuda\"), shrink the model (model.hidden), or raise "
                       "training.batch_size for more samples per second.",
                       100 * host));
        else if (ctx.mixedPrecision == "none" && !device.present)
            advice.push_back(
                "Mixed precision: set training.mixed_precision to \"bf16\" to use Tensor Cores.");
        if (p.meanStepMs > 0 && p.meanStepMs < 2)
            advice.push_back(format(
                "Steps are short (%.2f ms): raise training.batch_size (now %.0f) to amortise "
                "per-step overhead.",
                p.meanStepMs, ctx.batchSize));
    }
    deviceAdvice(device, p, ctx, advice);
    return p;
}

} // namespace trainscope
