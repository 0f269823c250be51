// writeChromeTrace: Chrome trace-event JSON written by hand into a large buffer (the generic
// JSON libraries build a tree first and manage a few hundred thousand events a second), then
// compressed with zlib's fastest level when the name ends in .gz.
#include "core/profile/chrometrace.h"
#include "core/profile/tracejson.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <zlib.h>

namespace fs = std::filesystem;

namespace trainscope {
namespace {

// Where the text goes: a plain file or a gzip stream, fed in large chunks.
class Sink {
public:
    Sink(const std::string &path, bool gzip) {
        if (gzip)
            m_gz = gzopen(path.c_str(), "wb1");
        else
            m_file = std::fopen(path.c_str(), "wb");
        if (!m_gz && !m_file) throw std::runtime_error(std::strerror(errno));
        if (m_gz) gzbuffer(m_gz, 1 << 20);
    }
    ~Sink() {
        if (m_gz) gzclose(m_gz);
        if (m_file) std::fclose(m_file);
    }
    void write(const std::string &text) {
        const bool ok = m_gz ? gzwrite(m_gz, text.data(), unsigned(text.size())) == int(text.size())
                             : std::fwrite(text.data(), 1, text.size(), m_file) == text.size();
        if (!ok && !text.empty()) throw std::runtime_error("write failed (disk full?)");
    }
    void close() {
        const bool ok = m_gz ? gzclose(m_gz) == Z_OK : std::fclose(m_file) == 0;
        m_gz = nullptr;
        m_file = nullptr;
        if (!ok) throw std::runtime_error("cannot finish the file");
    }

private:
    gzFile m_gz = nullptr;
    FILE *m_file = nullptr;
};

class Writer {
public:
    explicit Writer(Sink &sink)
        : m_sink(sink) {
        m_out.reserve(kChunk + 4096);
    }

    void raw(const char *s) { m_out += s; }
    void raw(const std::string &s) { m_out += s; }
    void integer(int64_t v) {
        char buf[24];
        m_out.append(buf, size_t(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
    }
    void number(double v) {
        char buf[32];
        m_out.append(buf, size_t(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
    }
    void micros(int64_t ns) { appendMicros(m_out, ns); }
    void string(const std::string &s) { appendJsonString(m_out, s); }
    // A value imported as a number or array of numbers goes back out as one.
    void value(const std::string &s) {
        if (looksLikeJsonNumbers(s))
            m_out += s;
        else
            string(s);
    }
    void key(const char *k) {
        m_out += '"';
        m_out += k;
        m_out += "\":";
    }
    // Starts one element of traceEvents; hands the buffer on when it is full.
    void element() {
        if (m_out.size() >= kChunk) flush();
        if (m_elements++ > 0) m_out += ",\n";
    }
    void flush() {
        m_sink.write(m_out);
        m_out.clear();
    }

private:
    static constexpr size_t kChunk = 1 << 20;
    Sink &m_sink;
    std::string m_out;
    size_t m_elements = 0;
};

void lane(Writer &w, int pid, int tid) {
    w.raw(",\"pid\":");
    w.integer(pid);
    w.raw(",\"tid\":");
    w.integer(tid);
}

void metadata(Writer &w, const char *what, int pid, int tid, const std::string &name) {
    w.element();
    w.raw("{\"ph\":\"M\",\"name\":\"");
    w.raw(what);
    w.raw("\"");
    lane(w, pid, tid);
    w.raw(",\"args\":{\"name\":");
    w.string(name);
    w.raw("}}");
}

void event(Writer &w, const TraceEvent &e) {
    w.element();
    w.raw(e.phase == 'i' ? "{\"ph\":\"i\",\"s\":\"t\",\"cat\":" : "{\"ph\":\"X\",\"cat\":");
    w.string(e.category);
    w.raw(",\"name\":");
    w.string(e.name);
    lane(w, e.pid, e.tid);
    w.raw(",\"ts\":");
    w.micros(e.startNs);
    if (e.phase != 'i') {
        w.raw(",\"dur\":");
        w.micros(e.durationNs);
    }
    if (!e.args.empty()) {
        char sep = '{';
        w.raw(",\"args\":");
        for (const auto &[k, v] : e.args) {
            w.raw(std::string(1, sep));
            sep = ',';
            w.string(k);
            w.raw(":");
            w.value(v);
        }
        w.raw("}");
    }
    w.raw("}");
}

void flow(Writer &w, const TraceFlow &f) {
    // PyTorch's ac2g pair: the start inside the launch, the end bound to the kernel ("bp": "e").
    w.element();
    w.raw("{\"ph\":\"s\",\"cat\":\"ac2g\",\"name\":\"ac2g\",\"id\":");
    w.integer(int64_t(f.id));
    lane(w, f.fromPid, f.fromTid);
    w.raw(",\"ts\":");
    w.micros(f.fromNs);
    w.raw("}");
    w.element();
    w.raw("{\"ph\":\"f\",\"bp\":\"e\",\"cat\":\"ac2g\",\"name\":\"ac2g\",\"id\":");
    w.integer(int64_t(f.id));
    lane(w, f.toPid, f.toTid);
    w.raw(",\"ts\":");
    w.micros(f.toNs);
    w.raw("}");
}

void counter(Writer &w, const CounterSample &c) {
    w.element();
    w.raw("{\"ph\":\"C\",\"name\":");
    w.string(c.name);
    lane(w, c.pid, 0);
    w.raw(",\"ts\":");
    w.micros(c.tsNs);
    w.raw(",\"args\":{\"value\":");
    w.number(c.value);
    w.raw("}}");
}

void memory(Writer &w, const MemoryEvent &m) {
    // PyTorch's "[memory]" instant: Device Type 0 is the CPU, 1 CUDA (c10::DeviceType).
    const bool cuda = m.device.rfind("cuda", 0) == 0;
    const int deviceId =
        cuda ? std::atoi(m.device.c_str() + std::min<size_t>(5, m.device.size())) : -1;
    w.element();
    w.raw("{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"cpu_instant_event\",\"name\":\"[memory]\"");
    lane(w, 0, 0);
    w.raw(",\"ts\":");
    w.micros(m.tsNs);
    w.raw(",\"args\":{\"Device Type\":");
    w.integer(cuda ? 1 : 0);
    w.raw(",\"Device Id\":");
    w.integer(deviceId);
    w.raw(",\"Addr\":");
    w.integer(int64_t(m.address));
    w.raw(",\"Bytes\":");
    w.integer(m.bytes);
    // A series beside the device's main one ("cuda:0 (driver)") keeps its name.
    if (const size_t space = m.device.find(' '); space != std::string::npos) {
        w.raw(",\"Trainscope Series\":");
        w.string(m.device.substr(space + 1));
    }
    if (m.totalAllocated >= 0) {
        w.raw(",\"Total Allocated\":");
        w.integer(m.totalAllocated);
    }
    if (m.totalReserved >= 0) {
        w.raw(",\"Total Reserved\":");
        w.integer(m.totalReserved);
    }
    w.raw("}}");
}

} // namespace

void writeChromeTrace(const std::string &path, const TraceFile &trace) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    const std::string tmp = path + ".tmp";
    try {
        const bool gzip = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
        Sink sink(tmp, gzip);
        Writer w(sink);
        w.raw("{\"schemaVersion\":1,\"displayTimeUnit\":\"ms\",\"trainscope\":");
        w.raw(trainscopeSectionJson(trace));
        w.raw(",\n\"traceEvents\":[\n");
        for (const auto &[pid, name] : trace.processNames)
            metadata(w, "process_name", pid, 0, name);
        for (const auto &[key, name] : trace.threadNames)
            metadata(w, "thread_name", key.first, key.second, name);
        for (const TraceEvent &e : trace.events)
            event(w, e);
        for (const TraceFlow &f : trace.flows)
            flow(w, f);
        for (const CounterSample &c : trace.counters)
            counter(w, c);
        for (const MemoryEvent &m : trace.memory)
            memory(w, m);
        w.raw("\n]}\n");
        w.flush();
        sink.close();
    } catch (const std::exception &e) {
        fs::remove(tmp, ec); // nothing half-written stays behind
        throw std::runtime_error(path + ": cannot write the trace: " + e.what());
    }
    fs::rename(tmp, path, ec);
    if (ec) throw std::runtime_error(path + ": cannot rename the finished trace: " + ec.message());
}

} // namespace trainscope
