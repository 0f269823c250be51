#include "chrometrace.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unistd.h>
#include <zlib.h>

namespace fs = std::filesystem;

namespace trainscope {
namespace {

bool endsWith(const std::string &s, const std::string &suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

nlohmann::json contextJson(const AdviceContext &c) {
    return {
        {"map_workers", c.mapWorkers},         {"prefetch", c.prefetch},    {"cache", c.cache},
        {"has_preprocess", c.hasPreprocess},   {"batch_size", c.batchSize}, {"device", c.device},
        {"mixed_precision", c.mixedPrecision}, {"cores", c.cores}};
}

AdviceContext contextFrom(const nlohmann::json &j) {
    AdviceContext c;
    c.mapWorkers = j.value("map_workers", 1);
    c.prefetch = j.value("prefetch", 0);
    c.cache = j.value("cache", "none");
    c.hasPreprocess = j.value("has_preprocess", false);
    c.batchSize = j.value("batch_size", 0);
    c.device = j.value("device", "cpu");
    c.mixedPrecision = j.value("mixed_precision", "none");
    c.cores = j.value("cores", 1);
    return c;
}

std::string readAll(const std::string &path) {
    gzFile f = gzopen(path.c_str(), "rb"); // plain files read through too
    if (!f) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
    std::string out;
    char buf[1 << 16];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0)
        out.append(buf, size_t(n));
    int err = 0;
    const char *msg = gzerror(f, &err);
    const std::string reason = err < 0 && err != Z_BUF_ERROR ? msg : "";
    gzclose(f);
    if (n < 0 || !reason.empty())
        throw std::runtime_error(path + ": corrupt gzip data" +
                                 (reason.empty() ? "" : ": " + reason));
    return out;
}

} // namespace

void writeChromeTrace(const std::string &path, const TraceFile &trace) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto &[lane, name] : trace.threadNames)
        events.push_back({{"ph", "M"},
                          {"name", "thread_name"},
                          {"pid", lane.first},
                          {"tid", lane.second},
                          {"args", {{"name", name}}}});
    for (const TraceEvent &e : trace.events) {
        nlohmann::json ev = {{"ph", "X"},
                             {"name", e.name},
                             {"cat", e.category},
                             {"pid", e.pid},
                             {"tid", e.tid},
                             {"ts", double(e.startNs) / 1e3},
                             {"dur", double(e.durationNs) / 1e3}};
        if (!e.args.empty()) {
            nlohmann::json args = nlohmann::json::object();
            for (const auto &[k, v] : e.args)
                args[k] = v;
            ev["args"] = args;
        }
        events.push_back(std::move(ev));
    }
    nlohmann::json stages = nlohmann::json::array();
    for (const StageStats &s : trace.stages)
        stages.push_back({{"stage", s.stage}, {"batches", s.batches}, {"total_ms", s.totalMs}});
    const nlohmann::json doc = {
        {"schemaVersion", 1},
        {"displayTimeUnit", "ms"},
        {"traceEvents", events},
        {"trainscope", {{"stages", stages}, {"context", contextJson(trace.context)}}}};
    // Names come from elsewhere too (imported traces): never fail on a stray byte.
    const std::string text = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    const std::string tmp = path + ".tmp";
    if (endsWith(path, ".gz")) {
        gzFile f = gzopen(tmp.c_str(), "wb6");
        if (!f || gzwrite(f, text.data(), unsigned(text.size())) != int(text.size()) ||
            gzclose(f) != Z_OK)
            throw std::runtime_error(path + ": cannot write the trace");
    } else {
        FILE *f = std::fopen(tmp.c_str(), "wb");
        if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0)
            throw std::runtime_error(path + ": cannot write the trace: " + std::strerror(errno));
    }
    fs::rename(tmp, path, ec);
    if (ec) throw std::runtime_error(path + ": cannot rename the finished trace: " + ec.message());
}

TraceFile readChromeTrace(const std::string &path) {
    const std::string text = readAll(path);
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error &e) {
        throw std::runtime_error(path + ": not a JSON trace: " + e.what());
    }
    const nlohmann::json *events = nullptr;
    if (doc.is_array())
        events = &doc; // the bare-array form of the format
    else if (doc.is_object() && doc.contains("traceEvents") && doc["traceEvents"].is_array())
        events = &doc["traceEvents"];
    if (!events) throw std::runtime_error(path + ": no traceEvents array");
    TraceFile t;
    for (const auto &ev : *events) {
        if (!ev.is_object()) continue;
        const std::string ph = ev.value("ph", "");
        if (ph == "M" && ev.value("name", "") == "thread_name" && ev.contains("args")) {
            t.threadNames[{ev.value("pid", 0), ev.value("tid", 0)}] = ev["args"].value("name", "");
            continue;
        }
        if (ph != "X") continue;
        TraceEvent e;
        e.name = ev.value("name", "");
        e.category = ev.value("cat", "");
        e.startNs = int64_t(ev.value("ts", 0.0) * 1e3);
        e.durationNs = int64_t(ev.value("dur", 0.0) * 1e3);
        e.pid = ev.contains("pid") && ev["pid"].is_number() ? ev["pid"].get<int>() : 0;
        e.tid = ev.contains("tid") && ev["tid"].is_number() ? ev["tid"].get<int>() : 0;
        t.events.push_back(std::move(e));
    }
    if (doc.is_object() && doc.contains("trainscope")) {
        const auto &ts = doc["trainscope"];
        for (const auto &s : ts.value("stages", nlohmann::json::array()))
            t.stages.push_back(
                {s.value("stage", ""), s.value("batches", uint64_t(0)), s.value("total_ms", 0.0)});
        if (ts.contains("context")) t.context = contextFrom(ts["context"]);
    }
    return t;
}

std::string newProfilePath(const std::string &runDir) {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y_%m_%d_%H_%M_%S", &tm);
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    return (fs::path(runDir) / "plugins" / "profile" / stamp /
            (std::string(host) + ".pt.trace.json.gz"))
        .string();
}

std::string latestProfilePath(const std::string &runDir) {
    const fs::path root = fs::path(runDir) / "plugins" / "profile";
    std::error_code ec;
    std::string best;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const std::string p = it->path().string();
        if (it->is_regular_file(ec) &&
            (endsWith(p, ".pt.trace.json.gz") || endsWith(p, ".pt.trace.json")))
            best = std::max(best, p); // timestamped folders sort by time
    }
    return best;
}

} // namespace trainscope
