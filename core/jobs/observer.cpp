#include "core/jobs/observer.h"

namespace trainscope {

const std::vector<std::string> &jobMetrics() {
    static const std::vector<std::string> metrics = {"val/loss", "val/accuracy", "train/loss",
                                                     "train/accuracy"};
    return metrics;
}

std::optional<double> epochMetric(const EpochResult &r, const std::string &metric) {
    if (metric == "val/loss") return r.valLoss;
    if (metric == "val/accuracy") return r.valAccuracy;
    if (metric == "train/loss") return r.trainLoss;
    if (metric == "train/accuracy") return r.trainAccuracy;
    return std::nullopt;
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
