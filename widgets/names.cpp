#include "widgets/names.h"

namespace trainscope {
namespace {

// The length of the valid UTF-8 sequence starting at s[i], or 0.
size_t utf8Length(const std::string &s, size_t i) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((byte(i + k) & 0xc0) != 0x80) return 0;
    if (n == 1) return 1;
    // Overlong forms, surrogates and code points past U+10FFFF are not valid UTF-8.
    uint32_t cp = c & (0x7f >> n);
    for (size_t k = 1; k < n; ++k)
        cp = (cp << 6) | (byte(i + k) & 0x3f);
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return n;
}

} // namespace

QString fromName(const std::string &name) {
    QString out;
    out.reserve(qsizetype(name.size()));
    size_t i = 0, start = 0;
    while (i < name.size()) {
        if (const size_t n = utf8Length(name, i)) {
            i += n;
            continue;
        }
        out += QString::fromUtf8(name.data() + start, qsizetype(i - start));
        out += QChar(char16_t(0xdc00 + static_cast<unsigned char>(name[i])));
        start = ++i;
    }
    out += QString::fromUtf8(name.data() + start, qsizetype(i - start));
    return out;
}

std::string toName(const QString &name) {
    std::string out;
    qsizetype start = 0;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t u = name[i].unicode();
        const bool escaped =
            u >= 0xdc80 && u <= 0xdcff && !(i > 0 && QChar::isHighSurrogate(name[i - 1].unicode()));
        if (!escaped) continue;
        out += name.mid(start, i - start).toStdString();
        out += char(u - 0xdc00);
        start = i + 1;
    }
    out += name.mid(start).toStdString();
    return out;
}

QString displayName(const QString &name) {
    QString out = name;
    for (qsizetype i = 0; i < out.size(); ++i) {
        const char16_t u = out[i].unicode();
        if (QChar::isHighSurrogate(u) && i + 1 < out.size() &&
            QChar::isLowSurrogate(out[i + 1].unicode()))
            ++i; // a valid pair
        else if (QChar::isSurrogate(u))
            out[i] = QChar::ReplacementCharacter;
    }
    return out;
}

} // namespace trainscope
