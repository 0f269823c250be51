// GpuCollector::create() for builds without CUPTI (TRAINSCOPE_WITH_CUPTI=OFF or no CUDA toolkit):
// host and operator tracing still work, and the views say why there is no GPU lane.
#include "core/profile/gpucollector.h"

namespace trainscope {

namespace {

class NoGpuCollector final : public GpuCollector {
public:
    bool start(std::function<int64_t()>) override { return false; }
    void pushExternalId(uint64_t) override {}
    void popExternalId() override {}
    GpuTrace take() override { return {}; }
    void stop() override {}
    DeviceTraceInfo info() const override {
        DeviceTraceInfo info;
        info.note = note();
        return info;
    }
    std::string note() const override { return "no GPU collector: built without CUPTI"; }
};

} // namespace

std::unique_ptr<GpuCollector> GpuCollector::create() {
    return std::make_unique<NoGpuCollector>();
}

std::string GpuCollector::backendStatus() {
    return NoGpuCollector().note();
}

} // namespace trainscope
