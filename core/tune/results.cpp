#include "core/tune/results.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace trainscope {
namespace {

std::string valueText(const ParamValue &v) {
    if (const auto *d = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.6g", *d);
        return buf;
    }
    return paramText(v);
}

} // namespace

std::optional<Trial> bestTrial(const std::vector<Trial> &trials, const Objective &objective) {
    std::optional<Trial> best;
    for (const Trial &t : trials)
        if (t.status == TrialStatus::Completed && t.score && std::isfinite(*t.score) &&
            (!best || objective.better(*t.score, *best->score)))
            best = t;
    return best;
}

std::string resultsSummary(const std::vector<Trial> &trials, const Objective &objective,
                           int count) {
    std::vector<const Trial *> scored;
    for (const Trial &t : trials)
        if (t.status == TrialStatus::Completed && t.score && std::isfinite(*t.score))
            scored.push_back(&t);
    std::sort(scored.begin(), scored.end(), [&](const Trial *a, const Trial *b) {
        return objective.better(*a->score, *b->score);
    });
    std::ostringstream out;
    out << "Results summary\nObjective: " << objective.metric << " ("
        << (objective.maximize ? "max" : "min") << ")\nShowing "
        << std::min<size_t>(scored.size(), size_t(std::max(0, count))) << " best trials\n";
    for (size_t i = 0; i < scored.size() && int(i) < count; ++i) {
        const Trial &t = *scored[i];
        out << "\nTrial " << t.id << " summary\nHyperparameters:\n";
        for (const auto &[name, value] : t.params)
            out << name << ": " << valueText(value) << "\n";
        char score[64];
        std::snprintf(score, sizeof score, "Score: %.6g\n", *t.score);
        out << score;
    }
    return out.str();
}

JobSpec retrainJob(const SweepSpec &spec, const Trial &best) {
    JobSpec job = spec.trialJob(best.params, best.epochs);
    job.name = "best";
    EarlyStoppingSpec stop;
    stop.monitor = spec.objective.metric;
    stop.mode = spec.objective.maximize ? "max" : "min";
    stop.restoreBestWeights = true;
    job.earlyStopping = stop;
    job.training.epochs = std::max(job.training.epochs, 2 * std::max(1, best.epochs));
    return job;
}

} // namespace trainscope
