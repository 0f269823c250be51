// A minimal PNG encoder (8-bit RGB, zlib-compressed), so core can write image summaries such
// as the confusion-matrix heatmap without an image library.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trainscope {

// `rgb` holds width * height * 3 bytes, row by row.
std::string encodePng(int width, int height, const std::vector<uint8_t> &rgb);

} // namespace trainscope
