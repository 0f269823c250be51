// Reads one event file incrementally: each readNew() decodes the records appended since the
// last call, waits at a truncated last record (a file still being written), and reports a
// record whose checksum fails with file and offset, then carries on past it.
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
    explicit EventReader(std::string path);

    // Decodes every whole record from the current offset to the end of the file. Problems are
    // appended to `problems`; the reader never throws for bad content.
    ReadStats readNew(TagPlugins &plugins, EventSink &sink, std::vector<ReadProblem> &problems);

    const std::string &path() const { return m_path; }
    uint64_t offset() const { return m_offset; } // start of the next unread record

private:
    // Looks for the next offset in `buffer` at or after `from` where a whole, valid record
    // starts; returns npos when none is found.
    static size_t resync(std::string_view buffer, size_t from);

    std::string m_path;
    uint64_t m_offset = 0;
    bool m_lostSync = false; // the last call ended while searching for a valid record
};

} // namespace trainscope
