#include "core/profile/cupti/activityprocessor.h"

#include "core/profile/cupti/activitydecoder.h"
#include "core/profile/cupti/cuptilibrary.h"

#include <stdexcept>
#include <utility>

namespace trainscope {

struct ActivityProcessor::Pending {
    DecodedActivity activity;
    uint64_t since = 0; // the round it arrived in
};

ActivityProcessor::ActivityProcessor()
    : m_decoder(std::make_unique<ActivityDecoder>()) {}

ActivityProcessor::~ActivityProcessor() = default;

void ActivityProcessor::processBuffer(const uint8_t *buffer, size_t validSize) {
    if (!buffer || validSize == 0) return;
    std::lock_guard lock(m_mutex);
    // CUPTI's iterator takes a non-const buffer but only reads it; it needs no driver. Buffers
    // come from CUPTI (or from tests that found it), so the library is there.
    const CuptiLibrary *lib = cupti().library;
    if (!lib) throw std::runtime_error("CUPTI buffer without libcupti: " + cupti().reason);
    auto *bytes = const_cast<uint8_t *>(buffer);
    CUpti_Activity *record = nullptr;
    while (lib->cuptiActivityGetNextRecord(bytes, validSize, &record) == CUPTI_SUCCESS) {
        ++m_stats.records;
        handle(m_decoder->decode(record));
    }
    if (!m_pending.empty()) resolvePending(false);
}

void ActivityProcessor::handle(DecodedActivity &&d) {
    using Kind = DecodedActivity::Kind;
    switch (d.kind) {
    case Kind::Ignored:
        return;
    case Kind::ExternalCorrelation:
        // CUPTI writes it just before the API record it belongs to.
        m_externals[d.correlation] = {d.externalId, m_round};
        return;
    case Kind::ApiCall: {
        TraceEvent &e = d.event;
        mapTimes(e);
        e.pid = 0;
        e.tid = hostLane(d.osThreadId);
        Launch launch{e.startNs, e.tid, false, 0, m_round};
        if (const External *x = externalFor(d.correlation)) {
            launch.hasExternal = true;
            launch.externalId = x->id;
            e.args.push_back({"external id", std::to_string(x->id)});
        }
        m_launches[d.correlation] = launch;
        m_out.events.push_back(std::move(e));
        return;
    }
    case Kind::GpuWork:
    case Kind::Sync:
        if (const Launch *launch = launchFor(d))
            emitOnDevice(std::move(d), launch);
        else
            m_pending.push_back({std::move(d), m_round});
        return;
    case Kind::Memory:
        d.memory.tsNs = m_clock.toHost(d.memory.tsNs);
        m_out.memory.push_back(std::move(d.memory));
        return;
    case Kind::Overhead:
        ++m_stats.overheadRecords;
        m_stats.overheadNs += d.overheadNs;
        return;
    }
}

const ActivityProcessor::Launch *ActivityProcessor::launchFor(const DecodedActivity &d) const {
    for (uint32_t id : {d.correlation, d.driverCorrelation}) {
        if (id == 0) continue;
        auto it = m_launches.find(id);
        if (it != m_launches.end()) return &it->second;
    }
    return nullptr;
}

const ActivityProcessor::External *ActivityProcessor::externalFor(uint32_t correlation) const {
    auto it = m_externals.find(correlation);
    return it == m_externals.end() ? nullptr : &it->second;
}

void ActivityProcessor::emitOnDevice(DecodedActivity &&d, const Launch *launch) {
    TraceEvent &e = d.event;
    mapTimes(e);
    if (d.kind == DecodedActivity::Kind::Sync) {
        // Synchronisation blocks the calling thread: draw it on that thread's lane.
        e.pid = 0;
        e.tid = launch ? launch->tid : 0;
    }
    if (launch && launch->hasExternal) {
        e.args.push_back({"external id", std::to_string(launch->externalId)});
    } else if (const External *x = externalFor(d.correlation)) {
        e.args.push_back({"external id", std::to_string(x->id)});
    }
    if (launch && d.kind == DecodedActivity::Kind::GpuWork)
        m_out.flows.push_back(
            {d.correlation, launch->hostStartNs, 0, launch->tid, e.startNs, e.pid, e.tid});
    m_out.events.push_back(std::move(e));
}

void ActivityProcessor::resolvePending(bool force) {
    std::vector<Pending> waiting;
    for (Pending &p : m_pending) {
        const Launch *launch = launchFor(p.activity);
        if (launch || force || m_round - p.since >= uint64_t(kPendingRounds))
            emitOnDevice(std::move(p.activity), launch);
        else
            waiting.push_back(std::move(p));
    }
    m_pending = std::move(waiting);
}

void ActivityProcessor::addDropped(uint64_t count) {
    std::lock_guard lock(m_mutex);
    m_stats.dropped += count;
}

void ActivityProcessor::addClockSample(int64_t gpuNs, int64_t hostNs) {
    std::lock_guard lock(m_mutex);
    m_clock.addSample(gpuNs, hostNs);
}

void ActivityProcessor::mapThread(uint32_t osThreadId, int traceThreadId) {
    std::lock_guard lock(m_mutex);
    m_threads[osThreadId] = traceThreadId;
}

void ActivityProcessor::endRound() {
    std::lock_guard lock(m_mutex);
    ++m_round;
    if (!m_pending.empty()) resolvePending(false);
    for (auto it = m_launches.begin(); it != m_launches.end();)
        it = m_round - it->second.round > uint64_t(kKeepRounds) ? m_launches.erase(it) : ++it;
    for (auto it = m_externals.begin(); it != m_externals.end();)
        it = m_round - it->second.round > uint64_t(kKeepRounds) ? m_externals.erase(it) : ++it;
}

void ActivityProcessor::finish() {
    std::lock_guard lock(m_mutex);
    resolvePending(true);
}

GpuTrace ActivityProcessor::take() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_out, {});
}

ActivityStats ActivityProcessor::stats() const {
    std::lock_guard lock(m_mutex);
    ActivityStats s = m_stats;
    s.clockSkewNs = m_clock.worstResidualNs();
    s.clockSamples = m_clock.samples();
    return s;
}

void ActivityProcessor::mapTimes(TraceEvent &e) const {
    const int64_t start = m_clock.toHost(e.startNs);
    const int64_t end = m_clock.toHost(e.startNs + e.durationNs);
    e.startNs = start;
    e.durationNs = end > start ? end - start : 0;
}

int ActivityProcessor::hostLane(uint32_t osThreadId) const {
    auto it = m_threads.find(osThreadId);
    return it != m_threads.end() ? it->second : int(osThreadId);
}

} // namespace trainscope
