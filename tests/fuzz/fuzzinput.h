// What the fuzz targets share: the readers under test take file paths (as users give them),
// so each input is written to a file in memory-backed /dev/shm first.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace fuzztest {

inline std::string inputFile(const uint8_t *data, size_t size, const char *suffix) {
    static const std::string path = "/dev/shm/trainscope-fuzz-" + std::to_string(getpid()) + suffix;
    FILE *f = std::fopen(path.c_str(), "wb");
    if (!f) return {};
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    return path;
}

} // namespace fuzztest
