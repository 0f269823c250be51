#include "core/events/crc32c.h"

#include <array>
#include <cstring>

namespace trainscope {
namespace {

constexpr uint32_t kPoly = 0x82f63b78u; // Castagnoli, reflected

struct Tables {
    std::array<std::array<uint32_t, 256>, 8> t{};
    Tables() {
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
            t[0][i] = c;
        }
        for (uint32_t i = 0; i < 256; ++i)
            for (int s = 1; s < 8; ++s)
                t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    }
};

const Tables &tables() {
    static const Tables instance;
    return instance;
}

// A GF(2) 32x32 matrix acting on a raw CRC register (no pre/post inversion).
struct Gf2Matrix {
    uint32_t col[32];
    uint32_t apply(uint32_t vec) const {
        uint32_t sum = 0;
        for (int i = 0; vec; ++i, vec >>= 1)
            if (vec & 1) sum ^= col[i];
        return sum;
    }
    Gf2Matrix squared() const {
        Gf2Matrix out;
        for (int n = 0; n < 32; ++n)
            out.col[n] = apply(col[n]);
        return out;
    }
};

// The operator that advances a register over `bytes` zero bytes (zlib's crc32_combine idea).
Gf2Matrix zerosOperator(size_t bytes) {
    Gf2Matrix bit; // one zero bit
    bit.col[0] = kPoly;
    for (int n = 1; n < 32; ++n)
        bit.col[n] = 1u << (n - 1);
    Gf2Matrix step = bit.squared().squared().squared(); // one zero byte
    Gf2Matrix result;
    for (int n = 0; n < 32; ++n)
        result.col[n] = 1u << n;
    for (; bytes; bytes >>= 1, step = step.squared())
        if (bytes & 1) {
            Gf2Matrix next;
            for (int n = 0; n < 32; ++n)
                next.col[n] = step.apply(result.col[n]);
            result = next;
        }
    return result;
}

#if defined(__x86_64__)
constexpr size_t kBlock = 4096;

__attribute__((target("sse4.2"))) uint32_t crc32cSse42(const void *data, size_t size,
                                                       uint32_t crc) {
    static const Gf2Matrix shift1 = zerosOperator(kBlock), shift2 = zerosOperator(2 * kBlock);
    auto p = static_cast<const unsigned char *>(data);
    uint64_t c = static_cast<uint32_t>(~crc);
    // Three independent streams hide the instruction's latency; registers are then combined.
    while (size >= 3 * kBlock) {
        uint64_t c1 = 0, c2 = 0;
        for (size_t i = 0; i < kBlock; i += 8) {
            uint64_t a, b, d;
            std::memcpy(&a, p + i, 8);
            std::memcpy(&b, p + kBlock + i, 8);
            std::memcpy(&d, p + 2 * kBlock + i, 8);
            c = __builtin_ia32_crc32di(c, a);
            c1 = __builtin_ia32_crc32di(c1, b);
            c2 = __builtin_ia32_crc32di(c2, d);
        }
        c = shift2.apply(static_cast<uint32_t>(c)) ^ shift1.apply(static_cast<uint32_t>(c1)) ^
            static_cast<uint32_t>(c2);
        p += 3 * kBlock;
        size -= 3 * kBlock;
    }
    while (size >= 8) {
        uint64_t v;
        std::memcpy(&v, p, 8);
        c = __builtin_ia32_crc32di(c, v);
        p += 8;
        size -= 8;
    }
    auto c32 = static_cast<uint32_t>(c);
    while (size--)
        c32 = __builtin_ia32_crc32qi(c32, *p++);
    return ~c32;
}

__attribute__((target("sse4.2"))) inline bool headerCrcMatches(const char *p) {
    uint64_t v;
    uint32_t stored;
    std::memcpy(&v, p, 8);
    std::memcpy(&stored, p + 8, 4);
    return maskCrc(~static_cast<uint32_t>(__builtin_ia32_crc32di(0xffffffffu, v))) == stored;
}

__attribute__((target("sse4.2"))) size_t findMaskedCrc8Sse42(const char *p, size_t size) {
    size_t i = 0;
    // Four positions a turn: the instruction's latency (3 cycles) overlaps across them.
    for (; i + 15 <= size; i += 4) {
        const bool m0 = headerCrcMatches(p + i), m1 = headerCrcMatches(p + i + 1),
                   m2 = headerCrcMatches(p + i + 2), m3 = headerCrcMatches(p + i + 3);
        if (m0 | m1 | m2 | m3) return m0 ? i : m1 ? i + 1 : m2 ? i + 2 : i + 3;
    }
    for (; i + 12 <= size; ++i)
        if (headerCrcMatches(p + i)) return i;
    return size;
}
#endif

bool detectHardware() {
#if defined(__x86_64__)
    return __builtin_cpu_supports("sse4.2");
#else
    return false;
#endif
}

} // namespace

uint32_t crc32cPortable(const void *data, size_t size, uint32_t crc) {
    const auto &t = tables().t;
    auto p = static_cast<const unsigned char *>(data);
    uint32_t c = ~crc;
    while (size >= 8) {
        uint32_t lo, hi;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + 4, 4);
        lo ^= c;
        c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
            t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
        p += 8;
        size -= 8;
    }
    while (size--)
        c = t[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

bool crc32cHardware() {
    static const bool hw = detectHardware();
    return hw;
}

size_t findMaskedCrc8(const char *data, size_t size) {
#if defined(__x86_64__)
    if (crc32cHardware()) return findMaskedCrc8Sse42(data, size);
#endif
    for (size_t i = 0; i + 12 <= size; ++i) {
        uint32_t stored;
        std::memcpy(&stored, data + i + 8, 4);
        if (maskCrc(crc32cPortable(data + i, 8)) == stored) return i;
    }
    return size;
}

uint32_t crc32c(const void *data, size_t size, uint32_t crc) {
#if defined(__x86_64__)
    if (crc32cHardware()) return crc32cSse42(data, size, crc);
#endif
    return crc32cPortable(data, size, crc);
}

} // namespace trainscope
