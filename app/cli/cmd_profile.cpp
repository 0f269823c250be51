// `trainscope profile RUN [--json]`: the step-time breakdown, verdict and recommendations of
// the newest profiler trace of a run (or a trace file named), recomputed from its trace by the
// GUI's analysis code.
#include "app/cli/commands.h"
#include "app/cli/loadtrace.h"

#include "core/jobs/rundir.h"
#include "core/profile/chrometrace.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

namespace trainscope::cli {
namespace {

nlohmann::json deviceJson(const ProfileSummary &s, const TraceFile &file) {
    const DeviceFigures &f = s.deviceFigures;
    const size_t kernels =
        size_t(std::count_if(file.events.begin(), file.events.end(),
                             [](const TraceEvent &e) { return e.category == "kernel"; }));
    return {{"note", file.deviceInfo.note},
            {"records", file.deviceInfo.records},
            {"dropped_records", file.deviceInfo.dropped},
            {"clock_skew_ns", file.deviceInfo.clockSkewNs},
            {"kernels", kernels},
            {"gpu_lanes", f.present},
            {"utilization", f.utilization},
            {"kernels_per_step", f.kernelsPerStep},
            {"mean_kernel_us", f.meanKernelUs},
            {"longest_idle_ms", f.longestIdleMs},
            {"tensor_core_share", f.tensorCoreShare}};
}

nlohmann::json summaryJson(const ProfileSummary &s, const std::string &trace) {
    nlohmann::json breakdown = nlohmann::json::object();
    for (int c = 0; c < kTimeCategories; ++c)
        breakdown[timeCategoryName(TimeCategory(c))] = s.meanMs[size_t(c)];
    nlohmann::json stages = nlohmann::json::array(), ops = nlohmann::json::array();
    for (const auto &st : s.stages)
        stages.push_back(
            {{"stage", st.stage}, {"ms_per_batch", st.msPerBatch()}, {"batches", st.batches}});
    for (const auto &op : s.topOps)
        ops.push_back({{"name", op.name},
                       {"calls", op.calls},
                       {"self_us", op.selfUs},
                       {"total_us", op.totalUs},
                       {"mean_us", op.meanUs()}});
    return {{"trace", trace},
            {"steps", s.steps.size()},
            {"mean_step_ms", s.meanStepMs},
            {"mean_ms", breakdown},
            {"input_share", s.inputShare},
            {"verdict", inputVerdictName(s.verdict)},
            {"verdict_text", s.verdictText},
            {"recommendations", s.recommendations},
            {"stages", stages},
            {"top_ops", ops},
            {"device", s.device}};
}

} // namespace

int runProfile(const ProfileOptions &options, std::ostream &out, std::ostream &err) {
    std::error_code ec;
    const bool isFile = std::filesystem::is_regular_file(options.run, ec);
    const std::vector<std::string> traces =
        isFile ? std::vector<std::string>{options.run} : runTraceFiles(options.run);
    if (traces.empty()) {
        err << "trainscope: " << options.run << ": no profiler trace in this run ("
            << kTraceLocations << ")\n";
        return BadInput;
    }
    const std::string &trace = traces.back();
    if (traces.size() > 1)
        err << "trainscope: " << options.run << " holds " << traces.size()
            << " traces; reading the newest, " << trace << " (name a trace file to read another)\n";
    TraceFile file;
    if (!loadTrace(trace, file, err)) return BadInput;
    const ProfileSummary s = summarizeTrace(file);
    if (options.json) {
        nlohmann::json j = summaryJson(s, trace);
        j["device_trace"] = deviceJson(s, file);
        out << j.dump(2) << "\n";
        return Ok;
    }
    char line[256];
    out << "profile: " << trace << "\n";
    std::snprintf(line, sizeof line, "%zu steps, mean %.2f ms on %s\n", s.steps.size(),
                  s.meanStepMs, s.device.c_str());
    out << line;
    if (s.deviceFigures.present) {
        std::snprintf(line, sizeof line,
                      "GPU busy %.1f%% of the step, %.0f kernels a step (mean %.1f us)\n",
                      100 * s.deviceFigures.utilization, s.deviceFigures.kernelsPerStep,
                      s.deviceFigures.meanKernelUs);
        out << line;
    }
    if (!s.deviceNote.empty()) out << s.deviceNote << "\n";
    out << "\n"
        << "step-time breakdown (mean ms per step):\n";
    for (int c = 0; c < kTimeCategories; ++c) {
        const double ms = s.meanMs[size_t(c)];
        std::snprintf(line, sizeof line, "  %-16s %9.3f  %5.1f%%\n",
                      timeCategoryName(TimeCategory(c)), ms,
                      s.meanStepMs > 0 ? 100 * ms / s.meanStepMs : 0);
        out << line;
    }
    out << "\nverdict: " << inputVerdictName(s.verdict) << ": " << s.verdictText << "\n";
    if (!s.recommendations.empty()) out << "\nrecommendations:\n";
    for (const auto &r : s.recommendations)
        out << "  - " << r << "\n";
    if (!s.stages.empty()) out << "\ninput pipeline (CPU ms per batch, slowest first):\n";
    for (const auto &st : s.stages) {
        std::snprintf(line, sizeof line, "  %-12s %9.3f\n", st.stage.c_str(), st.msPerBatch());
        out << line;
    }
    if (!s.topOps.empty()) out << "\ntop operators (by self time):\n";
    for (size_t i = 0; i < s.topOps.size() && i < 10; ++i) {
        const OpStats &op = s.topOps[i];
        std::snprintf(line, sizeof line,
                      "  %-40.40s %7llu calls %10.1f us self %10.1f us total %8.1f us mean\n",
                      op.name.c_str(), (unsigned long long)op.calls, op.selfUs, op.totalUs,
                      op.meanUs());
        out << line;
    }
    return Ok;
}

} // namespace trainscope::cli
