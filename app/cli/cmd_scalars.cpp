// `trainscope scalars LOGDIR [--run RE] [--tag RE] [--format csv|json]`: every scalar point as
// run,tag,step,wall_time,value. Its output is formatted on every core and streamed in order.
#include "app/cli/commands.h"
#include "app/cli/loadlogdir.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <regex>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

namespace trainscope::cli {
namespace {

// Rows formatted straight into memory sized for the longest row, with to_chars: millions of
// rows cost what to_chars costs, not a string and a stream call each.
class Rows {
public:
    static constexpr size_t kMaxNumbers = 96; // three numbers' and the punctuation's bytes

    explicit Rows(char *at)
        : m_at(at) {}
    char *end() const { return m_at; }

    Rows &text(std::string_view s) {
        std::memcpy(m_at, s.data(), s.size());
        m_at += s.size();
        return *this;
    }
    template <typename T> Rows &number(T v) { // shortest round-trip form
        if constexpr (std::is_floating_point_v<T>) {
            if (std::isnan(v)) return text("nan");
            if (std::isinf(v)) return text(v > 0 ? "inf" : "-inf");
        }
        m_at = std::to_chars(m_at, m_at + 32, v).ptr;
        return *this;
    }
    // NaN and the infinities, which JSON cannot spell, as protobuf's JSON mapping writes them
    // ("NaN", "Infinity", "-Infinity"), so a loss that diverged says so.
    template <typename T> Rows &jsonNumber(T v) {
        if (std::isnan(v)) return text("\"NaN\"");
        if (std::isinf(v)) return text(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        return number(v);
    }

private:
    char *m_at;
};

// One tag of one run: what its rows start with, and its points.
struct Chunk {
    std::string head;
    const ScalarSeries *series;
};

// Every row of `c`; in JSON each row starts with ",\n" (the caller drops the very first).
// Memory one chunk's text is formatted into, kept across chunks: uninitialised, and its pages
// touched once, not zeroed and faulted in again for every chunk.
struct Slot {
    std::unique_ptr<char[]> data;
    size_t capacity = 0, size = 0;
    char *reserve(size_t n) {
        if (n > capacity) {
            data.reset(new char[n]);
            capacity = n;
        }
        return data.get();
    }
};

void formatChunk(const Chunk &c, bool json, Slot &out) {
    const ScalarSeries &s = *c.series;
    const size_t fixed = json ? std::strlen(",\n, \"wall_time\": , \"value\": }") : 3;
    char *begin = out.reserve(s.size() * (c.head.size() + fixed + Rows::kMaxNumbers));
    Rows rows(begin);
    for (size_t i = 0; i < s.size(); ++i) {
        if (json) {
            rows.text(",\n").text(c.head).number(s.step(i));
            rows.text(", \"wall_time\": ").jsonNumber(s.wallTime(i));
            rows.text(", \"value\": ").jsonNumber(s.value(i)).text("}");
        } else {
            rows.text(c.head).number(s.step(i)).text(",").number(s.wallTime(i)).text(",");
            rows.number(s.value(i)).text("\n");
        }
    }
    out.size = size_t(rows.end() - begin);
}

std::string csvField(const std::string &s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// A JSON string; bytes that are not UTF-8 (a tag or run name can hold any) become U+FFFD.
std::string jsonString(const std::string &s) {
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// How much is read before it is written: big enough that a batch keeps every core busy.
constexpr uint64_t kBatchBytes = uint64_t(32) << 20;

bool compile(const std::string &pattern, const char *option, std::regex &re, std::ostream &err) {
    try {
        re = std::regex(pattern.empty() ? ".*" : pattern);
        return true;
    } catch (const std::regex_error &e) {
        err << "trainscope: " << option << " '" << pattern
            << "': invalid regular expression: " << e.what() << "\n";
        return false;
    }
}

} // namespace

int runScalars(const ScalarsOptions &options, std::ostream &out, std::ostream &err) {
    std::regex runRe, tagRe;
    if (!compile(options.runPattern, "--run", runRe, err) ||
        !compile(options.tagPattern, "--tag", tagRe, err))
        return BadInput;
    const bool json = options.format == "json";
    // Formatted on every core a window of chunks at a time, written in order: the output is
    // the same as one thread's, and memory holds one window, not the whole output.
    const size_t threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<Slot> slots(2 * threads);
    bool first = true; // no row written yet
    auto write = [&](const std::vector<Chunk> &chunks) {
        for (size_t from = 0; from < chunks.size(); from += slots.size()) {
            const size_t to = std::min(chunks.size(), from + slots.size());
            std::atomic<size_t> next{from};
            auto work = [&] {
                for (size_t i; (i = next++) < to;)
                    formatChunk(chunks[i], json, slots[i - from]);
            };
            std::vector<std::thread> pool;
            for (size_t t = 1; t < std::min(threads, to - from); ++t)
                pool.emplace_back(work);
            work();
            for (std::thread &t : pool)
                t.join();
            for (size_t i = 0; i < to - from; ++i) {
                const Slot &t = slots[i];
                const size_t skip = json && first && t.size ? 1 : 0; // the first row's comma
                out.write(t.data.get() + skip, std::streamsize(t.size - skip));
                first = first && !t.size;
            }
        }
    };
    // The runs of a batch are written while the next batch is read.
    bool header = false;
    auto writeRuns = [&](const LogdirIndex &index, const std::vector<std::string> &names) {
        if (!header) out << (json ? "[" : "run,tag,step,wall_time,value\n");
        header = true;
        std::vector<Chunk> chunks;
        for (const std::string &runName : names) {
            const RunData *run = index.run(runName);
            if (!run || !std::regex_search(runName, runRe)) continue;
            const std::string runField = json ? jsonString(runName) : csvField(runName);
            for (const auto &[tagName, tag] : run->tags) {
                if (tag.kind != TagKind::Scalar || !std::regex_search(tagName, tagRe)) continue;
                const std::string tagField = json ? jsonString(tagName) : csvField(tagName);
                chunks.push_back(
                    {json ? "  {\"run\": " + runField + ", \"tag\": " + tagField + ", \"step\": "
                          : runField + "," + tagField + ",",
                     &tag.scalars});
            }
        }
        write(chunks);
    };
    if (!streamLogdir(options.logdir, err, kBatchBytes, writeRuns)) return BadInput;
    if (json) out << (first ? "]\n" : "\n]\n");
    return Ok;
}

} // namespace trainscope::cli
