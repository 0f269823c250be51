// Finds out whether this machine can run CUDA work before CUPTI is touched: the driver is opened
// with dlopen (never linked), so a build with CUPTI still starts on a machine without a GPU.
#pragma once

#include <string>

namespace trainscope {

struct GpuProbe {
    bool available = false;
    int devices = 0;
    std::string reason; // why not, e.g. "no NVIDIA driver: libcuda.so.1 not found"
};

// dlopen("libcuda.so.1") (RTLD_NOLOAD first), cuInit(0) and cuDeviceGetCount through dlsym.
// The library stays loaded: CUPTI needs it next.
GpuProbe probeGpu();

} // namespace trainscope
