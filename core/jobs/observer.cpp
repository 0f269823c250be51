#include "core/jobs/observer.h"

#include <cstdio>

namespace trainscope {

const std::vector<std::string> &jobMetrics() {
    static const std::vector<std::string> metrics = {"val/loss", "val/accuracy", "train/loss",
                                                     "train/accuracy"};
    return metrics;
}

std::optional<double> epochMetric(const EpochResult &r, const std::string &metric) {
    if (metric == "val/loss") return r.validated ? std::optional(r.valLoss) : std::nullopt;
    if (metric == "val/accuracy") return r.validated ? std::optional(r.valAccuracy) : std::nullopt;
    if (metric == "train/loss") return r.trainLoss;
    if (metric == "train/accuracy") return r.trainAccuracy;
    return std::nullopt;
}

bool needsValidation(const std::string &metric) {
    return metric.rfind("val/", 0) == 0;
}

std::string validationText(const EpochResult &r) {
    if (!r.validated) return "no validation examples";
    char text[64];
    std::snprintf(text, sizeof text, "val loss %.4f acc %.4f", r.valLoss, r.valAccuracy);
    return text;
}

const char *jobStateName(JobState state) {
    switch (state) {
    case JobState::Queued:
        return "queued";
    case JobState::Running:
        return "running";
    case JobState::Completed:
        return "completed";
    case JobState::Failed:
        return "failed";
    case JobState::Cancelled:
        return "cancelled";
    }
    return "unknown";
}

} // namespace trainscope
