// The guard against gzip bombs, for every reader of gzip input (traces, IDX datasets). No
// trace or dataset compresses as well as a bomb: JSON traces shrink 5 to 20 times, images 2
// to 5, a bomb of one repeated byte about 1000 times. So past kBombFloor bytes, inflating
// more than kMaxInflation times the compressed bytes read so far is refused while it
// happens, before the memory is spent (as Apache POI guards zip entries).
#pragma once

#include <cstddef>
#include <string>
#include <zlib.h>

namespace trainscope {

constexpr size_t kBombFloor = size_t(64) << 20;
constexpr size_t kMaxInflation = 200;

// Why reading `f` must stop, now that it has given `inflated` bytes; "" to go on.
std::string inflationRefusal(gzFile f, size_t inflated);

} // namespace trainscope
