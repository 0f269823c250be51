#include "core/profile/stepstats.h"

namespace trainscope {

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
