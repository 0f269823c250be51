#include "core/profile/memorytimeline.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <unordered_map>

namespace trainscope {

namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();

// Digit runs compare as numbers, so "cuda:2" comes before "cuda:10".
bool naturalLess(const std::string &a, const std::string &b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (std::isdigit(static_cast<unsigned char>(a[i])) &&
            std::isdigit(static_cast<unsigned char>(b[j]))) {
            size_t ie = i, je = j;
            while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie])))
                ++ie;
            while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je])))
                ++je;
            const std::string da = a.substr(i, ie - i), db = b.substr(j, je - j);
            const size_t za = da.find_first_not_of('0'), zb = db.find_first_not_of('0');
            const std::string na = za == std::string::npos ? "" : da.substr(za);
            const std::string nb = zb == std::string::npos ? "" : db.substr(zb);
            if (na.size() != nb.size()) return na.size() < nb.size();
            if (na != nb) return na < nb;
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

bool deviceLess(const std::string &a, const std::string &b) {
    if (a == b) return false;
    if (a == "cpu") return true;
    if (b == "cpu") return false;
    return naturalLess(a, b);
}

// One allocation's life as event indices: [begin, end), end = kNone while never freed.
struct Allocation {
    uint64_t address;
    int64_t bytes;
    int64_t tsNs;
    size_t begin;
    size_t end;
};

DeviceMemory analyzeDevice(const std::string &device, std::vector<const MemoryEvent *> &events,
                           size_t maxLive) {
    std::stable_sort(events.begin(), events.end(),
                     [](const MemoryEvent *a, const MemoryEvent *b) { return a->tsNs < b->tsNs; });
    DeviceMemory d;
    d.device = device;
    d.allocated.reserve(events.size());
    DeviceMemorySummary &s = d.summary;

    std::vector<Allocation> allocations;
    std::unordered_map<uint64_t, size_t> live; // address -> index in allocations
    int64_t liveSum = 0;
    // Where the allocator reports its total, that is the truth; between reports the tracked
    // changes are added to the last reported total (a trace often starts with memory in use).
    int64_t offset = 0;
    int64_t peak = std::numeric_limits<int64_t>::min();
    size_t peakIndex = 0;
    for (size_t i = 0; i < events.size(); ++i) {
        const MemoryEvent &e = *events[i];
        if (e.bytes > 0) {
            ++s.allocs;
            auto [it, inserted] = live.try_emplace(e.address, allocations.size());
            if (!inserted) { // the allocator reused a live address: the old block is gone
                Allocation &old = allocations[it->second];
                old.end = i;
                liveSum -= old.bytes;
                it->second = allocations.size();
            }
            allocations.push_back({e.address, e.bytes, e.tsNs, i, kNone});
            liveSum += e.bytes;
        } else if (e.bytes < 0) {
            auto it = live.find(e.address);
            if (it == live.end()) {
                ++s.unmatchedFrees; // allocated before the trace began, or a lost event
            } else {
                ++s.frees;
                Allocation &a = allocations[it->second];
                a.end = i;
                liveSum -= a.bytes;
                live.erase(it);
            }
        }
        if (e.totalAllocated >= 0) {
            offset = e.totalAllocated - liveSum;
            d.totalsReported = true;
        }
        const int64_t value = liveSum + offset;
        d.allocated.push_back({e.tsNs, value});
        if (e.totalReserved >= 0) d.reserved.push_back({e.tsNs, e.totalReserved});
        if (value > peak) {
            peak = value;
            peakIndex = i;
        }
    }
    if (!d.allocated.empty()) {
        s.peakBytes = peak;
        s.peakNs = d.allocated[peakIndex].tsNs;
        s.finalBytes = d.allocated.back().bytes;
    }

    std::vector<const Allocation *> atPeak;
    for (const Allocation &a : allocations)
        if (a.begin <= peakIndex && (a.end == kNone || a.end > peakIndex)) {
            atPeak.push_back(&a);
            d.liveBytesAtPeak += a.bytes;
        }
    d.liveCountAtPeak = atPeak.size();
    const size_t listed = std::min(maxLive, atPeak.size());
    std::partial_sort(atPeak.begin(), atPeak.begin() + std::ptrdiff_t(listed), atPeak.end(),
                      [](const Allocation *a, const Allocation *b) {
                          if (a->bytes != b->bytes) return a->bytes > b->bytes;
                          return a->begin < b->begin;
                      });
    d.liveAtPeak.reserve(listed);
    for (size_t i = 0; i < listed; ++i)
        d.liveAtPeak.push_back({atPeak[i]->address, atPeak[i]->bytes, atPeak[i]->tsNs});
    return d;
}

} // namespace

const DeviceMemory *MemoryTimeline::find(const std::string &device) const {
    for (const DeviceMemory &d : devices)
        if (d.device == device) return &d;
    return nullptr;
}

MemoryTimeline buildMemoryTimeline(const std::vector<MemoryEvent> &events, size_t maxLiveAtPeak) {
    MemoryTimeline timeline;
    if (events.empty()) return timeline;
    std::map<std::string, std::vector<const MemoryEvent *>> byDevice;
    std::vector<const MemoryEvent *> *current = nullptr;
    const std::string *currentName = nullptr;
    timeline.firstNs = std::numeric_limits<int64_t>::max();
    timeline.lastNs = std::numeric_limits<int64_t>::min();
    for (const MemoryEvent &e : events) {
        // Events usually come in runs of one device: skip the map lookup for those.
        if (!currentName || *currentName != e.device) {
            auto it = byDevice.try_emplace(e.device).first;
            currentName = &it->first;
            current = &it->second;
        }
        current->push_back(&e);
        timeline.firstNs = std::min(timeline.firstNs, e.tsNs);
        timeline.lastNs = std::max(timeline.lastNs, e.tsNs);
    }
    for (auto &[device, list] : byDevice)
        timeline.devices.push_back(analyzeDevice(device, list, maxLiveAtPeak));
    std::sort(timeline.devices.begin(), timeline.devices.end(),
              [](const DeviceMemory &a, const DeviceMemory &b) {
                  return deviceLess(a.device, b.device);
              });
    return timeline;
}

} // namespace trainscope
