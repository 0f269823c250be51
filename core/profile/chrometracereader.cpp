// readChromeTrace: Chrome trace-event JSON (ours, PyTorch's profiler, anything chrome://tracing
// opens) read with simdjson's on-demand parser straight into TraceFile, a few million events a
// second. Times are parsed from the number's text, so nanoseconds survive microsecond decimals.
#include "core/io/inflationguard.h"
#include "core/profile/chrometrace.h"
#include "core/profile/tracejson.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <simdjson.h>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <zlib.h>

namespace trainscope {
namespace {

namespace od = simdjson::ondemand;

// The whole file, decompressed when gzip, with the zeroed padding simdjson reads past the end.
struct Buffer {
    std::unique_ptr<char[]> data;
    size_t size = 0, capacity = 0;
};

constexpr size_t kMaxTraceBytes = 0xFFFFFFFFull - 1; // simdjson indexes with 32 bits

// The uncompressed size, when the file says: a plain file's length, or a gzip member's
// trailer (ISIZE, the size modulo 4 GiB); 0 when unknown.
size_t expectedSize(const std::string &path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return 0;
    const std::streamoff size = in.tellg();
    if (size < 18) return size_t(std::max<std::streamoff>(size, 0));
    unsigned char magic[2] = {0, 0}, trailer[4] = {0, 0, 0, 0};
    in.seekg(0);
    in.read(reinterpret_cast<char *>(magic), 2);
    if (magic[0] != 0x1f || magic[1] != 0x8b) return size_t(size);
    in.seekg(size - 4);
    in.read(reinterpret_cast<char *>(trailer), 4);
    const size_t isize = size_t(trailer[0]) | size_t(trailer[1]) << 8 | size_t(trailer[2]) << 16 |
                         size_t(trailer[3]) << 24;
    // A corrupt or hostile trailer cannot ask for more than would be read.
    return std::min(isize, std::max(kBombFloor, size_t(size) * kMaxInflation));
}

Buffer readPadded(const std::string &path) {
    gzFile f = gzopen(path.c_str(), "rb"); // plain files read through too
    if (!f) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
    gzbuffer(f, 1 << 20);
    auto refuse = [&](const std::string &why) {
        gzclose(f);
        return std::runtime_error(path + ": " + why);
    };
    Buffer b;
    // One allocation when the size is known (the grown copies cost more than the parse).
    b.capacity = std::max<size_t>(expectedSize(path) + 1, 1 << 16) + simdjson::SIMDJSON_PADDING;
    b.data.reset(new char[b.capacity]);
    for (;;) {
        if (b.capacity - b.size <= simdjson::SIMDJSON_PADDING) {
            const size_t grown = b.capacity * 2;
            std::unique_ptr<char[]> bigger(new char[grown]);
            std::memcpy(bigger.get(), b.data.get(), b.size);
            b.data = std::move(bigger);
            b.capacity = grown;
        }
        // Read in slices, so the limits are checked while inflating.
        const unsigned room =
            unsigned(std::min<size_t>(b.capacity - b.size - simdjson::SIMDJSON_PADDING, 16u << 20));
        const int n = gzread(f, b.data.get() + b.size, room);
        if (n < 0) {
            int err = 0;
            throw refuse(std::string("corrupt gzip data: ") + gzerror(f, &err));
        }
        if (n == 0) break;
        b.size += size_t(n);
        if (b.size > kMaxTraceBytes) throw refuse("trace larger than 4 GiB uncompressed; split it");
        if (const std::string why = inflationRefusal(f, b.size); !why.empty()) throw refuse(why);
    }
    int err = 0;
    const char *msg = gzerror(f, &err);
    if (err < 0 && err != Z_BUF_ERROR) throw refuse(std::string("corrupt gzip data: ") + msg);
    gzclose(f);
    std::memset(b.data.get() + b.size, 0, simdjson::SIMDJSON_PADDING);
    return b;
}

bool isJsonSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool isGpuCategory(std::string_view cat) {
    return cat == "kernel" || cat == "gpu_memcpy" || cat == "gpu_memset" ||
           cat == "gpu_user_annotation" || cat == "Kernel" || cat == "Memcpy" || cat == "Memset";
}

struct FlowEnd {
    int64_t id = 0;
    int64_t ns = 0;
    int pid = 0, tid = 0;
    bool seen = false;
};

// Reads events one at a time; keeps the state that spans events (lanes named by strings, open
// B ranges, flow halves).
class Loader {
public:
    void event(od::object obj) {
        std::string_view ph, name, cat;
        int64_t ts = 0, dur = 0, id = 0;
        bool hasTs = false, tsPresent = false, hasId = false;
        int pid = 0, tid = 0;
        std::string tidLabel; // a lane named by a string ("stream 7")
        std::vector<std::pair<std::string, std::string>> args;
        std::vector<std::pair<std::string, double>> numbers; // the numeric args, for counters
        for (auto field : obj) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if (key == "ph")
                ph = stringOf(v);
            else if (key == "name")
                name = stringOf(v);
            else if (key == "cat")
                cat = stringOf(v), m_anyCategory = true;
            else if (key == "ts")
                hasTs = nanos(v, ts), tsPresent = true;
            else if (key == "dur")
                nanos(v, dur);
            else if (key == "pid")
                pid = laneId(v, false, &tidLabel);
            else if (key == "tid")
                tid = laneId(v, true, &tidLabel);
            else if (key == "id")
                hasId = flowId(v, id);
            else if (key == "args" && v.type() == od::json_type::object) {
                for (auto arg : v.get_object()) {
                    double number = 0;
                    bool isNumber = false;
                    std::string k(std::string_view(arg.unescaped_key()));
                    args.emplace_back(std::move(k), text(arg.value(), number, isNumber));
                    if (isNumber) numbers.emplace_back(args.back().first, number);
                }
            }
        }
        if (ph.empty()) return;
        if (!tidLabel.empty()) m_trace.threadNames.emplace(std::make_pair(pid, tid), tidLabel);
        if (!m_pidLabel.empty()) m_trace.processNames.emplace(pid, std::move(m_pidLabel));
        m_pidLabel.clear();
        switch (ph[0]) {
        case 'X':
        case 'i':
        case 'I':
        case 'B':
        case 'E': {
            if (!hasTs) {
                ++m_trace.dropped[tsPresent ? "\"ts\" is not a number" : "no \"ts\""];
                return;
            }
            if (name == "[memory]") {
                memory(ts, args);
                return;
            }
            if (ph[0] == 'B') {
                m_open[{pid, tid}].push_back(m_trace.events.size());
            } else if (ph[0] == 'E') {
                auto &stack = m_open[{pid, tid}];
                if (stack.empty()) return; // an end without a begin: nothing to close
                TraceEvent &open = m_trace.events[stack.back()];
                stack.pop_back();
                open.durationNs = std::max<int64_t>(0, ts - open.startNs);
                return;
            }
            TraceEvent e;
            e.name = std::string(name);
            e.category = std::string(cat);
            e.startNs = ts;
            e.durationNs = ph[0] == 'X' ? std::max<int64_t>(0, dur) : 0;
            e.pid = pid;
            e.tid = tid;
            e.phase = ph[0] == 'i' || ph[0] == 'I' ? 'i' : 'X';
            e.args = std::move(args);
            if (isGpuCategory(cat)) m_gpuPids.insert(pid);
            m_trace.events.push_back(std::move(e));
            return;
        }
        case 's':
        case 'f':
        case 't': {
            if (!hasId || !hasTs) return;
            // PyTorch's fwdbwd and ac2g flows reuse small ids: a flow is its category and id.
            const int64_t key = int64_t(std::hash<std::string_view>()(cat) * 1000003u) ^ id;
            FlowEnd &end = ph[0] == 's' ? m_flowStarts[key] : m_flowEnds[key];
            end = {id, ts, pid, tid, true};
            return;
        }
        case 'C':
            for (const auto &[k, value] : numbers)
                m_trace.counters.push_back({numbers.size() == 1 || k == "value"
                                                ? std::string(name)
                                                : std::string(name) + " " + k,
                                            pid, ts, value});
            return;
        case 'M':
            for (const auto &[k, value] : args) {
                if (k != "name") continue;
                if (name == "process_name")
                    m_trace.processNames[pid] = value;
                else if (name == "thread_name")
                    m_trace.threadNames[{pid, tid}] = value;
            }
            return;
        default:
            return; // async, object and sample events are not shown
        }
    }

    TraceFile finish() {
        for (const auto &[id, from] : m_flowStarts) {
            const auto to = m_flowEnds.find(id);
            if (to == m_flowEnds.end()) continue;
            m_trace.flows.push_back({uint64_t(from.id), from.ns, from.pid, from.tid, to->second.ns,
                                     to->second.pid, to->second.tid});
        }
        if (!m_gpuPids.empty()) moveGpuLanes();
        if (!m_anyCategory) classifyLegacy();
        return std::move(m_trace);
    }

    TraceFile &trace() { return m_trace; }

private:
    // Strings stay valid until the document is done (simdjson unescapes into one buffer).
    static std::string_view stringOf(od::value v) {
        std::string_view s;
        return v.get_string().get(s) == simdjson::SUCCESS ? s : std::string_view();
    }

    // Microseconds to nanoseconds, from the number's text so no digit is lost to a double.
    static bool nanos(od::value v, int64_t &ns) {
        if (v.type() != od::json_type::number) return false;
        return parseMicros(v.raw_json_token(), ns);
    }

    // Lane ids are numbers in most traces; a lane named by a string ("stream 7", PyTorch's
    // legacy pid "CPU functions") gets a number of its own and keeps the string as its name.
    int laneId(od::value v, bool thread, std::string *tidLabel) {
        if (v.type() == od::json_type::number) {
            int64_t i = 0;
            double d = 0;
            // Lane ids past an int (hostile, or a 64-bit thread id) are clamped, not overflowed.
            constexpr double lo = std::numeric_limits<int>::min(),
                             hi = std::numeric_limits<int>::max();
            if (v.get_int64().get(i) == simdjson::SUCCESS)
                return int(std::clamp<int64_t>(i, int64_t(lo), int64_t(hi)));
            if (v.get_double().get(d) != simdjson::SUCCESS || !(d >= lo && d <= hi)) return 0;
            return int(d);
        }
        std::string text(stringOf(v));
        if (text.empty()) return 0;
        auto &ids = thread ? m_tidIds : m_pidIds;
        auto it = ids.find(text);
        if (it == ids.end()) it = ids.emplace(text, int(kGpuPidBase / 2 + ids.size())).first;
        (thread ? *tidLabel : m_pidLabel) = std::move(text);
        return it->second;
    }

    static bool flowId(od::value v, int64_t &id) {
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

    // An argument as text: strings unquoted, numbers as written, arrays and objects as JSON.
    static std::string text(od::value v, double &number, bool &isNumber) {
        switch (v.type()) {
        case od::json_type::string:
            return std::string(stringOf(v));
        case od::json_type::number: {
            std::string_view token = v.raw_json_token();
            while (!token.empty() && isJsonSpace(token.back()))
                token.remove_suffix(1);
            isNumber = v.get_double().get(number) == simdjson::SUCCESS;
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

    // PyTorch pretty-prints arrays ("[392, 1, 1]"); kept without the spaces outside strings.
    static std::string minified(std::string_view text) {
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

    void memory(int64_t ts, const std::vector<std::pair<std::string, std::string>> &args) {
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
        m.device =
            (deviceType == 1 ? "cuda:" + std::to_string(std::max(0, deviceId)) : "cpu") + series;
        m_trace.memory.push_back(std::move(m));
    }

    // PyTorch builds without Kineto (Debian's among them) write no categories: every range is
    // an operator on the CPU, and the profiler's step ranges are "ProfilerStep#N". They get
    // the categories Kineto would have given them, so steps and operators are found alike.
    void classifyLegacy() {
        for (TraceEvent &e : m_trace.events)
            if (e.phase == 'X')
                e.category = e.name.rfind("ProfilerStep#", 0) == 0 ? "user_annotation" : "cpu_op";
    }

    // PyTorch puts GPU streams under pid = device; Trainscope's lanes keep them apart from the
    // host as kGpuPidBase + device.
    void moveGpuLanes() {
        auto moved = [&](int pid) {
            return pid < kGpuPidBase && m_gpuPids.count(pid) ? kGpuPidBase + pid : pid;
        };
        for (TraceEvent &e : m_trace.events)
            if (isGpuCategory(e.category)) e.pid = moved(e.pid);
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

    TraceFile m_trace;
    std::map<std::pair<int, int>, std::vector<size_t>> m_open;
    std::unordered_map<int64_t, FlowEnd> m_flowStarts, m_flowEnds;
    std::unordered_map<std::string, int> m_pidIds, m_tidIds;
    std::unordered_set<int> m_gpuPids;
    std::string m_pidLabel; // the current event's pid, when it was a string
    bool m_anyCategory = false;
};

} // namespace

TraceFile readChromeTrace(const std::string &path) {
    Buffer buffer = readPadded(path);
    // On-demand parsing walks the text once without building a tree; it validates what it
    // reads, so a malformed or truncated trace stops with an error naming the file.
    od::parser parser;
    Loader loader;
    loader.trace().events.reserve(buffer.size / 160); // untouched pages cost nothing
    size_t count = 0;
    auto read = [&](od::array events) {
        for (auto ev : events) {
            od::object obj;
            if (ev.get_object().get(obj) == simdjson::SUCCESS) loader.event(obj);
            ++count;
        }
    };
    try {
        od::document doc = parser.iterate(
            simdjson::padded_string_view(buffer.data.get(), buffer.size, buffer.capacity));
        if (doc.type() == od::json_type::array) {
            read(doc.get_array()); // the bare-array form of the format
        } else {
            bool found = false;
            for (auto field : doc.get_object()) {
                const std::string_view key = field.unescaped_key();
                od::value value = field.value();
                if (key == "traceEvents" && value.type() == od::json_type::array) {
                    found = true;
                    read(value.get_array());
                } else if (key == "trainscope" && value.type() == od::json_type::object) {
                    od::object section = value.get_object();
                    readTrainscopeSection(std::string_view(section.raw_json()), loader.trace());
                }
            }
            if (!found) throw std::runtime_error(path + ": no traceEvents array");
        }
    } catch (const simdjson::simdjson_error &e) {
        throw std::runtime_error(path + ": not a valid JSON trace (after " + std::to_string(count) +
                                 " events): " + e.what());
    }
    return loader.finish();
}

} // namespace trainscope
