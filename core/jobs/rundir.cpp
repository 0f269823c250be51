#include "core/jobs/rundir.h"

#include <cctype>
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

} // namespace trainscope
