#include "core/profile/tracejson.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace trainscope {

void appendMicros(std::string &out, int64_t ns) {
    if (ns < 0) {
        out += '-';
        ns = -ns;
    }
    char buf[32];
    char *end = buf + sizeof buf;
    char *p = end;
    const int64_t micros = ns / 1000;
    int frac = int(ns % 1000);
    for (int i = 0; i < 3; ++i, frac /= 10)
        *--p = char('0' + frac % 10);
    *--p = '.';
    int64_t whole = micros;
    do {
        *--p = char('0' + whole % 10);
        whole /= 10;
    } while (whole);
    out.append(p, size_t(end - p));
}

bool parseMicros(std::string_view text, int64_t &ns) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    size_t i = 0;
    const bool negative = !text.empty() && text[0] == '-';
    if (negative) ++i;
    int64_t whole = 0;
    size_t digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 15; ++i, ++digits)
        whole = whole * 10 + (text[i] - '0');
    int64_t frac = 0;
    int fracDigits = 0;
    if (i < text.size() && text[i] == '.')
        for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
            if (fracDigits < 3) frac = frac * 10 + (text[i] - '0'), ++fracDigits;
    if (digits > 0 && i == text.size()) {
        for (; fracDigits < 3; ++fracDigits)
            frac *= 10;
        ns = (whole * 1000 + frac) * (negative ? -1 : 1);
        return true;
    }
    // Exponents and very long numbers go through a double (exact enough for such values).
    const std::string copy(text);
    char *end = nullptr;
    const double micros = std::strtod(copy.c_str(), &end);
    if (end == copy.c_str() || !std::isfinite(micros)) return false;
    ns = int64_t(std::llround(micros * 1000));
    return true;
}

void appendJsonString(std::string &out, std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    out += '"';
    size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            out += char(c);
            ++i;
        } else if (c < 0x80) {
            out += '\\';
            switch (c) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '\n':
                out += 'n';
                break;
            case '\t':
                out += 't';
                break;
            case '\r':
                out += 'r';
                break;
            default:
                out += "u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            }
            ++i;
        } else {
            // One UTF-8 sequence, checked; anything malformed becomes U+FFFD.
            const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
            bool ok = len > 0 && c < 0xF5 && i + len <= s.size();
            for (size_t k = 1; ok && k < len; ++k)
                ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
            if (ok) {
                out.append(s.data() + i, len);
                i += len;
            } else {
                out += "\xEF\xBF\xBD";
                ++i;
            }
        }
    }
    out += '"';
}

bool looksLikeJsonNumbers(std::string_view s) {
    if (s.empty()) return false;
    // JSON's number grammar exactly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    auto isNumber = [](std::string_view t) {
        size_t i = 0;
        auto digits = [&] {
            const size_t from = i;
            while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])))
                ++i;
            return i > from;
        };
        if (i < t.size() && t[i] == '-') ++i;
        if (i < t.size() && t[i] == '0')
            ++i;
        else if (!digits())
            return false;
        if (i < t.size() && t[i] == '.' && (++i, !digits())) return false;
        if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
            ++i;
            if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
            if (!digits()) return false;
        }
        return i == t.size();
    };
    if (s.front() != '[') return isNumber(s);
    if (s.back() != ']') return false;
    std::string_view inner = s.substr(1, s.size() - 2);
    while (!inner.empty()) {
        const size_t comma = inner.find(',');
        std::string_view item = inner.substr(0, comma);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        if (!isNumber(item)) return false;
        if (comma == std::string_view::npos) break;
        inner.remove_prefix(comma + 1);
    }
    return true;
}

std::string trainscopeSectionJson(const TraceFile &trace) {
    nlohmann::json stages = nlohmann::json::array();
    for (const StageStats &s : trace.stages)
        stages.push_back({{"stage", s.stage},
                          {"batches", s.batches},
                          {"total_ms", s.totalMs},
                          {"workers", s.workers}});
    const AdviceContext &c = trace.context;
    const DeviceTraceInfo &d = trace.deviceInfo;
    const nlohmann::json section = {{"stages", stages},
                                    {"context",
                                     {{"map_workers", c.mapWorkers},
                                      {"prefetch", c.prefetch},
                                      {"cache", c.cache},
                                      {"has_preprocess", c.hasPreprocess},
                                      {"batch_size", c.batchSize},
                                      {"device", c.device},
                                      {"mixed_precision", c.mixedPrecision},
                                      {"cores", c.cores},
                                      {"pin_memory", c.pinMemory}}},
                                    {"device_trace",
                                     {{"device", d.device},
                                      {"note", d.note},
                                      {"records", d.records},
                                      {"dropped", d.dropped},
                                      {"clock_skew_ns", d.clockSkewNs}}}};
    return section.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void readTrainscopeSection(std::string_view json, TraceFile &trace) try {
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (!j.is_object()) return;
    for (const auto &s : j.value("stages", nlohmann::json::array()))
        if (s.is_object())
            trace.stages.push_back({s.value("stage", ""), s.value("batches", uint64_t(0)),
                                    s.value("total_ms", 0.0), std::max(1, s.value("workers", 1))});
    if (j.contains("context") && j["context"].is_object()) {
        const nlohmann::json &cj = j["context"];
        AdviceContext &c = trace.context;
        c.mapWorkers = cj.value("map_workers", 1);
        c.prefetch = cj.value("prefetch", 0);
        c.cache = cj.value("cache", "none");
        c.hasPreprocess = cj.value("has_preprocess", false);
        c.batchSize = cj.value("batch_size", 0);
        c.device = cj.value("device", "cpu");
        c.mixedPrecision = cj.value("mixed_precision", "none");
        c.cores = cj.value("cores", 1);
        c.pinMemory = cj.value("pin_memory", false);
    }
    if (j.contains("device_trace") && j["device_trace"].is_object()) {
        const nlohmann::json &dj = j["device_trace"];
        DeviceTraceInfo &d = trace.deviceInfo;
        d.device = dj.value("device", "cpu");
        d.note = dj.value("note", "");
        d.records = dj.value("records", uint64_t(0));
        d.dropped = dj.value("dropped", uint64_t(0));
        d.clockSkewNs = dj.value("clock_skew_ns", 0.0);
    }
} catch (const nlohmann::json::exception &) {
    // A field of the wrong type: the figures are extras, the trace itself still opens.
}

} // namespace trainscope
