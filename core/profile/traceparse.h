// The traceEvents of a Chrome trace in two steps (private to core/profile): elements parsed into
// a batch, which any thread can do for any run of whole elements, then batches applied in file
// order, which resolves what depends on the events before (lanes named by strings, B/E pairs,
// flows, lane names). One batch for the whole array is the plain sequential read.
#pragma once

#include "core/profile/tracefile.h"

#include <cstdint>
#include <functional>
#include <map>
#include <simdjson.h>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace trainscope {

// A lane id as an event wrote it: a number, or (name >= 0) a string's place in the batch's
// table of names, numbered when the batch is applied.
struct LaneRef {
    int number = 0;
    int name = -1;
};

struct Lane {
    LaneRef pid, tid;
    bool named() const { return pid.name >= 0 || tid.name >= 0; }
};

// Flows by key in an open-addressing table: a trace has millions, and a std::unordered_map
// allocates a node for each.
class FlowIndex {
public:
    // The number `key` was given, or `next` (given to it now) when it is new.
    uint32_t find(int64_t key, uint32_t next);
    void reserve(size_t keys);

private:
    struct Slot {
        int64_t key;
        uint32_t number; // + 1; 0: a free slot
    };
    void rehash(size_t slots);
    std::vector<Slot> m_slots;
    size_t m_used = 0;
};

struct EventBatch {
    static constexpr uint32_t kEnd = UINT32_MAX;

    struct Range { // a B (begin: the event it opened) or an E (begin == kEnd)
        Lane lane;
        uint32_t begin;
        int64_t endNs;
    };
    struct Name {  // 'P'/'T': a lane named by a string names its process/thread unless named
        char kind; // 'p'/'t': a process_name/thread_name metadata event
        Lane lane;
        std::string value;
    };
    struct Flow { // both halves of a flow in the batch, the last of each kind
        int64_t key = 0, id = 0, fromNs = 0, toNs = 0;
        Lane from, to;
        bool hasStart = false, hasEnd = false;
    };

    std::vector<TraceEvent> events; // lanes named by strings are fixed up from laneFixes
    std::vector<std::pair<uint32_t, Lane>> laneFixes;
    std::vector<uint32_t> gpuEvents; // events of a GPU category
    std::vector<Range> ranges;
    std::vector<Name> names;
    std::vector<Flow> flows;                             // in order of their first half
    std::vector<std::pair<CounterSample, int>> counters; // with the pid's name, or -1
    std::vector<MemoryEvent> memory;
    std::vector<std::string> pidNames, tidNames; // in order of first appearance
    std::map<std::string, uint64_t> dropped;
    size_t elements = 0; // array elements read, events or not
    bool anyCategory = false;
};

// Parses every element of `events` into `batch` (a new one: its events vector may hold memory
// to reuse, nothing more), calling `tick` every few thousand elements. Elements that are not
// objects are skipped; a JSON error throws simdjson_error.
void parseEvents(simdjson::ondemand::array events, EventBatch &batch,
                 const std::function<void()> &tick = {});

// Walks a trace document's top level: each traceEvents array goes to `events` with where its
// "[" is, the "trainscope" section into `trace`. The bare-array form is one traceEvents array.
// False when there is none.
bool walkTraceDocument(simdjson::ondemand::document &doc, TraceFile &trace,
                       const std::function<void(simdjson::ondemand::array, const char *)> &events);

// Applies batches in file order and finishes the trace.
class TraceAssembler {
public:
    // Room for the events and flows the file likely holds, so that the big vectors and tables
    // are not grown by copying.
    void expect(size_t events, size_t flows);
    void apply(EventBatch &&batch);
    TraceFile finish();
    TraceFile &trace() { return m_trace; }
    size_t elements() const { return m_elements; }

private:
    // A flow's halves (the last of each kind wins), in order of the flow's first half.
    struct Flow {
        int64_t id = 0, fromNs = 0, toNs = 0;
        int fromPid = 0, fromTid = 0, toPid = 0, toTid = 0;
        bool hasStart = false, hasEnd = false;
    };

    int laneNumber(std::unordered_map<std::string, int> &ids, const std::string &name);
    void moveGpuLanes();
    void classifyLegacy();

    TraceFile m_trace;
    std::map<std::pair<int, int>, std::vector<size_t>> m_open; // B ranges awaiting their E
    std::vector<Flow> m_flows;
    FlowIndex m_flowIndex; // key -> m_flows
    std::unordered_map<std::string, int> m_pidIds, m_tidIds;
    std::vector<size_t> m_gpuEvents;
    std::unordered_set<int> m_gpuPids;
    size_t m_elements = 0;
    bool m_anyCategory = false;
};

} // namespace trainscope
