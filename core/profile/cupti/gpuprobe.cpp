#include "core/profile/cupti/gpuprobe.h"

#include <dlfcn.h>

namespace trainscope {

namespace {
// The driver's C signatures (CUresult is an int-sized enum), declared here so that no CUDA
// header or library is needed to ask.
using CuInit = int (*)(unsigned int);
using CuDeviceGetCount = int (*)(int *);
using CuGetErrorName = int (*)(int, const char **);

constexpr int kCudaErrorNoDevice = 100;
constexpr int kCudaErrorInsufficientDriver = 35;

std::string driverError(void *lib, int code) {
    if (code == kCudaErrorNoDevice) return "no CUDA device";
    if (code == kCudaErrorInsufficientDriver) return "the NVIDIA driver is older than this CUDA";
    std::string text = "cuInit failed: error " + std::to_string(code);
    if (auto name = reinterpret_cast<CuGetErrorName>(dlsym(lib, "cuGetErrorName"))) {
        const char *s = nullptr;
        if (name(code, &s) == 0 && s) text = std::string("cuInit failed: ") + s;
    }
    return text;
}
} // namespace

GpuProbe probeGpu() {
    GpuProbe probe;
    void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_NOLOAD);
    if (!lib) lib = dlopen("libcuda.so.1", RTLD_NOW);
    if (!lib) {
        probe.reason = "no NVIDIA driver: libcuda.so.1 not found";
        return probe;
    }
    auto init = reinterpret_cast<CuInit>(dlsym(lib, "cuInit"));
    auto count = reinterpret_cast<CuDeviceGetCount>(dlsym(lib, "cuDeviceGetCount"));
    if (!init || !count) {
        probe.reason = "libcuda.so.1 lacks cuInit/cuDeviceGetCount";
        return probe;
    }
    if (const int rc = init(0); rc != 0) {
        probe.reason = driverError(lib, rc);
        return probe;
    }
    int devices = 0;
    if (count(&devices) != 0 || devices <= 0) {
        probe.reason = "no CUDA device";
        return probe;
    }
    probe.available = true;
    probe.devices = devices;
    return probe;
}

} // namespace trainscope
