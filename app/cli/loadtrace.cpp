#include "app/cli/loadtrace.h"

#include "core/profile/chrometrace.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <ostream>
#include <string>
#include <unistd.h>

namespace trainscope::cli {
namespace {

// A big trace takes seconds to read: how far it has got goes to stderr, as a redrawn bar on a
// terminal and a line a quarter otherwise (as training's progress does). Small ones say nothing.
class ReadProgress {
public:
    ReadProgress(const std::string &path, std::ostream &err)
        : m_path(path)
        , m_err(err)
        , m_terminal(&err == &std::cerr && isatty(2)) {
        std::error_code ec;
        const uintmax_t bytes = std::filesystem::file_size(path, ec);
        const bool gzip = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
        // About a second's reading: 64 MiB of JSON, or of its gzip (traces shrink ~10 times).
        m_big = !ec && bytes * (gzip ? 10 : 1) >= (uintmax_t(64) << 20);
    }
    ~ReadProgress() {
        if (m_terminal && m_last >= 0) m_err << "\r\033[K" << std::flush; // the bar goes
    }

    std::function<void(double)> callback() {
        if (!m_big) return {};
        return [this](double fraction) { show(int(fraction * 100)); };
    }

private:
    void show(int percent) {
        if (m_terminal && percent != m_last) {
            char bar[48];
            std::snprintf(bar, sizeof bar, " [%-30s] %3d%%",
                          std::string(size_t(percent * 30 / 100), '#').c_str(), percent);
            m_err << "\rreading " << std::filesystem::path(m_path).filename().string() << bar
                  << std::flush;
        } else if (!m_terminal && percent / 25 > std::max(m_last, 0) / 25) {
            m_err << "reading " << m_path << ": " << percent << "%\n" << std::flush;
        }
        m_last = percent;
    }

    const std::string &m_path;
    std::ostream &m_err;
    const bool m_terminal;
    bool m_big = false;
    int m_last = -1;
};

} // namespace

bool loadTrace(const std::string &path, TraceFile &trace, std::ostream &err) {
    try {
        ReadProgress progress(path, err);
        trace = readChromeTrace(path, progress.callback());
    } catch (const std::exception &e) {
        err << "trainscope: " << e.what() << "\n";
        return false;
    }
    for (const auto &[why, count] : trace.dropped)
        err << "trainscope: " << path << ": " << count << " event" << (count == 1 ? "" : "s")
            << " left out: " << why << "\n";
    if (trace.events.empty()) {
        err << "trainscope: " << path << ": no trace events\n";
        return false;
    }
    return true;
}

} // namespace trainscope::cli
