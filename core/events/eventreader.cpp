#include "core/events/eventreader.h"

#include "core/events/crc32c.h"
#include "core/events/recordio.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>

namespace trainscope {
namespace {

constexpr size_t kChunk = size_t(16) << 20;

struct FileCloser {
    void operator()(FILE *f) const { std::fclose(f); }
};

} // namespace

EventReader::EventReader(std::string path)
    : m_path(std::move(path)) {}

size_t EventReader::resync(std::string_view buffer, size_t from) {
    // Candidates are found by their header checksum alone (cheap), then checked whole.
    for (size_t at = from; at + kRecordHeaderSize + kRecordFooterSize <= buffer.size(); ++at) {
        at += findMaskedCrc8(buffer.data() + at, buffer.size() - at);
        if (at + kRecordHeaderSize + kRecordFooterSize > buffer.size()) break;
        if (readRecord(buffer, at).status == RecordStatus::Ok) return at;
    }
    return std::string_view::npos;
}

bool EventReader::cutOffIsDamage(uint64_t fileSize, size_t bytesLeft,
                                 std::vector<ReadProblem> &problems) {
    const double now =
        std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    if (!m_complete) {
        // Still being written, unless the file has stopped growing for long enough.
        if (m_waitOffset != m_offset || m_waitSize != fileSize) {
            m_waitOffset = m_offset, m_waitSize = fileSize, m_waitSince = now;
            return false;
        }
        if (now - m_waitSince < kStallSeconds) return false;
    }
    m_waitOffset = UINT64_MAX;
    problems.push_back({m_path, m_offset,
                        bytesLeft < kRecordHeaderSize
                            ? "the file ends inside a record header (" + std::to_string(bytesLeft) +
                                  " bytes): truncated"
                            : "a record claims more bytes than the file holds (" +
                                  std::to_string(bytesLeft) +
                                  " left): damaged length, looking for the next record"});
    return bytesLeft >= kRecordHeaderSize; // a few stray bytes: nothing to look through
}

ReadStats EventReader::readNew(TagPlugins &plugins, EventSink &sink,
                               std::vector<ReadProblem> &problems) {
    ReadStats stats;
    std::unique_ptr<FILE, FileCloser> file(std::fopen(m_path.c_str(), "rb"));
    if (!file) {
        problems.push_back({m_path, m_offset, std::string("cannot open: ") + std::strerror(errno)});
        return stats;
    }
    if (std::fseek(file.get(), long(m_offset), SEEK_SET) != 0) return stats;

    // Chunks are sized to what the file holds past the offset, so a small file costs its size,
    // not a 16 MiB buffer (a logdir of 10,000 runs reads 10,000 small files).
    struct stat st {};
    uint64_t left = ::fstat(::fileno(file.get()), &st) == 0 && uint64_t(st.st_size) > m_offset
                        ? uint64_t(st.st_size) - m_offset
                        : 0;
    std::string buffer;
    std::string error;
    std::vector<std::string> leftOut;
    bool eof = false;
    size_t pos = 0; // position in buffer; buffer[0] is at file offset m_offset
    const uint64_t fileSize = uint64_t(st.st_size);
    auto loseSync = [&] { // from the byte after the damaged record's first
        if (!m_lostSync) m_lostAt = m_offset;
        m_lostSync = true;
        ++pos;
        ++m_offset;
        ++stats.bytes;
    };
    while (!eof) {
        // Keep the unconsumed tail, then append the next chunk.
        buffer.erase(0, pos);
        pos = 0;
        const size_t had = buffer.size();
        // What was appended since fstat is read too, a little at a time.
        const size_t want = size_t(std::min<uint64_t>(kChunk, left ? left : 65536));
        buffer.resize(had + want);
        const size_t got = std::fread(buffer.data() + had, 1, want, file.get());
        buffer.resize(had + got);
        left -= std::min<uint64_t>(left, got);
        eof = got < want;

        while (true) {
            if (m_lostSync) {
                const size_t at = resync(buffer, pos);
                if (at == std::string_view::npos) {
                    // Keep the last bytes: a valid record may start inside them.
                    const size_t keep = kRecordHeaderSize + kRecordFooterSize;
                    const size_t skip = buffer.size() > pos + keep ? buffer.size() - keep - pos : 0;
                    pos += skip;
                    m_offset += skip;
                    stats.bytes += skip;
                    break;
                }
                m_offset += at - pos;
                stats.bytes += at - pos;
                pos = at;
                problems.push_back({m_path, m_offset,
                                    "resumed reading after " + std::to_string(m_offset - m_lostAt) +
                                        " unreadable bytes"});
                m_lostSync = false;
            }
            const RecordView r = readRecord(buffer, pos);
            if (r.status == RecordStatus::End) break;
            if (r.status == RecordStatus::NeedMore) {
                if (!eof || !cutOffIsDamage(fileSize, buffer.size() - pos, problems)) break;
                loseSync();
                continue;
            }
            if (r.status == RecordStatus::BadHeader) {
                problems.push_back({m_path, m_offset,
                                    m_offset == 0
                                        ? "not an event file (no valid record header)"
                                        : "corrupt record header (length checksum fails)"});
                loseSync();
                continue;
            }
            if (r.status == RecordStatus::BadData) {
                // The length passed its checksum but may still be wrong (a byte deleted or
                // inserted): trusting it could skip the start of the next, intact record.
                problems.push_back({m_path, m_offset, "record checksum fails: record skipped"});
                loseSync();
                continue;
            }
            leftOut.clear();
            if (!decodeEvent(r.data, plugins, sink, error, leftOut))
                problems.push_back({m_path, m_offset, error + ": record skipped"});
            else
                ++stats.records;
            for (auto &what : leftOut)
                problems.push_back({m_path, m_offset, std::move(what) + ": left out"});
            pos += r.size;
            m_offset += r.size;
            stats.bytes += r.size;
        }
    }
    return stats;
}

} // namespace trainscope
