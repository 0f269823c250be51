// Display names of the enums in observer.h and stepstats.h.
#include "jobs/observer.h"

namespace trainscope {

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

const char *timeCategoryName(TimeCategory category) {
    static const char *const names[kTimeCategories] = {
        "input",        "host_to_device", "device_compute", "kernel_launch",
        "host_compute", "device_to_host", "other"};
    return names[int(category)];
}

const char *inputVerdictName(InputVerdict verdict) {
    switch (verdict) {
    case InputVerdict::NotInputBound:
        return "not input-bound";
    case InputVerdict::ModeratelyInputBound:
        return "moderately input-bound";
    case InputVerdict::HighlyInputBound:
        return "highly input-bound";
    }
    return "unknown";
}

} // namespace trainscope
