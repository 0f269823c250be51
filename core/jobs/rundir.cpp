#include "core/jobs/rundir.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

namespace trainscope {

namespace fs = std::filesystem;

std::string uniqueRunDir(const std::string &parent, const std::string &name,
                         const std::function<bool(const std::string &)> &taken) {
    std::string safe;
    for (char c : name)
        safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
                    ? c
                    : '_';
    if (safe.empty() || safe == "." || safe == "..") safe = "run";
    const auto used = [&](const fs::path &dir) {
        std::error_code ec;
        return fs::exists(dir, ec) || (taken && taken(dir.string()));
    };
    fs::path dir = fs::path(parent) / safe;
    for (int n = 2; used(dir); ++n)
        dir = fs::path(parent) / (safe + "-" + std::to_string(n));
    return dir.string();
}

bool isProfileTraceName(const std::string &name) {
    auto endsWith = [&](const char *suffix) {
        const size_t n = std::char_traits<char>::length(suffix);
        return name.size() > n && name.compare(name.size() - n, n, suffix) == 0;
    };
    return endsWith(".pt.trace.json") || endsWith(".pt.trace.json.gz");
}

namespace {

// The "<ms>" of "<worker>.<ms>.pt.trace.json": the handler's timestamp (0 when absent).
long long traceTimestamp(const std::string &name) {
    const size_t end = name.find(".pt.trace.json");
    const size_t dot = name.rfind('.', end == 0 ? 0 : end - 1);
    if (end == std::string::npos || dot == std::string::npos) return 0;
    const std::string digits = name.substr(dot + 1, end - dot - 1);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return 0;
    return std::atoll(digits.c_str());
}

} // namespace

std::vector<std::string> runTraceFiles(const std::string &runDir) {
    std::error_code ec;
    std::vector<std::pair<long long, std::string>> direct;
    for (const auto &entry : fs::directory_iterator(runDir, ec)) {
        const std::string name = entry.path().filename().string();
        if (isProfileTraceName(name) && entry.is_regular_file(ec))
            direct.emplace_back(traceTimestamp(name), entry.path().string());
    }
    std::sort(direct.begin(), direct.end());
    std::vector<std::string> out;
    for (auto &[stamp, path] : direct)
        out.push_back(std::move(path));
    std::vector<std::string> plugin;
    const fs::path root = fs::path(runDir) / "plugins" / "profile";
    for (const auto &folder : fs::directory_iterator(root, ec)) {
        if (!folder.is_directory(ec)) continue;
        for (const auto &entry : fs::directory_iterator(folder.path(), ec))
            if (isProfileTraceName(entry.path().filename().string()) && entry.is_regular_file(ec))
                plugin.push_back(entry.path().string());
    }
    std::sort(plugin.begin(), plugin.end()); // timestamped folders sort by time
    out.insert(out.end(), plugin.begin(), plugin.end());
    return out;
}

} // namespace trainscope
