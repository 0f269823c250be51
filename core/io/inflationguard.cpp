#include "core/io/inflationguard.h"

#include <algorithm>

namespace trainscope {

std::string inflationRefusal(gzFile f, size_t inflated) {
    if (gzdirect(f) || inflated <= kBombFloor) return {};
    // gzoffset counts the compressed bytes consumed, not those buffered ahead.
    const auto compressed = size_t(std::max<z_off_t>(gzoffset(f), 1));
    if (inflated / compressed <= kMaxInflation) return {};
    return "refused: " + std::to_string(compressed) + " compressed bytes inflate to " +
           std::to_string(inflated) + " and more, over " + std::to_string(kMaxInflation) +
           " times their size (no trace or dataset compresses so well: a gzip bomb?)";
}

} // namespace trainscope
