// Chrome trace elements to TraceFile parts with simdjson's on-demand parser. Times are parsed from
// the number's text, so nanoseconds survive microsecond decimals.
#include "core/profile/traceparse.h"

#include "core/profile/tracejson.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>

namespace trainscope {
namespace {

namespace od = simdjson::ondemand;

bool isJsonSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool isGpuCategory(std::string_view cat) {
    return cat == "kernel" || cat == "gpu_memcpy" || cat == "gpu_memset" ||
           cat == "gpu_user_annotation" || cat == "Kernel" || cat == "Memcpy" || cat == "Memset";
}

// A string as written when it holds no escape (most do: then it is not copied into simdjson's
// buffer), else unescaped. Both stay valid as long as the document.
std::string_view stringOf(od::value v) {
    std::string_view raw = v.raw_json_token(); // the quotes, then whitespace
    while (!raw.empty() && isJsonSpace(raw.back()))
        raw.remove_suffix(1);
    if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
        raw = raw.substr(1, raw.size() - 2);
        if (!std::memchr(raw.data(), '\\', raw.size())) return raw;
    }
    std::string_view s;
    return v.get_string().get(s) == simdjson::SUCCESS ? s : std::string_view();
}

std::string_view keyOf(od::field &field) {
    const char *raw = field.key().raw(); // after the opening quote; the closing one follows
    size_t n = 0;
    while (raw[n] != '"' && raw[n] != '\\')
        ++n;
    if (raw[n] == '"') return {raw, n};
    return field.unescaped_key();
}

// Microseconds to nanoseconds, from the number's text so no digit is lost to a double.
bool nanos(od::value v, int64_t &ns) {
    if (v.type() != od::json_type::number) return false;
    return parseMicros(v.raw_json_token(), ns);
}

bool flowId(od::value v, int64_t &id) {
    if (v.type() == od::json_type::number) {
        uint64_t u = 0;
        int64_t i = 0;
        if (v.get_uint64().get(u) == simdjson::SUCCESS) return id = int64_t(u), true;
        return v.get_int64().get(i) == simdjson::SUCCESS ? (id = i, true) : false;
    }
    const std::string_view s = stringOf(v);
    if (s.empty()) return false;
    id = int64_t(std::hash<std::string_view>()(s) & 0x7fffffffffffffffULL);
    return true;
}

// PyTorch pretty-prints arrays ("[392, 1, 1]"); kept without the spaces outside strings.
std::string minified(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < text.size())
                out += text[++i];
            else if (c == '"')
                inString = false;
        } else if (!isJsonSpace(c)) {
            out += c;
            inString = c == '"';
        }
    }
    return out;
}

// An argument as text: strings unquoted, numbers as written, arrays and objects as JSON. A
// number's value is parsed only when `number` asks for it (for counters).
std::string text(od::value v, double *number, bool &isNumber) {
    switch (v.type()) {
    case od::json_type::string:
        return std::string(stringOf(v));
    case od::json_type::number: {
        std::string_view token = v.raw_json_token();
        while (!token.empty() && isJsonSpace(token.back()))
            token.remove_suffix(1);
        isNumber = number && v.get_double().get(*number) == simdjson::SUCCESS;
        return std::string(token);
    }
    case od::json_type::boolean: {
        bool b = false;
        return v.get_bool().get(b) == simdjson::SUCCESS && b ? "true" : "false";
    }
    case od::json_type::null:
        return "null";
    case od::json_type::array: {
        od::array array;
        std::string_view raw;
        return !v.get_array().get(array) && !array.raw_json().get(raw) ? minified(raw) : "";
    }
    case od::json_type::object: {
        od::object object;
        std::string_view raw;
        return !v.get_object().get(object) && !object.raw_json().get(raw) ? minified(raw) : "";
    }
    }
    return {};
}

MemoryEvent memoryEvent(int64_t ts, const std::vector<std::pair<std::string, std::string>> &args) {
    MemoryEvent m;
    m.tsNs = ts;
    int deviceType = 0, deviceId = -1;
    std::string series;
    for (const auto &[k, v] : args) {
        if (k == "Addr")
            m.address = std::strtoull(v.c_str(), nullptr, 10);
        else if (k == "Bytes")
            m.bytes = std::strtoll(v.c_str(), nullptr, 10);
        else if (k == "Total Allocated")
            m.totalAllocated = std::strtoll(v.c_str(), nullptr, 10);
        else if (k == "Total Reserved")
            m.totalReserved = std::strtoll(v.c_str(), nullptr, 10);
        else if (k == "Device Type")
            deviceType = std::atoi(v.c_str());
        else if (k == "Device Id")
            deviceId = std::atoi(v.c_str());
        else if (k == "Trainscope Series")
            series = " " + v;
    }
    m.device = (deviceType == 1 ? "cuda:" + std::to_string(std::max(0, deviceId)) : "cpu") + series;
    return m;
}

bool sameLane(const Lane &a, const Lane &b) {
    return a.pid.number == b.pid.number && a.pid.name == b.pid.name &&
           a.tid.number == b.tid.number && a.tid.name == b.tid.name;
}

// Reads elements one at a time into a batch; nothing here depends on the elements before.
class EventParser {
public:
    explicit EventParser(EventBatch &batch)
        : m_batch(batch) {}

    void event(od::object obj) {
        std::string_view ph, name, cat;
        int64_t ts = 0, dur = 0, id = 0;
        bool hasTs = false, tsPresent = false, hasId = false;
        Lane lane;
        m_args.clear();
        m_numbers.clear();
        for (od::field field : obj) {
            const std::string_view key = keyOf(field);
            od::value v = field.value();
            if (key == "ph")
                ph = stringOf(v);
            else if (key == "name")
                name = stringOf(v);
            else if (key == "cat")
                cat = stringOf(v), m_batch.anyCategory = true;
            else if (key == "ts")
                hasTs = nanos(v, ts), tsPresent = true;
            else if (key == "dur")
                nanos(v, dur);
            else if (key == "pid")
                lane.pid = laneRef(v, m_batch.pidNames, m_pidIndex);
            else if (key == "tid")
                lane.tid = laneRef(v, m_batch.tidNames, m_tidIndex);
            else if (key == "id")
                hasId = flowId(v, id);
            else if (key == "args" && v.type() == od::json_type::object)
                readArgs(v.get_object(), ph.empty() || ph[0] == 'C');
        }
        if (ph.empty()) return;
        nameLanes(lane);
        switch (ph[0]) {
        case 'X':
        case 'i':
        case 'I':
        case 'B':
        case 'E': {
            if (!hasTs) {
                ++m_batch.dropped[tsPresent ? "\"ts\" is not a number" : "no \"ts\""];
                return;
            }
            if (name == "[memory]") {
                m_batch.memory.push_back(memoryEvent(ts, m_args));
                return;
            }
            const auto index = uint32_t(m_batch.events.size());
            if (ph[0] == 'E') {
                m_batch.ranges.push_back({lane, EventBatch::kEnd, ts});
                return;
            }
            if (ph[0] == 'B') m_batch.ranges.push_back({lane, index, 0});
            TraceEvent &e = m_batch.events.emplace_back();
            e.name = std::string(name);
            e.category = std::string(cat);
            e.startNs = ts;
            e.durationNs = ph[0] == 'X' ? std::max<int64_t>(0, dur) : 0;
            e.pid = lane.pid.number;
            e.tid = lane.tid.number;
            e.phase = ph[0] == 'i' || ph[0] == 'I' ? 'i' : 'X';
            // One allocation of the exact size (growing the vector per argument cost more).
            e.args.assign(std::make_move_iterator(m_args.begin()),
                          std::make_move_iterator(m_args.end()));
            if (lane.named()) m_batch.laneFixes.emplace_back(index, lane);
            if (isGpuCategory(cat)) m_batch.gpuEvents.push_back(index);
            return;
        }
        case 's':
        case 'f':
        case 't': {
            if (!hasId || !hasTs) return;
            // PyTorch's fwdbwd and ac2g flows reuse small ids: a flow is its category and id.
            const int64_t key = int64_t(std::hash<std::string_view>()(cat) * 1000003u) ^ id;
            const uint32_t at = m_flowIndex.find(key, uint32_t(m_batch.flows.size()));
            if (at == m_batch.flows.size()) m_batch.flows.emplace_back().key = key;
            EventBatch::Flow &f = m_batch.flows[at];
            if (ph[0] == 's')
                f.id = id, f.fromNs = ts, f.from = lane, f.hasStart = true;
            else
                f.toNs = ts, f.to = lane, f.hasEnd = true;
            return;
        }
        case 'C':
            for (const auto &[arg, value] : m_numbers) {
                const std::string &k = m_args[arg].first;
                m_batch.counters.push_back(
                    {{m_numbers.size() == 1 || k == "value" ? std::string(name)
                                                            : std::string(name) + " " + k,
                      lane.pid.number, ts, value},
                     lane.pid.name});
            }
            return;
        case 'M':
            for (auto &[k, value] : m_args) {
                if (k != "name") continue;
                if (name == "process_name")
                    m_batch.names.push_back({'p', lane, std::move(value)});
                else if (name == "thread_name")
                    m_batch.names.push_back({'t', lane, std::move(value)});
            }
            return;
        default:
            return; // async, object and sample events are not shown
        }
    }

private:
    // Counters need the numbers' values: when "ph" came first (it mostly does) only theirs.
    void readArgs(od::object args, bool numbers) {
        for (od::field arg : args) {
            double number = 0;
            bool isNumber = false;
            std::string k(keyOf(arg));
            m_args.emplace_back(std::move(k),
                                text(arg.value(), numbers ? &number : nullptr, isNumber));
            if (isNumber) m_numbers.emplace_back(m_args.size() - 1, number);
        }
    }

    // Lane ids are numbers in most traces; a lane named by a string ("stream 7", PyTorch's
    // legacy pid "CPU functions") gets a number of its own and keeps the string as its name.
    static LaneRef laneRef(od::value v, std::vector<std::string> &names,
                           std::unordered_map<std::string, int> &index) {
        if (v.type() == od::json_type::number) {
            int64_t i = 0;
            double d = 0;
            // Lane ids past an int (hostile, or a 64-bit thread id) are clamped, not overflowed.
            constexpr double lo = std::numeric_limits<int>::min(),
                             hi = std::numeric_limits<int>::max();
            if (v.get_int64().get(i) == simdjson::SUCCESS)
                return {int(std::clamp<int64_t>(i, int64_t(lo), int64_t(hi)))};
            if (v.get_double().get(d) != simdjson::SUCCESS || !(d >= lo && d <= hi)) return {};
            return {int(d)};
        }
        const std::string_view text = stringOf(v);
        if (text.empty()) return {};
        auto it = index.find(std::string(text));
        if (it == index.end()) {
            it = index.emplace(std::string(text), int(names.size())).first;
            names.emplace_back(text);
        }
        return {0, it->second};
    }

    // A lane named by a string names its thread or process unless something named it first;
    // repeats of the last one are left out (a legacy trace names every event's pid).
    void nameLanes(const Lane &lane) {
        if (lane.tid.name >= 0 && !(m_lastThread && sameLane(*m_lastThread, lane))) {
            m_batch.names.push_back({'T', lane, {}});
            m_lastThread = lane;
        }
        if (lane.pid.name >= 0 && !(m_lastProcess && m_lastProcess->pid.name == lane.pid.name)) {
            m_batch.names.push_back({'P', lane, {}});
            m_lastProcess = lane;
        }
    }

    EventBatch &m_batch;
    std::unordered_map<std::string, int> m_pidIndex, m_tidIndex;
    std::vector<std::pair<std::string, std::string>> m_args;
    std::vector<std::pair<size_t, double>> m_numbers; // the numeric args (in m_args), for counters
    std::optional<Lane> m_lastThread, m_lastProcess;
    FlowIndex m_flowIndex; // key -> m_batch.flows: most flows' halves meet in one batch
};

} // namespace

void parseEvents(od::array events, EventBatch &batch, const std::function<void()> &tick) {
    EventParser parser(batch);
    for (auto element : events) {
        od::value v;
        if (const auto error = element.get(v)) throw simdjson::simdjson_error(error);
        od::object obj;
        const auto error = v.get_object().get(obj);
        if (error == simdjson::SUCCESS)
            parser.event(obj);
        else if (error != simdjson::INCORRECT_TYPE) // not an object: skipped
            throw simdjson::simdjson_error(error);
        if ((++batch.elements & 8191) == 0 && tick) tick();
    }
}

bool walkTraceDocument(od::document &doc, TraceFile &trace,
                       const std::function<void(od::array, const char *)> &events) {
    if (doc.type() == od::json_type::array) {
        events(doc.get_array(), nullptr);
        return true;
    }
    bool found = false;
    for (auto field : doc.get_object()) {
        const std::string_view key = field.unescaped_key();
        od::value value = field.value();
        if (key == "traceEvents" && value.type() == od::json_type::array) {
            found = true;
            const char *at = value.raw_json_token().data();
            events(value.get_array(), at);
        } else if (key == "trainscope" && value.type() == od::json_type::object) {
            od::object section = value.get_object();
            readTrainscopeSection(std::string_view(section.raw_json()), trace);
        }
    }
    return found;
}

int TraceAssembler::laneNumber(std::unordered_map<std::string, int> &ids, const std::string &name) {
    return ids.try_emplace(name, int(kGpuPidBase / 2 + ids.size())).first->second;
}

void TraceAssembler::apply(EventBatch &&batch) {
    // Lanes named by strings are numbered in order of first appearance in the file.
    std::vector<int> pids, tids;
    for (const std::string &name : batch.pidNames)
        pids.push_back(laneNumber(m_pidIds, name));
    for (const std::string &name : batch.tidNames)
        tids.push_back(laneNumber(m_tidIds, name));
    auto pidOf = [&](const Lane &l) { return l.pid.name >= 0 ? pids[l.pid.name] : l.pid.number; };
    auto tidOf = [&](const Lane &l) { return l.tid.name >= 0 ? tids[l.tid.name] : l.tid.number; };
    for (const auto &[event, lane] : batch.laneFixes) {
        batch.events[event].pid = pidOf(lane);
        batch.events[event].tid = tidOf(lane);
    }

    std::vector<TraceEvent> &events = m_trace.events;
    const size_t base = events.size();
    if (base == 0 && events.capacity() < batch.events.size())
        events.swap(batch.events); // the sequential read's one batch: nothing to move
    else
        events.insert(events.end(), std::make_move_iterator(batch.events.begin()),
                      std::make_move_iterator(batch.events.end()));
    for (const uint32_t e : batch.gpuEvents) {
        m_gpuEvents.push_back(base + e);
        m_gpuPids.insert(events[base + e].pid);
    }

    for (const EventBatch::Range &r : batch.ranges) {
        std::vector<size_t> &open = m_open[{pidOf(r.lane), tidOf(r.lane)}];
        if (r.begin != EventBatch::kEnd) {
            open.push_back(base + r.begin);
        } else if (!open.empty()) { // an end without a begin closes nothing
            TraceEvent &begun = events[open.back()];
            open.pop_back();
            begun.durationNs = std::max<int64_t>(0, r.endNs - begun.startNs);
        }
    }

    for (EventBatch::Name &n : batch.names) {
        const int pid = pidOf(n.lane), tid = tidOf(n.lane);
        if (n.kind == 'T')
            m_trace.threadNames.emplace(std::make_pair(pid, tid), batch.tidNames[n.lane.tid.name]);
        else if (n.kind == 'P')
            m_trace.processNames.emplace(pid, batch.pidNames[n.lane.pid.name]);
        else if (n.kind == 't')
            m_trace.threadNames[{pid, tid}] = std::move(n.value);
        else
            m_trace.processNames[pid] = std::move(n.value);
    }

    for (const EventBatch::Flow &half : batch.flows) { // later halves win, as within a batch
        const uint32_t at = m_flowIndex.find(half.key, uint32_t(m_flows.size()));
        if (at == m_flows.size()) m_flows.emplace_back();
        Flow &f = m_flows[at];
        if (half.hasStart)
            f.id = half.id, f.fromNs = half.fromNs, f.fromPid = pidOf(half.from),
            f.fromTid = tidOf(half.from), f.hasStart = true;
        if (half.hasEnd)
            f.toNs = half.toNs, f.toPid = pidOf(half.to), f.toTid = tidOf(half.to), f.hasEnd = true;
    }

    for (auto &[sample, pidName] : batch.counters) {
        if (pidName >= 0) sample.pid = pids[pidName];
        m_trace.counters.push_back(std::move(sample));
    }
    m_trace.memory.insert(m_trace.memory.end(), std::make_move_iterator(batch.memory.begin()),
                          std::make_move_iterator(batch.memory.end()));
    for (const auto &[why, count] : batch.dropped)
        m_trace.dropped[why] += count;
    m_elements += batch.elements;
    m_anyCategory = m_anyCategory || batch.anyCategory;
}

TraceFile TraceAssembler::finish() {
    for (const Flow &f : m_flows)
        if (f.hasStart && f.hasEnd)
            m_trace.flows.push_back(
                {uint64_t(f.id), f.fromNs, f.fromPid, f.fromTid, f.toNs, f.toPid, f.toTid});
    if (!m_gpuPids.empty()) moveGpuLanes();
    if (!m_anyCategory) classifyLegacy();
    return std::move(m_trace);
}

uint32_t FlowIndex::find(int64_t key, uint32_t next) {
    if (2 * (m_used + 1) > m_slots.size()) rehash(std::max<size_t>(1024, 2 * m_slots.size()));
    const size_t mask = m_slots.size() - 1;
    const uint64_t h = uint64_t(key) * 0x9E3779B97F4A7C15ull;
    for (size_t at = size_t(h ^ (h >> 29)) & mask;; at = (at + 1) & mask) {
        Slot &slot = m_slots[at];
        if (slot.number && slot.key == key) return slot.number - 1;
        if (!slot.number) {
            slot = {key, next + 1};
            ++m_used;
            return next;
        }
    }
}

void FlowIndex::reserve(size_t keys) {
    size_t slots = 1024;
    while (slots < 2 * keys) // at most half full
        slots *= 2;
    if (slots > m_slots.size()) rehash(slots);
}

void FlowIndex::rehash(size_t slots) {
    std::vector<Slot> old(slots, Slot{0, 0});
    old.swap(m_slots);
    m_used = 0;
    for (const Slot &slot : old)
        if (slot.number) find(slot.key, slot.number - 1);
}

void TraceAssembler::expect(size_t events, size_t flows) {
    m_trace.events.reserve(events);
    m_flows.reserve(flows);
    m_flowIndex.reserve(flows);
}

// PyTorch builds without Kineto (Debian's among them) write no categories: every range is an
// operator on the CPU, and the profiler's step ranges are "ProfilerStep#N". They get the
// categories Kineto would have given them, so steps and operators are found alike.
void TraceAssembler::classifyLegacy() {
    for (TraceEvent &e : m_trace.events)
        if (e.phase == 'X')
            e.category = e.name.rfind("ProfilerStep#", 0) == 0 ? "user_annotation" : "cpu_op";
}

// PyTorch puts GPU streams under pid = device; Trainscope's lanes keep them apart from the host
// as kGpuPidBase + device.
void TraceAssembler::moveGpuLanes() {
    auto moved = [&](int pid) {
        return pid < kGpuPidBase && m_gpuPids.count(pid) ? kGpuPidBase + pid : pid;
    };
    for (const size_t e : m_gpuEvents)
        m_trace.events[e].pid = moved(m_trace.events[e].pid);
    for (TraceFlow &f : m_trace.flows)
        f.toPid = moved(f.toPid);
    std::map<std::pair<int, int>, std::string> threads;
    for (auto &[key, name] : m_trace.threadNames)
        threads[{moved(key.first), key.second}] = name;
    m_trace.threadNames = std::move(threads);
    std::map<int, std::string> processes;
    for (auto &[pid, name] : m_trace.processNames)
        processes[moved(pid)] = name;
    m_trace.processNames = std::move(processes);
}

} // namespace trainscope
