// TFRecord framing: `u64 length | u32 masked crc(length) | data | u32 masked crc(data)`.
// The writer frames records into a byte string; the scanner walks a buffer and says, per
// record, whether it is whole, cut short (a file still being written) or corrupt.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace trainscope {

constexpr size_t kRecordHeaderSize = 12; // length + its crc
constexpr size_t kRecordFooterSize = 4;  // data crc

// Appends one framed record holding `data` to `out`.
void appendRecord(std::string &out, std::string_view data);

enum class RecordStatus {
    Ok,        // `data` holds a whole record whose checksums match
    NeedMore,  // the buffer ends inside this record: wait for the writer
    BadHeader, // the length's checksum fails: the rest of the file cannot be framed
    BadData,   // the data's checksum fails: this record is skipped, the next one is read
    End,       // no bytes left
};

struct RecordView {
    RecordStatus status = RecordStatus::End;
    std::string_view data; // the payload (valid for Ok and BadData)
    size_t size = 0;       // bytes the whole framed record takes (Ok and BadData)
};

// Reads the record starting at `offset` of `buffer`.
RecordView readRecord(std::string_view buffer, size_t offset);

// Upper bound on a plausible record: a header beyond this is treated as corrupt rather than
// waited for, so a non-event file named like one is reported instead of tailed forever.
constexpr uint64_t kMaxRecordSize = uint64_t(1) << 31;

} // namespace trainscope
