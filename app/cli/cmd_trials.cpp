// `trainscope trials DIR [--json]`: a sweep's trial table and its best hyperparameters.
#include "app/cli/commands.h"

#include "core/run/sweeprunner.h"
#include "core/tune/results.h"
#include "core/tune/studystore.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

namespace trainscope::cli {
namespace {

nlohmann::json paramsJson(const Assignment &params) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto &[name, value] : params)
        j[name] = nlohmann::json::parse(paramJson(value));
    return j;
}

nlohmann::json trialJson(const Trial &t) {
    nlohmann::json values = nlohmann::json::array();
    for (double v : t.values)
        values.push_back(std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr));
    return {{"id", t.id},
            {"status", trialStatusName(t.status)},
            {"params", paramsJson(t.params)},
            {"score", t.score ? nlohmann::json(*t.score) : nlohmann::json(nullptr)},
            {"values", values},
            {"epochs", t.epochs},
            {"continue_from", t.continueFrom},
            {"seconds", t.finishedAt > 0 ? t.finishedAt - t.startedAt : 0.0},
            {"error", t.error},
            {"run_dir", t.runDir}};
}

} // namespace

int runTrials(const TrialsOptions &options, std::ostream &out, std::ostream &err) {
    std::error_code ec;
    if (options.storage.empty() == options.dir.empty()) {
        err << "trainscope: trials: give a sweep DIR or --storage URI (one of them)\n";
        return BadInput;
    }
    if (options.storage.empty() &&
        !std::filesystem::exists(std::filesystem::path(options.dir) / "study.db", ec)) {
        err << "trainscope: " << options.dir << ": no study.db (not a sweep directory)\n";
        return BadInput;
    }
    SweepSpec spec;
    std::vector<Trial> trials;
    try {
        if (!options.storage.empty() && !StudyStore::isPostgresLocation(options.storage)) {
            err << "trainscope: trials: --storage " << options.storage
                << ": expected a postgresql:// URI\n";
            return BadInput;
        }
        if (!options.storage.empty() && options.study.empty()) {
            err << "trainscope: trials: --storage needs --study NAME (the sweep's name, unless "
                   "tune was given another)\n";
            return BadInput;
        }
        StudyStore store = options.storage.empty() ? StudyStore(options.dir)
                                                   : StudyStore(options.storage, options.study);
        const std::optional<std::string> stored = store.value("spec");
        if (!stored) {
            err << "trainscope: " << store.path() << ": no sweep spec in the study\n";
            return BadInput;
        }
        spec = SweepSpec::fromJson(*stored);
        trials = store.trials();
    } catch (const std::exception &e) {
        err << "trainscope: " << e.what() << "\n";
        return BadInput;
    }
    const std::optional<Trial> best = bestTrial(trials, spec.objective);
    if (options.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const Trial &t : trials)
            list.push_back(trialJson(t));
        out << nlohmann::json{{"sweep", spec.name},
                              {"objective",
                               {{"metric", spec.objective.metric},
                                {"direction", spec.objective.maximize ? "max" : "min"}}},
                              {"trials", list},
                              {"best", best ? trialJson(*best) : nlohmann::json(nullptr)}}
                   .dump(2)
            << "\n";
        return Ok;
    }
    char line[256];
    out << "sweep " << spec.name << ": " << trials.size() << " trials, objective "
        << spec.objective.metric << " (" << (spec.objective.maximize ? "max" : "min") << ")\n";
    for (const Trial &t : trials) {
        std::string params;
        for (const auto &[name, value] : t.params)
            params += (params.empty() ? "" : " ") + name + "=" + paramText(value);
        std::snprintf(
            line, sizeof line, "%4d  %-9s  %10s  %3zu epochs  ", t.id, trialStatusName(t.status),
            t.score ? std::to_string(*t.score).substr(0, 8).c_str() : "-", t.values.size());
        out << line << params << (t.error.empty() ? "" : "  error: " + t.error) << "\n";
    }
    out << "\n" << resultsSummary(trials, spec.objective, 3);
    return Ok;
}

} // namespace trainscope::cli
