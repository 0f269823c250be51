#include "core/profile/cupti/cuptinote.h"

#include "core/profile/cupti/cuptilibrary.h"

namespace trainscope {

std::string noGpuNote(const std::string &reason) {
    return "no GPU: host and operator tracing only (" + reason + ")";
}

std::string cuptiFailureNote(int result, const std::string &call) {
    const auto r = CUptiResult(result);
    const char *text = nullptr;
    const CuptiLibrary *lib = cupti().library;
    if (!lib || lib->cuptiGetResultString(r, &text) != CUPTI_SUCCESS || !text)
        text = "unknown CUPTI error";
    switch (r) {
    case CUPTI_ERROR_INSUFFICIENT_PRIVILEGES:
    case CUPTI_ERROR_VIRTUALIZED_DEVICE_INSUFFICIENT_PRIVILEGES:
        return "GPU tracing unavailable: insufficient privileges to use CUPTI (" +
               std::string(text) + "); see NVIDIA's ERR_NVGPUCTRPERM";
    case CUPTI_ERROR_MULTIPLE_SUBSCRIBERS_NOT_SUPPORTED:
        return "GPU tracing unavailable: another profiler is already subscribed to CUPTI "
               "(Nsight Systems, Kineto?)";
    case CUPTI_ERROR_NOT_INITIALIZED:
        // CUPTI could not initialise the driver: the same situation as having no driver.
        return noGpuNote("CUDA driver not initialised: " + std::string(text));
    case CUPTI_ERROR_INVALID_DEVICE:
        return noGpuNote("no CUDA device: " + std::string(text));
    default:
        return "GPU tracing unavailable: " + call + " failed (" + text + ")";
    }
}

} // namespace trainscope
