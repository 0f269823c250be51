// The GPU collector on NVIDIA machines: CUPTI's activity API with ~4 MB buffers, a thread that
// flushes every 150 ms and samples the clocks, and an ActivityProcessor that decodes the buffers.
#pragma once

#include "core/profile/cupti/activityprocessor.h"
#include "core/profile/cupti/cuptilibrary.h"
#include "core/profile/gpucollector.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace trainscope {

class CuptiCollector final : public GpuCollector {
public:
    static constexpr size_t kBufferBytes = 4 << 20;
    static constexpr int kFlushPeriodMs = 150;

    CuptiCollector();
    ~CuptiCollector() override;
    CuptiCollector(const CuptiCollector &) = delete;
    CuptiCollector &operator=(const CuptiCollector &) = delete;

    bool start(std::function<int64_t()> hostNowNs) override;
    void pushExternalId(uint64_t id) override;
    void popExternalId() override;
    GpuTrace take() override;
    void stop() override;
    DeviceTraceInfo info() const override;
    std::string note() const override;

    // Where completed buffers go; tests feed it synthetic ones.
    ActivityProcessor &processor() { return m_processor; }

private:
    bool startCupti(int devices);
    void disableAll();
    void collectLoop();
    void sampleClock();
    void mapThisThread();
    void setNote(std::string note);

    ActivityProcessor m_processor;
    const CuptiLibrary *m_cupti = nullptr; // set by start() once libcupti is found
    std::function<int64_t()> m_hostNow;
    std::mutex m_control; // serialises start and stop
    std::atomic<bool> m_running{false};
    std::thread m_thread;
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;
    bool m_quit = false;
    std::vector<int> m_enabled;  // activity kinds enabled, disabled again at stop
    const uint64_t m_generation; // tells thread-local "already mapped" marks apart
    mutable std::mutex m_noteMutex;
    std::string m_note = "GPU collector not started";
    std::string m_device = "cpu";
};

} // namespace trainscope
