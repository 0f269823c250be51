// A minimal protobuf wire-format walker: the event reader's hot path decodes Events with it
// straight from the file buffer, without allocating a message per record.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace trainscope::wire {

enum WireType : uint32_t { Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5 };

struct Field {
    uint32_t number = 0;
    WireType type = Varint;
    uint64_t varint = 0;    // Varint, Fixed32 and Fixed64 values (raw bits)
    std::string_view bytes; // Bytes payload

    double asDouble() const {
        double d;
        std::memcpy(&d, &varint, 8);
        return d;
    }
    float asFloat() const {
        const auto bits = static_cast<uint32_t>(varint);
        float f;
        std::memcpy(&f, &bits, 4);
        return f;
    }
};

// Iterates over the fields of one message. `next` returns false at the end or on malformed
// input; `ok()` then tells which.
class Reader {
public:
    explicit Reader(std::string_view msg)
        : m_p(msg.data())
        , m_end(msg.data() + msg.size()) {}

    bool next(Field &f) {
        if (m_p >= m_end) return false;
        uint64_t key;
        if (!readVarint(key)) return fail();
        f.number = static_cast<uint32_t>(key >> 3);
        f.type = static_cast<WireType>(key & 7);
        switch (f.type) {
        case Varint:
            return readVarint(f.varint) || fail();
        case Fixed64:
            if (m_end - m_p < 8) return fail();
            std::memcpy(&f.varint, m_p, 8);
            m_p += 8;
            return true;
        case Fixed32: {
            if (m_end - m_p < 4) return fail();
            uint32_t v;
            std::memcpy(&v, m_p, 4);
            f.varint = v;
            m_p += 4;
            return true;
        }
        case Bytes: {
            uint64_t len;
            if (!readVarint(len) || len > uint64_t(m_end - m_p)) return fail();
            f.bytes = std::string_view(m_p, len);
            m_p += len;
            return true;
        }
        default:
            return fail();
        }
    }

    bool ok() const { return m_ok; }

private:
    bool readVarint(uint64_t &v) {
        v = 0;
        for (int shift = 0; shift < 64 && m_p < m_end; shift += 7) {
            const auto b = static_cast<uint8_t>(*m_p++);
            v |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) return true;
        }
        return false;
    }
    bool fail() {
        m_ok = false;
        m_p = m_end;
        return false;
    }

    const char *m_p;
    const char *m_end;
    bool m_ok = true;
};

// Calls fn(value) for each element of a packed (or, for compatibility, unpacked) repeated
// double/float field.
template <typename Fn> bool forEachPackedDouble(const Field &f, Fn &&fn) {
    if (f.type == Fixed64) {
        fn(f.asDouble());
        return true;
    }
    if (f.type != Bytes || f.bytes.size() % 8) return false;
    for (size_t i = 0; i < f.bytes.size(); i += 8) {
        double d;
        std::memcpy(&d, f.bytes.data() + i, 8);
        fn(d);
    }
    return true;
}

template <typename Fn> bool forEachPackedFloat(const Field &f, Fn &&fn) {
    if (f.type == Fixed32) {
        fn(f.asFloat());
        return true;
    }
    if (f.type != Bytes || f.bytes.size() % 4) return false;
    for (size_t i = 0; i < f.bytes.size(); i += 4) {
        float v;
        std::memcpy(&v, f.bytes.data() + i, 4);
        fn(v);
    }
    return true;
}

} // namespace trainscope::wire
