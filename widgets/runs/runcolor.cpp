#include "widgets/runs/runcolor.h"

#include <cstdint>

namespace trainscope {

QColor runColor(const QString &name) {
    uint32_t hash = 2166136261u; // FNV-1a of the UTF-8 name: the same on every machine
    for (const char c : name.toUtf8()) {
        hash ^= uint8_t(c);
        hash *= 16777619u;
    }
    // FNV's last step maps names that differ in their last digit to neighbouring hues: mix
    // the bits (MurmurHash3's finaliser) so run-1, run-2... land far apart.
    hash ^= hash >> 16;
    hash *= 0x85ebca6bu;
    hash ^= hash >> 13;
    hash *= 0xc2b2ae35u;
    hash ^= hash >> 16;
    static const int lightness[kRunLightnessBands] = {100, 135, 170}; // HSL, of 255
    const int hue = int(hash % kRunHues) * 360 / kRunHues;
    const int band = int((hash / kRunHues) % kRunLightnessBands);
    return QColor::fromHsl(hue, 190, lightness[band]);
}

} // namespace trainscope
