// Turns completed CUPTI activity buffers into a GpuTrace on the host clock: joins GPU work to the
// call that launched it (flows, external ids), maps CUPTI time by the clock fit, keeps the counts.
#pragma once

#include "core/profile/cupti/clockfit.h"
#include "core/profile/gpucollector.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace trainscope {

class ActivityDecoder;
struct DecodedActivity;

struct ActivityStats {
    uint64_t records = 0;         // records read from buffers
    uint64_t dropped = 0;         // records CUPTI reported dropped
    uint64_t overheadRecords = 0; // OVERHEAD records (counted, not drawn)
    int64_t overheadNs = 0;       // their total duration
    double clockSkewNs = 0;       // worst residual of the clock fit
    size_t clockSamples = 0;
};

// The test seam too: it needs no GPU and no driver, only buffers of CUPTI records
// (syntheticactivity.h lays them out).
class ActivityProcessor {
public:
    // GPU work whose launch call has not arrived is held this many flush rounds, then drawn
    // without its flow (the launch may have been dropped or filtered).
    static constexpr int kPendingRounds = 3;
    // Launch calls and external ids are kept this many rounds for late GPU records.
    static constexpr int kKeepRounds = 64;

    ActivityProcessor();
    ~ActivityProcessor();
    ActivityProcessor(const ActivityProcessor &) = delete;
    ActivityProcessor &operator=(const ActivityProcessor &) = delete;

    // One completed buffer: `validSize` bytes of records as CUPTI wrote them. Thread-safe.
    void processBuffer(const uint8_t *buffer, size_t validSize);
    // Records CUPTI could not store (cuptiActivityGetNumDroppedRecords): counted, never hidden.
    void addDropped(uint64_t count);
    // A (cuptiGetTimestamp, host now) pair; later records are mapped with the refitted line.
    void addClockSample(int64_t gpuNs, int64_t hostNs);
    // Host lanes use the Tracer's small thread id for this OS thread (gettid).
    void mapThread(uint32_t osThreadId, int traceThreadId);
    // One flush round passed: ages waiting GPU work and forgets old launches.
    void endRound();
    // Draws everything still waiting (at stop: nothing more will arrive).
    void finish();

    GpuTrace take(); // moves out what has been decoded so far
    ActivityStats stats() const;

private:
    struct Launch {
        int64_t hostStartNs = 0;
        int tid = 0;
        bool hasExternal = false;
        uint64_t externalId = 0;
        uint64_t round = 0;
    };
    struct External {
        uint64_t id = 0;
        uint64_t round = 0;
    };
    struct Pending;

    void handle(DecodedActivity &&d);
    const Launch *launchFor(const DecodedActivity &d) const;
    const External *externalFor(uint32_t correlation) const;
    void emitOnDevice(DecodedActivity &&d, const Launch *launch);
    void resolvePending(bool force);
    void mapTimes(TraceEvent &e) const;
    int hostLane(uint32_t osThreadId) const;

    mutable std::mutex m_mutex;
    std::unique_ptr<ActivityDecoder> m_decoder;
    ClockFit m_clock;
    GpuTrace m_out;
    ActivityStats m_stats;
    uint64_t m_round = 0;
    std::unordered_map<uint32_t, Launch> m_launches;    // by correlation id
    std::unordered_map<uint32_t, External> m_externals; // by correlation id
    std::vector<Pending> m_pending;
    std::map<uint32_t, int> m_threads; // OS thread id -> Tracer thread id
};

} // namespace trainscope
