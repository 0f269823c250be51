// Reads one event file incrementally: each readNew() decodes the records appended since the
// last call and waits at a truncated last record (a file still being written). A record whose
// checksum fails is reported with file and offset, and reading resumes at the next valid
// header after its first byte (its length may be the damaged part), so no intact record is
// lost. A header claiming more than the file holds is damaged once the file is complete (the
// CLI) or has not grown for kStallSeconds.
#pragma once

#include "core/events/eventdecoder.h"

#include <cstdint>
#include <string>
#include <vector>

namespace trainscope {

struct ReadStats {
    uint64_t bytes = 0;   // bytes consumed by this call
    uint64_t records = 0; // whole records decoded by this call
};

class EventReader {
public:
    // Longer than TensorFlow's default flush period (120 s): a live writer has flushed by then.
    static constexpr double kStallSeconds = 300;

    explicit EventReader(std::string path);

    // The file will not grow (a finished logdir read once): a cut-off record is damage.
    void setComplete(bool complete) { m_complete = complete; }

    // Decodes every whole record from the current offset to the end of the file. Problems are
    // appended to `problems`; the reader never throws for bad content.
    ReadStats readNew(TagPlugins &plugins, EventSink &sink, std::vector<ReadProblem> &problems);

    const std::string &path() const { return m_path; }
    uint64_t offset() const { return m_offset; } // start of the next unread record

private:
    // Looks for the next offset in `buffer` at or after `from` where a whole, valid record
    // starts; returns npos when none is found.
    static size_t resync(std::string_view buffer, size_t from);
    // At the end of the file, a record is cut off: true (and reported) when that is damage to
    // read past rather than a record still being written.
    bool cutOffIsDamage(uint64_t fileSize, size_t bytesLeft, std::vector<ReadProblem> &problems);

    std::string m_path;
    uint64_t m_offset = 0;
    bool m_lostSync = false; // the last call ended while searching for a valid record
    uint64_t m_lostAt = 0;   // where the unreadable bytes began
    bool m_complete = false;
    // A cut-off record at the end: where, the file's size then, and since when (steady s).
    uint64_t m_waitOffset = UINT64_MAX, m_waitSize = 0;
    double m_waitSince = 0;
};

} // namespace trainscope
