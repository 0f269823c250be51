#include "core/events/recordio.h"

#include "core/events/crc32c.h"

#include <cstring>

namespace trainscope {
namespace {

template <typename T> void putLe(std::string &out, T v) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T)); // x86 and ARM Linux are little-endian
    out.append(bytes, sizeof(T));
}

template <typename T> T getLe(const char *p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

} // namespace

void appendRecord(std::string &out, std::string_view data) {
    const uint64_t length = data.size();
    char lengthBytes[8];
    std::memcpy(lengthBytes, &length, 8);
    out.reserve(out.size() + kRecordHeaderSize + data.size() + kRecordFooterSize);
    out.append(lengthBytes, 8);
    putLe<uint32_t>(out, maskCrc(crc32c(lengthBytes, 8)));
    out.append(data.data(), data.size());
    putLe<uint32_t>(out, maskCrc(crc32c(data.data(), data.size())));
}

RecordView readRecord(std::string_view buffer, size_t offset) {
    RecordView r;
    if (offset >= buffer.size()) return r;
    const size_t left = buffer.size() - offset;
    if (left < kRecordHeaderSize) {
        r.status = RecordStatus::NeedMore;
        return r;
    }
    const char *p = buffer.data() + offset;
    if (maskCrc(crc32c(p, 8)) != getLe<uint32_t>(p + 8)) {
        r.status = RecordStatus::BadHeader;
        return r;
    }
    const uint64_t length = getLe<uint64_t>(p);
    if (length > kMaxRecordSize) {
        r.status = RecordStatus::BadHeader;
        return r;
    }
    const size_t total = kRecordHeaderSize + length + kRecordFooterSize;
    if (left < total) {
        r.status = RecordStatus::NeedMore;
        return r;
    }
    r.data = std::string_view(p + kRecordHeaderSize, length);
    r.size = total;
    const uint32_t stored = getLe<uint32_t>(p + kRecordHeaderSize + length);
    r.status = maskCrc(crc32c(r.data.data(), r.data.size())) == stored ? RecordStatus::Ok
                                                                       : RecordStatus::BadData;
    return r;
}

} // namespace trainscope
