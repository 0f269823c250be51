#include "core/events/pngencoder.h"

#include <stdexcept>
#include <zlib.h>

namespace trainscope {
namespace {

void putBe32(std::string &out, uint32_t v) {
    out.push_back(char(v >> 24));
    out.push_back(char(v >> 16));
    out.push_back(char(v >> 8));
    out.push_back(char(v));
}

void chunk(std::string &out, const char *type, const std::string &data) {
    putBe32(out, uint32_t(data.size()));
    const std::string body = std::string(type, 4) + data;
    out += body;
    putBe32(out,
            uint32_t(crc32(0, reinterpret_cast<const Bytef *>(body.data()), uInt(body.size()))));
}

} // namespace

std::string encodePng(int width, int height, const std::vector<uint8_t> &rgb) {
    if (width <= 0 || height <= 0 || rgb.size() != size_t(width) * size_t(height) * 3)
        throw std::invalid_argument("encodePng: pixel buffer does not match the size");
    std::string raw; // each row starts with filter type 0
    raw.reserve(size_t(height) * (size_t(width) * 3 + 1));
    for (int y = 0; y < height; ++y) {
        raw.push_back('\0');
        raw.append(reinterpret_cast<const char *>(rgb.data()) + size_t(y) * size_t(width) * 3,
                   size_t(width) * 3);
    }
    uLongf size = compressBound(uLong(raw.size()));
    std::string compressed(size, '\0');
    if (compress2(reinterpret_cast<Bytef *>(compressed.data()), &size,
                  reinterpret_cast<const Bytef *>(raw.data()), uLong(raw.size()), 6) != Z_OK)
        throw std::runtime_error("encodePng: compression failed");
    compressed.resize(size);
    std::string header;
    putBe32(header, uint32_t(width));
    putBe32(header, uint32_t(height));
    header +=
        std::string("\x08\x02\x00\x00\x00", 5); // 8-bit, RGB, deflate, no filter, no interlace
    std::string png("\x89PNG\r\n\x1a\n", 8);
    chunk(png, "IHDR", header);
    chunk(png, "IDAT", compressed);
    chunk(png, "IEND", "");
    return png;
}

} // namespace trainscope
