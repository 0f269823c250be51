// Where new profiles go in a run: <run>/plugins/profile/<timestamp>/<host>.pt.trace.json.gz.
#include "core/profile/chrometrace.h"

#include "core/jobs/rundir.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace trainscope {

std::string newProfilePath(const std::string &runDir) {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y_%m_%d_%H_%M_%S", &tm);
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    // Windows of one job can close within a second: each gets a folder of its own, named so
    // that the newest sorts last.
    const fs::path root = fs::path(runDir) / "plugins" / "profile";
    fs::path dir = root / stamp;
    for (int n = 2; fs::exists(dir); ++n) {
        char suffix[16];
        std::snprintf(suffix, sizeof suffix, "_%03d", n);
        dir = root / (std::string(stamp) + suffix);
    }
    return (dir / (std::string(host) + ".pt.trace.json.gz")).string();
}

std::string latestProfilePath(const std::string &runDir) {
    const std::vector<std::string> traces = runTraceFiles(runDir);
    return traces.empty() ? std::string() : traces.back();
}

} // namespace trainscope
