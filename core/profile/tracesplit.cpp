// readInPieces: why a cut can be trusted. The traceEvents array is cut at commas that look like
// element boundaries ("}", then ",", then "{", whitespace aside), found near evenly spaced
// offsets; such a comma may as well sit inside a string or a nested array. Each piece is parsed
// on its own as "[" + piece + "]". The first piece starts right after the array's "[", which
// the skeleton check proves: the file with the array's contents taken out must parse, with that
// "[" as its one traceEvents array. A piece that starts between two elements is lexed exactly
// as in the file, so it parses cleanly only if it also ends between two elements: a cut inside
// a string leaves the string unclosed, one inside a nested value leaves brackets unbalanced, and
// either fails the parse. So when every piece parses, by induction every cut is a boundary and
// the pieces' elements, in order, are the array's; when one fails, the file is read whole.
#include "core/profile/tracesplit.h"

#include "core/profile/traceparse.h"

#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace trainscope {
namespace {

namespace od = simdjson::ondemand;

bool isJsonSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// Where the traceEvents array's "[" and "]" are believed to be.
struct ArraySpan {
    size_t open = 0, close = 0;
    bool bare = false; // the whole document is the array
};

struct Piece {
    size_t begin, end; // of the text, between the brackets and the cuts
};

std::optional<ArraySpan> findEventsArray(std::string_view text, std::string &why) {
    size_t first = 0, last = text.size();
    while (first < last && isJsonSpace(text[first]))
        ++first;
    while (last > first && isJsonSpace(text[last - 1]))
        --last;
    if (last - first < 2) return why = "no events", std::nullopt;
    if (text[first] == '[') {
        if (text[last - 1] != ']') return why = "the array does not end with ]", std::nullopt;
        return ArraySpan{first, last - 1, true};
    }
    // The first "traceEvents" and the last "]": right for every trace seen; the skeleton check
    // catches a file where they are something else.
    const size_t key = text.find("\"traceEvents\"");
    if (key == std::string_view::npos) return why = "no \"traceEvents\"", std::nullopt;
    size_t at = key + std::strlen("\"traceEvents\"");
    while (at < last && isJsonSpace(text[at]))
        ++at;
    if (at < last && text[at] == ':') ++at;
    while (at < last && isJsonSpace(text[at]))
        ++at;
    const size_t close = text.rfind(']', last - 1);
    if (at >= last || text[at] != '[' || text[last - 1] != '}' || close == std::string_view::npos ||
        close <= at)
        return why = "no \"traceEvents\": [...] found by a scan", std::nullopt;
    return ArraySpan{at, close, false};
}

// The file with the events array emptied must parse, with that "[]" as its only traceEvents
// array: then the brackets are the array's and the rest of the file is sound. Reads the rest
// (the "trainscope" section) into `head`.
bool checkSkeleton(std::string_view text, const ArraySpan &span, TraceFile &head,
                   std::string &why) {
    std::string skeleton;
    skeleton.reserve(text.size() - (span.close - span.open) + 1);
    skeleton.append(text.substr(0, span.open)).append("[]").append(text.substr(span.close + 1));
    const simdjson::padded_string padded(skeleton);
    int arrays = 0;
    bool inPlace = false;
    try {
        od::parser parser;
        od::document doc = parser.iterate(padded);
        if (doc.type() != od::json_type::object) return why = "not an object", false;
        walkTraceDocument(doc, head, [&](od::array events, const char *at) {
            ++arrays;
            inPlace = at == padded.data() + span.open;
            for (auto element : events) {
                (void)element;
                inPlace = false;
            }
        });
    } catch (const simdjson::simdjson_error &e) {
        return why = std::string("the rest of the file: ") + e.what(), false;
    }
    if (arrays != 1 || !inPlace)
        return why = "the traceEvents array is not where a scan put it", false;
    return true;
}

// Whether the comma at `at` sits between "}" and "{", whitespace aside.
bool betweenObjects(std::string_view text, size_t at) {
    size_t before = at, after = at + 1;
    while (before > 0 && isJsonSpace(text[before - 1]))
        --before;
    while (after < text.size() && isJsonSpace(text[after]))
        ++after;
    return before > 0 && text[before - 1] == '}' && after < text.size() && text[after] == '{';
}

// [begin, end) cut at the first candidate comma after each of pieces - 1 evenly spaced offsets
// (a stretch without one is left uncut).
std::vector<Piece> cutIntoPieces(std::string_view text, size_t begin, size_t end, size_t pieces) {
    std::vector<Piece> out;
    size_t from = begin;
    const size_t length = end - begin;
    auto offset = [&](size_t k) {
        return begin + size_t(double(length) * double(k) / double(pieces));
    };
    for (size_t k = 1; k < pieces; ++k) {
        const size_t until = k + 1 == pieces ? end : offset(k + 1);
        size_t at = text.find(',', std::max(from, offset(k)));
        while (at < until && !betweenObjects(text, at))
            at = text.find(',', at + 1);
        if (at >= until) continue;
        out.push_back({from, at});
        from = at + 1;
    }
    out.push_back({from, end});
    return out;
}

// One worker's parser, and the buffer a piece is copied into between brackets (the file's own
// bytes are shared by every thread and left alone).
class PieceParser {
public:
    // False unless `piece` is one or more whole elements and nothing else.
    bool parse(std::string_view piece, EventBatch &batch) {
        const size_t length = piece.size() + 2;
        if (m_capacity < length + simdjson::SIMDJSON_PADDING) {
            m_capacity = length + length / 4 + simdjson::SIMDJSON_PADDING;
            m_buffer.reset(new char[m_capacity]);
        }
        m_buffer[0] = '[';
        std::memcpy(m_buffer.get() + 1, piece.data(), piece.size());
        m_buffer[length - 1] = ']';
        std::memset(m_buffer.get() + length, 0, simdjson::SIMDJSON_PADDING);
        try {
            od::document doc =
                m_parser.iterate(simdjson::padded_string_view(m_buffer.get(), length, m_capacity));
            parseEvents(doc.get_array(), batch);
            return batch.elements > 0 && doc.is_alive() &&
                   doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
        } catch (const simdjson::simdjson_error &) {
            return false;
        }
    }

private:
    od::parser m_parser; // its buffers, sized to a piece, are reused piece after piece
    std::unique_ptr<char[]> m_buffer;
    size_t m_capacity = 0;
};

// Pieces handed to worker threads; their batches handed back in file order. Workers run at
// most a few pieces ahead of the batches applied, which bounds the memory held in between.
class PieceQueue {
public:
    PieceQueue(std::string_view text, std::vector<Piece> pieces, unsigned threads)
        : m_text(text)
        , m_pieces(std::move(pieces))
        , m_slots(m_pieces.size())
        , m_window(2 * size_t(threads) + 1) {
        for (unsigned i = 0; i < threads; ++i)
            m_threads.emplace_back([this] { work(); });
    }
    ~PieceQueue() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_changed.notify_all();
        for (std::thread &t : m_threads)
            t.join();
    }

    // Waits for piece i's batch; nothing when a piece failed to parse (then failed() says
    // which).
    std::optional<EventBatch> take(size_t i) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_slots[i].state != State::Pending || m_stop; });
        if (m_stop) return std::nullopt;
        return std::move(m_slots[i].batch);
    }
    // Hands back a batch's events vector once applied, for its memory to be reused.
    void applied(std::vector<TraceEvent> &&events) {
        events.clear();
        {
            std::lock_guard lock(m_mutex);
            m_spare.push_back(std::move(events));
            ++m_applied;
        }
        m_changed.notify_all();
    }
    size_t failed() const { return m_failed; }

private:
    enum class State { Pending, Parsed, Failed };
    struct Slot {
        EventBatch batch;
        State state = State::Pending;
    };

    void work() noexcept {
        PieceParser parser;
        for (;;) {
            size_t i = 0;
            EventBatch batch;
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [&] {
                    return m_stop || m_next >= m_slots.size() || m_next < m_applied + m_window;
                });
                if (m_stop || m_next >= m_slots.size()) return;
                i = m_next++;
                if (!m_spare.empty()) {
                    batch.events = std::move(m_spare.back());
                    m_spare.pop_back();
                }
            }
            bool ok = false;
            try { // nothing thrown crosses the thread: a failure gives the whole read
                const Piece &p = m_pieces[i];
                ok = parser.parse(m_text.substr(p.begin, p.end - p.begin), batch);
            } catch (...) {
            }
            {
                std::lock_guard lock(m_mutex);
                m_slots[i].batch = std::move(batch);
                m_slots[i].state = ok ? State::Parsed : State::Failed;
                if (!ok) m_stop = true, m_failed = std::min(m_failed, i);
            }
            m_changed.notify_all();
        }
    }

    std::string_view m_text;
    const std::vector<Piece> m_pieces;
    std::vector<Slot> m_slots;
    std::vector<std::vector<TraceEvent>> m_spare;
    const size_t m_window;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    size_t m_next = 0, m_applied = 0, m_failed = SIZE_MAX;
    bool m_stop = false;
    std::vector<std::thread> m_threads; // last: started once the rest is ready
};

} // namespace

std::optional<TraceFile> readInPieces(std::string_view text, const TraceReadTuning &tuning,
                                      ProgressMeter &progress, TraceReadReport *report) {
    std::string why;
    auto giveUp = [&](const std::string &reason) {
        if (report) report->fallback = reason;
        return std::nullopt;
    };
    const std::optional<ArraySpan> span = findEventsArray(text, why);
    if (!span) return giveUp(why);
    TraceAssembler assembler;
    if (!span->bare && !checkSkeleton(text, *span, assembler.trace(), why)) return giveUp(why);

    const size_t begin = span->open + 1, end = span->close;
    const size_t wanted = (end - begin) / std::max<size_t>(tuning.pieceBytes, 1) + 1;
    std::vector<Piece> pieces = cutIntoPieces(text, begin, end, wanted);
    const size_t count = pieces.size();
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned threads =
        unsigned(std::min<size_t>(tuning.threads ? tuning.threads : cores, count));
    PieceQueue queue(text, pieces, threads);
    for (size_t i = 0; i < count; ++i) {
        std::optional<EventBatch> batch = queue.take(i);
        if (!batch)
            return giveUp("piece " + std::to_string(queue.failed() + 1) + " of " +
                          std::to_string(count) + " is not a run of whole events");
        if (i == 0) { // as dense as the first piece; untouched capacity costs no memory
            const double scale = 1.1 * double(end - begin) / double(pieces[0].end - begin + 1);
            assembler.expect(
                std::max(size_t(scale * double(batch->events.size())), text.size() / 160),
                size_t(scale * double(batch->flows.size())));
        }
        assembler.apply(std::move(*batch));
        queue.applied(std::move(batch->events));
        progress(double(pieces[i].end) / double(text.size()));
    }
    if (report) report->pieces = count;
    return assembler.finish();
}

} // namespace trainscope
