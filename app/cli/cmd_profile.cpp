// `trainscope profile RUN [--json]`: the step-time breakdown, verdict and recommendations of
// the newest profiler trace of a run (or a trace file named), recomputed from its trace by the
// GUI's analysis code; `trainscope profile diff RUN_A RUN_B [--json]`: two of them compared.
#include "app/cli/commands.h"
#include "app/cli/loadtrace.h"

#include "core/jobs/rundir.h"
#include "core/profile/chrometrace.h"
#include "core/profile/profilediff.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <thread>

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
        stages.push_back({{"stage", st.stage},
                          {"ms_per_batch", st.msPerBatch()},
                          {"wall_ms_per_batch", st.wallMsPerBatch()},
                          {"workers", st.workers},
                          {"batches", st.batches}});
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

// The trace a RUN argument names: the file itself, or the newest profile of a run directory
// ("" after saying why when there is none).
std::string traceOf(const std::string &run, std::ostream &err) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(run, ec)) return run;
    const std::vector<std::string> traces = runTraceFiles(run);
    if (traces.empty()) {
        err << "trainscope: " << run << ": no profiler trace in this run (" << kTraceLocations
            << ")\n";
        return {};
    }
    if (traces.size() > 1)
        err << "trainscope: " << run << " holds " << traces.size()
            << " traces; reading the newest, " << traces.back()
            << " (name a trace file to read another)\n";
    return traces.back();
}

} // namespace

int runProfileDiff(const ProfileDiffOptions &options, std::ostream &out, std::ostream &err) {
    const std::string paths[2] = {traceOf(options.baseline, err), traceOf(options.candidate, err)};
    if (paths[0].empty() || paths[1].empty()) return BadInput;
    // Both read and analysed at once, one thread each; their messages are printed in order.
    ProfileFigures figures[2];
    std::ostringstream messages[2];
    bool loaded[2] = {false, false};
    auto read = [&](int i) {
        TraceFile trace;
        loaded[i] = loadTrace(paths[i], trace, messages[i]);
        if (loaded[i]) figures[i] = profileFigures(trace, paths[i]);
    };
    std::thread candidate(read, 1);
    read(0);
    candidate.join();
    err << messages[0].str() << messages[1].str();
    if (!loaded[0] || !loaded[1]) return BadInput;
    const ProfileDiff diff = diffProfiles(figures[0], figures[1]);
    out << (options.json ? profileDiffJson(diff) + "\n" : profileDiffText(diff));
    return Ok;
}

int runProfile(const ProfileOptions &options, std::ostream &out, std::ostream &err) {
    const std::string trace = traceOf(options.run, err);
    if (trace.empty()) return BadInput;
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
    if (!s.stages.empty())
        out << "\ninput pipeline (ms per batch, slowest first; CPU time is summed over the "
               "workers):\n  stage          CPU ms   wall ms  workers\n";
    for (const auto &st : s.stages) {
        std::snprintf(line, sizeof line, "  %-12s %8.3f  %8.3f  %7d\n", st.stage.c_str(),
                      st.msPerBatch(), st.wallMsPerBatch(), st.workers);
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
