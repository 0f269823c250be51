#include "app/cli/loadtrace.h"

#include "core/profile/chrometrace.h"

#include <ostream>

namespace trainscope::cli {

bool loadTrace(const std::string &path, TraceFile &trace, std::ostream &err) {
    try {
        trace = readChromeTrace(path);
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
