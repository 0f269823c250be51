// profileDiffText and profileDiffJson: a ProfileDiff for terminals (the CLI, the headless demo)
// and for scripts.
#include "core/profile/profilediff.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace trainscope {
namespace {

std::string format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char *fmt, ...) {
    char line[512];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    return line;
}

std::string percentText(const Change &c) {
    const double p = c.percent();
    if (std::isinf(p)) return "new";
    return format("%+.1f%%", p);
}

// "512 B", "2.9 KiB", "1.5 MiB", "3.0 GiB"; negative sizes keep their sign.
std::string bytesText(double bytes) {
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double size = std::abs(bytes);
    int unit = 0;
    while (size >= 1024 && unit < 4)
        size /= 1024, ++unit;
    return format(unit ? "%s%.1f %s" : "%s%.0f %s", bytes < 0 ? "-" : "", size, units[unit]);
}

// Characters, not bytes: "→" and "…" are three bytes each.
size_t displayWidth(const std::string &s) {
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

// `text` padded to `width` characters, on the right (left-aligned) or the left.
std::string cell(const std::string &text, size_t width, bool left = false) {
    const size_t w = displayWidth(text);
    const std::string pad(w < width ? width - w : 0, ' ');
    return left ? text + pad : pad + text;
}

// "12.000 → 4.000", each side with `decimals`.
std::string arrow(double a, double b, int decimals, const char *unit = "") {
    return format("%.*f%s → %.*f%s", decimals, a, unit, decimals, b, unit);
}

// A name cut to `width` columns, its end kept: kernels differ in their template arguments.
std::string fitted(const std::string &name, size_t width) {
    if (displayWidth(name) <= width) return name;
    return name.substr(0, width / 2 - 1) + "…" + name.substr(name.size() - (width - width / 2));
}

void appendNames(std::string &out, const char *title, const char *time,
                 const std::vector<NameChange> &rows, size_t limit) {
    if (rows.empty()) return;
    size_t fresh = 0, vanished = 0;
    for (const NameChange &r : rows)
        fresh += r.presence == Presence::New, vanished += r.presence == Presence::Vanished;
    out += format("\n%s by |change in %s| (%zu names: %zu new, %zu vanished):\n", title, time,
                  rows.size(), fresh, vanished);
    out += "  " + cell("name", 44, true) + cell("calls", 16) + cell("us", 24) +
           cell("change us", 12) + cell("share", 18) + "\n";
    for (size_t i = 0; i < rows.size() && i < limit; ++i) {
        const NameChange &r = rows[i];
        out += "  " + cell(fitted(r.name, 43), 44, true) +
               cell(arrow(r.calls.baseline, r.calls.candidate, 0), 16) +
               cell(arrow(r.timeUs.baseline, r.timeUs.candidate, 1), 24) +
               cell(format("%+.1f", r.timeUs.delta()), 12) +
               cell(arrow(100 * r.share.baseline, 100 * r.share.candidate, 1, "%"), 18) +
               (r.presence == Presence::Both ? "" : std::string("  ") + presenceName(r.presence)) +
               "\n";
    }
    if (rows.size() > limit)
        out += format("  … %zu more (--json lists all)\n", rows.size() - limit);
}

nlohmann::json changeJson(const Change &c) {
    const double p = c.percent();
    return {{"baseline", c.baseline},
            {"candidate", c.candidate},
            {"delta", c.delta()},
            {"percent", std::isinf(p) ? nlohmann::json(nullptr) : nlohmann::json(p)}};
}

const char *presenceJson(Presence p) {
    return p == Presence::Both ? "both" : presenceName(p);
}

nlohmann::json namesJson(const std::vector<NameChange> &rows, const char *time) {
    nlohmann::json out = nlohmann::json::array();
    for (const NameChange &r : rows)
        out.push_back({{"name", r.name},
                       {"presence", presenceJson(r.presence)},
                       {"calls", changeJson(r.calls)},
                       {time, changeJson(r.timeUs)},
                       {"share", changeJson(r.share)}});
    return out;
}

} // namespace

std::string profileDiffText(const ProfileDiff &d, size_t rows) {
    std::string out =
        "profile diff\n  baseline:  " + d.baseline + "\n  candidate: " + d.candidate + "\n\n";
    out += format("steps profiled  %.0f → %.0f\n", d.steps.baseline, d.steps.candidate);
    out += format("mean step       %.2f → %.2f ms (%+.2f ms, %s)", d.meanStepMs.baseline,
                  d.meanStepMs.candidate, d.meanStepMs.delta(), percentText(d.meanStepMs).c_str());
    if (d.speedup() > 0)
        out += format(": %.2fx %s\n", d.speedup() >= 1 ? d.speedup() : 1 / d.speedup(),
                      d.speedup() >= 1 ? "faster" : "slower");
    else
        out += "\n";
    out += format("verdict         %s (input %.1f%%) → %s (input %.1f%%)\n",
                  inputVerdictName(d.baselineVerdict), 100 * d.inputShare.baseline,
                  inputVerdictName(d.candidateVerdict), 100 * d.inputShare.candidate);

    out += "\nstep-time breakdown (mean ms per step):\n";
    out += format("  %-16s %10s %10s %10s %8s\n", "category", "baseline", "candidate", "change",
                  "change");
    for (int c = 0; c < kTimeCategories; ++c) {
        const Change &m = d.categoryMs[size_t(c)];
        if (m.baseline == 0 && m.candidate == 0) continue;
        out += format("  %-16s %10.3f %10.3f %+10.3f %8s\n", timeCategoryName(TimeCategory(c)),
                      m.baseline, m.candidate, m.delta(), percentText(m).c_str());
    }
    out += format("  %-16s %10.3f %10.3f %+10.3f %8s\n", "step", d.meanStepMs.baseline,
                  d.meanStepMs.candidate, d.meanStepMs.delta(), percentText(d.meanStepMs).c_str());

    if (!d.stages.empty()) {
        out += "\ninput pipeline (ms per batch; CPU time is summed over the workers):\n";
        out += "  " + cell("stage", 12, true) + cell("CPU ms", 22) + cell("wall ms", 22) +
               cell("workers", 10) + "\n";
        for (const StageChange &s : d.stages)
            out +=
                "  " + cell(s.stage, 12, true) +
                cell(arrow(s.cpuMsPerBatch.baseline, s.cpuMsPerBatch.candidate, 3), 22) +
                cell(arrow(s.wallMsPerBatch.baseline, s.wallMsPerBatch.candidate, 3), 22) +
                cell(arrow(s.workers.baseline, s.workers.candidate, 0), 10) +
                (s.presence == Presence::Both ? "" : std::string("  ") + presenceName(s.presence)) +
                "\n";
    }
    appendNames(out, "operators", "self time", d.operators, rows);
    appendNames(out, "kernels", "time", d.kernels, rows);
    if (!d.memory.empty()) out += "\nmemory:\n";
    for (const MemoryChange &m : d.memory)
        out += format("  %-16s peak %s → %s (%s%s), allocations %.0f → %.0f %s\n", m.device.c_str(),
                      bytesText(m.peakBytes.baseline).c_str(),
                      bytesText(m.peakBytes.candidate).c_str(), m.peakBytes.delta() > 0 ? "+" : "",
                      bytesText(m.peakBytes.delta()).c_str(), m.allocations.baseline,
                      m.allocations.candidate, presenceName(m.presence));
    return out;
}

std::string profileDiffJson(const ProfileDiff &d) {
    nlohmann::json categories = nlohmann::json::object();
    for (int c = 0; c < kTimeCategories; ++c)
        categories[timeCategoryName(TimeCategory(c))] = changeJson(d.categoryMs[size_t(c)]);
    nlohmann::json stages = nlohmann::json::array(), memory = nlohmann::json::array();
    for (const StageChange &s : d.stages)
        stages.push_back({{"stage", s.stage},
                          {"presence", presenceJson(s.presence)},
                          {"cpu_ms_per_batch", changeJson(s.cpuMsPerBatch)},
                          {"wall_ms_per_batch", changeJson(s.wallMsPerBatch)},
                          {"workers", changeJson(s.workers)}});
    for (const MemoryChange &m : d.memory)
        memory.push_back({{"device", m.device},
                          {"presence", presenceJson(m.presence)},
                          {"peak_bytes", changeJson(m.peakBytes)},
                          {"allocations", changeJson(m.allocations)}});
    const nlohmann::json j = {{"baseline", d.baseline},
                              {"candidate", d.candidate},
                              {"steps", changeJson(d.steps)},
                              {"mean_step_ms", changeJson(d.meanStepMs)},
                              {"speedup", d.speedup()},
                              {"input_share", changeJson(d.inputShare)},
                              {"mean_ms", categories},
                              {"verdict",
                               {{"baseline", inputVerdictName(d.baselineVerdict)},
                                {"candidate", inputVerdictName(d.candidateVerdict)},
                                {"baseline_text", d.baselineVerdictText},
                                {"candidate_text", d.candidateVerdictText}}},
                              {"stages", stages},
                              {"operators", namesJson(d.operators, "self_us")},
                              {"kernels", namesJson(d.kernels, "total_us")},
                              {"memory", memory}};
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace trainscope
