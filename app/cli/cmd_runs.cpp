// `trainscope runs LOGDIR [--json]`: each run with its tags by kind, its event count, its
// profiler traces and whether it is a sweep (study.db).
#include "app/cli/commands.h"
#include "app/cli/loadlogdir.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

namespace trainscope::cli {
namespace {

constexpr TagKind kKinds[] = {TagKind::Scalar, TagKind::Histogram, TagKind::Image, TagKind::Tensor};

nlohmann::json runJson(const RunData &run) {
    nlohmann::json tags = nlohmann::json::object();
    for (TagKind kind : kKinds) {
        nlohmann::json ofKind = nlohmann::json::object();
        for (const auto &[name, tag] : run.tags)
            if (tag.kind == kind) ofKind[name] = tag.count();
        tags[tagKindName(kind)] = ofKind;
    }
    nlohmann::json j = {{"run", run.name}, {"path", run.path},     {"events", run.eventCount},
                        {"tags", tags},    {"traces", run.traces}, {"study", run.hasStudy}};
    if (run.hparams) {
        nlohmann::json hp = nlohmann::json::object();
        for (const auto &[name, value] : run.hparams->values)
            std::visit([&](const auto &v) { hp[name] = v; }, value);
        j["hparams"] = hp;
    }
    return j;
}

void printText(const RunData &run, std::ostream &out) {
    out << run.name << "  (" << run.eventCount << " events)\n";
    for (TagKind kind : kKinds) {
        if (!run.countTags(kind)) continue;
        out << "  " << tagKindName(kind) << ":";
        for (const auto &[name, tag] : run.tags)
            if (tag.kind == kind) out << " " << name << " (" << tag.count() << ")";
        out << "\n";
    }
    if (!run.traces.empty())
        out << "  traces: " << run.traces.size() << " (newest "
            << std::filesystem::path(run.traces.back()).filename().string() << ")\n";
    if (run.hasStudy) out << "  sweep: study.db\n";
    if (run.hparams && !run.hparams->values.empty()) {
        out << "  hparams:";
        for (const auto &[name, value] : run.hparams->values)
            out << " " << name << "=" << hparamToString(value);
        out << "\n";
    }
}

} // namespace

int runRuns(const RunsOptions &options, std::ostream &out, std::ostream &err) {
    auto index = loadLogdir(options.logdir, err);
    if (!index) return BadInput;
    if (options.json) {
        nlohmann::json all = nlohmann::json::array();
        for (const auto &[name, run] : index->runs())
            all.push_back(runJson(run));
        // Names are bytes: any that are not UTF-8 are written as U+FFFD, not refused.
        out << all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
        for (const auto &[name, run] : index->runs())
            printText(run, out);
    }
    return Ok;
}

} // namespace trainscope::cli
