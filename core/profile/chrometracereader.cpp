// readChromeTrace: Chrome trace-event JSON (ours, PyTorch's profiler, anything chrome://tracing
// opens) read with simdjson's on-demand parser straight into TraceFile (traceparse.cpp). A big
// trace's events are parsed on every core (tracesplit.cpp). What made a first read slow was
// memory first touched: each page costs a fault, and on a fresh virtual machine a far dearer
// one, so plain files are mapped from the page cache rather than copied, and the parse reuses
// buffers sized to a piece rather than the whole file.
#include "core/io/inflationguard.h"
#include "core/profile/chrometrace.h"
#include "core/profile/traceparse.h"
#include "core/profile/tracesplit.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <zlib.h>

namespace trainscope {
namespace {

namespace od = simdjson::ondemand;

constexpr size_t kMaxTraceBytes = 0xFFFFFFFFull - 1;        // simdjson indexes with 32 bits
constexpr double kMappedShare = 0.02, kInflatedShare = 0.5; // of the progress, for the text

size_t pageRounded(size_t bytes) {
    const auto page = size_t(sysconf(_SC_PAGESIZE));
    return (bytes + page - 1) / page * page;
}

// A whole trace's text, followed by the zeroed padding simdjson reads past the end: a plain
// file mapped, or a gzip file inflated into pages of our own.
class TraceText {
public:
    TraceText() = default;
    TraceText(TraceText &&o) noexcept
        : m_base(std::exchange(o.m_base, nullptr))
        , m_size(o.m_size)
        , m_mapped(o.m_mapped) {}
    TraceText &operator=(TraceText &&) = delete;
    ~TraceText() {
        if (m_base) munmap(m_base, m_mapped);
    }

    explicit operator bool() const { return m_base != nullptr; }
    std::string_view text() const { return {m_base, m_size}; }
    simdjson::padded_string_view padded() const {
        return simdjson::padded_string_view(m_base, m_size, m_mapped);
    }

    // The file's pages straight from the page cache: no copy, and no fresh memory to fault in.
    // Our traces and PyTorch's are written whole, never truncated under a reader (a mapping
    // would fault), so the mapping is safe to read. Empty when the file does not map.
    static TraceText map(int fd, size_t size) {
        TraceText t;
        t.m_mapped = pageRounded(size + simdjson::SIMDJSON_PADDING);
        void *area = mmap(nullptr, t.m_mapped, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (area == MAP_FAILED) return {};
        t.m_base = static_cast<char *>(area);
        t.m_size = size;
        // Over the zeroed area: the file's last page reads as zeros past its end.
        if (size > 0 && mmap(area, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd,
                             0) == MAP_FAILED)
            return {};
        return t;
    }

    // Zeroed memory for `capacity` bytes and the padding.
    static TraceText allocate(size_t capacity) {
        TraceText t;
        t.m_mapped = pageRounded(capacity + simdjson::SIMDJSON_PADDING);
        void *area =
            mmap(nullptr, t.m_mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (area == MAP_FAILED) throw std::bad_alloc();
        t.m_base = static_cast<char *>(area);
        return t;
    }
    char *end() { return m_base + m_size; }
    size_t room() const { return m_mapped - m_size - simdjson::SIMDJSON_PADDING; }
    void grow() { // the pages move, not the bytes
        void *moved = mremap(m_base, m_mapped, 2 * m_mapped, MREMAP_MAYMOVE);
        if (moved == MAP_FAILED) throw std::bad_alloc();
        m_base = static_cast<char *>(moved);
        m_mapped *= 2;
    }
    void added(size_t bytes) { m_size += bytes; }
    size_t size() const { return m_size; }

private:
    char *m_base = nullptr;
    size_t m_size = 0, m_mapped = 0;
};

// A gzip file (or a plain one that would not map, such as a pipe: zlib reads those through),
// inflated in slices so that the limits are checked while inflating.
TraceText inflate(const std::string &path, size_t expected, size_t compressed,
                  ProgressMeter &progress) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
    gzbuffer(f, 1 << 20);
    auto refuse = [&](const std::string &why) {
        gzclose(f);
        return std::runtime_error(path + ": " + why);
    };
    // One allocation when the size is known (the grown copies cost more than the parse).
    TraceText t = TraceText::allocate(std::max<size_t>(expected + 1, 1 << 16));
    for (;;) {
        if (t.room() == 0) t.grow();
        const int n = gzread(f, t.end(), unsigned(std::min<size_t>(t.room(), 16u << 20)));
        if (n < 0) {
            int err = 0;
            throw refuse(std::string("corrupt gzip data: ") + gzerror(f, &err));
        }
        if (n == 0) break;
        t.added(size_t(n));
        if (t.size() > kMaxTraceBytes)
            throw refuse("trace larger than 4 GiB uncompressed; split it");
        if (const std::string why = inflationRefusal(f, t.size()); !why.empty()) throw refuse(why);
        if (compressed) progress(double(gzoffset(f)) / double(compressed));
    }
    int err = 0;
    const char *msg = gzerror(f, &err);
    if (err < 0 && err != Z_BUF_ERROR) throw refuse(std::string("corrupt gzip data: ") + msg);
    gzclose(f);
    return t;
}

// The uncompressed size a gzip member's trailer gives (ISIZE, the size modulo 4 GiB), capped
// so that a corrupt or hostile trailer cannot ask for more than would be read.
size_t inflatedSize(int fd, size_t compressed) {
    unsigned char trailer[4] = {0, 0, 0, 0};
    if (compressed < 18 || pread(fd, trailer, 4, off_t(compressed - 4)) != 4) return 0;
    const size_t isize = size_t(trailer[0]) | size_t(trailer[1]) << 8 | size_t(trailer[2]) << 16 |
                         size_t(trailer[3]) << 24;
    return std::min(isize, std::max(kBombFloor, compressed * kMaxInflation));
}

TraceText loadText(const std::string &path, ProgressMeter &progress) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    unsigned char magic[2] = {0, 0};
    const bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    const size_t size = regular ? size_t(st.st_size) : 0;
    const bool gzip =
        regular && pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (regular && !gzip) {
        if (size > kMaxTraceBytes) {
            ::close(fd);
            throw std::runtime_error(path + ": trace larger than 4 GiB uncompressed; split it");
        }
        progress.stage(0, kMappedShare);
        TraceText t = TraceText::map(fd, size);
        ::close(fd);
        if (t) {
            progress(1);
            return t;
        }
        progress.stage(0, kInflatedShare);
        return inflate(path, size, 0, progress);
    }
    const size_t expected = gzip ? inflatedSize(fd, size) : 0;
    ::close(fd);
    progress.stage(0, kInflatedShare);
    return inflate(path, expected, size, progress);
}

// The whole document on this thread, one batch per traceEvents array.
TraceFile readWhole(const std::string &path, const TraceText &text, ProgressMeter &progress) {
    od::parser parser;
    TraceAssembler assembler;
    EventBatch batch;
    try {
        // On-demand parsing walks the text once without building a tree; it validates what it
        // reads, so a malformed or truncated trace stops with an error naming the file.
        od::document doc = parser.iterate(text.padded());
        const std::string_view whole = text.text();
        auto tick = [&] {
            const char *at = nullptr;
            if (doc.current_location().get(at) == simdjson::SUCCESS)
                progress(double(at - whole.data()) / double(whole.size()));
        };
        const bool found = walkTraceDocument(doc, assembler.trace(), [&](od::array events, auto) {
            batch.events.reserve(whole.size() / 160); // untouched pages cost nothing
            parseEvents(events, batch, tick);
            assembler.apply(std::move(batch));
            batch = EventBatch();
        });
        if (!found) throw std::runtime_error(path + ": no traceEvents array");
    } catch (const simdjson::simdjson_error &e) {
        throw std::runtime_error(path + ": not a valid JSON trace (after " +
                                 std::to_string(assembler.elements() + batch.elements) +
                                 " events): " + e.what());
    }
    return assembler.finish();
}

} // namespace

TraceFile readChromeTraceTuned(const std::string &path, const TraceReadTuning &tuning,
                               TraceReadReport *report) {
    ProgressMeter progress(tuning.progress);
    if (report) *report = {};
    const auto start = std::chrono::steady_clock::now();
    const TraceText text = loadText(path, progress);
    if (report)
        report->textSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.stage(progress.reached(), 1);
    std::optional<TraceFile> trace;
    if (text.text().size() >= tuning.parallelFromBytes)
        trace = readInPieces(text.text(), tuning, progress, report);
    if (!trace) trace = readWhole(path, text, progress);
    progress(1);
    return std::move(*trace);
}

TraceFile readChromeTrace(const std::string &path) {
    return readChromeTraceTuned(path, TraceReadTuning());
}

TraceFile readChromeTrace(const std::string &path,
                          const std::function<void(double fraction)> &progress) {
    TraceReadTuning tuning;
    tuning.progress = progress;
    return readChromeTraceTuned(path, tuning);
}

} // namespace trainscope
