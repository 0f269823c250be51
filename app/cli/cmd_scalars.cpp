// `trainscope scalars LOGDIR [--run RE] [--tag RE] [--format csv|json]`: every scalar point as
// run,tag,step,wall_time,value. Streams its output: a logdir of millions of points is fine.
#include "app/cli/commands.h"
#include "app/cli/loadlogdir.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>
#include <regex>

namespace trainscope::cli {
namespace {

template <typename T> std::string shortest(T v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string csvField(const std::string &s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// A number in JSON: NaN and the infinities, which JSON cannot spell, as protobuf's JSON mapping
// writes them ("NaN", "Infinity", "-Infinity"), so a loss that diverged says so.
template <typename T> std::string jsonNumber(T v) {
    if (std::isnan(v)) return "\"NaN\"";
    if (std::isinf(v)) return v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return shortest(v);
}

// A JSON string; bytes that are not UTF-8 (a tag or run name can hold any) become U+FFFD.
std::string jsonString(const std::string &s) {
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool compile(const std::string &pattern, const char *option, std::regex &re, std::ostream &err) {
    try {
        re = std::regex(pattern.empty() ? ".*" : pattern);
        return true;
    } catch (const std::regex_error &e) {
        err << "trainscope: " << option << " '" << pattern
            << "': invalid regular expression: " << e.what() << "\n";
        return false;
    }
}

} // namespace

int runScalars(const ScalarsOptions &options, std::ostream &out, std::ostream &err) {
    std::regex runRe, tagRe;
    if (!compile(options.runPattern, "--run", runRe, err) ||
        !compile(options.tagPattern, "--tag", tagRe, err))
        return BadInput;
    auto index = loadLogdir(options.logdir, err);
    if (!index) return BadInput;

    const bool json = options.format == "json";
    out << (json ? "[" : "run,tag,step,wall_time,value\n");
    bool first = true;
    std::string line;
    for (const auto &[runName, run] : index->runs()) {
        if (!std::regex_search(runName, runRe)) continue;
        const std::string runField = json ? jsonString(runName) : csvField(runName);
        for (const auto &[tagName, tag] : run.tags) {
            if (tag.kind != TagKind::Scalar || !std::regex_search(tagName, tagRe)) continue;
            const std::string tagField = json ? jsonString(tagName) : csvField(tagName);
            const ScalarSeries &s = tag.scalars;
            for (size_t i = 0; i < s.size(); ++i) {
                const float v = s.value(i);
                if (json) {
                    line = std::string(first ? "\n" : ",\n") + "  {\"run\": " + runField +
                           ", \"tag\": " + tagField + ", \"step\": " + std::to_string(s.step(i)) +
                           ", \"wall_time\": " + jsonNumber(s.wallTime(i)) +
                           ", \"value\": " + jsonNumber(v) + "}";
                } else {
                    line = runField + "," + tagField + "," + std::to_string(s.step(i)) + "," +
                           shortest(s.wallTime(i)) + "," + shortest(v) + "\n";
                }
                out << line;
                first = false;
            }
        }
    }
    if (json) out << (first ? "]\n" : "\n]\n");
    return Ok;
}

} // namespace trainscope::cli
