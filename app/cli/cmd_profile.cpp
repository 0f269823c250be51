// `trainscope profile RUN [--json]`: the step-time breakdown, verdict and recommendations of
// the newest profile saved with a run, recomputed from its trace by the GUI's analysis code.
#include "commands.h"

#include "profile/chrometrace.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

namespace trainscope::cli {
namespace {

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
    const std::string trace = latestProfilePath(options.run);
    if (trace.empty()) {
        err << "trainscope: " << options.run
            << ": no profile (plugins/profile/*/*.pt.trace.json[.gz]) in this run\n";
        return BadInput;
    }
    TraceFile file;
    try {
        file = readChromeTrace(trace);
    } catch (const std::exception &e) {
        err << "trainscope: " << e.what() << "\n";
        return BadInput;
    }
    const ProfileSummary s =
        summarize(analyzeSteps(file.events), file.stages, operatorStats(file.events), file.context);
    if (options.json) {
        out << summaryJson(s, trace).dump(2) << "\n";
        return Ok;
    }
    char line[256];
    out << "profile: " << trace << "\n";
    std::snprintf(line, sizeof line, "%zu steps, mean %.2f ms on %s\n\n", s.steps.size(),
                  s.meanStepMs, s.device.c_str());
    out << line << "step-time breakdown (mean ms per step):\n";
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
