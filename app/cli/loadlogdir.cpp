#include "app/cli/loadlogdir.h"

#include <filesystem>
#include <ostream>

namespace trainscope::cli {

std::unique_ptr<LogdirIndex> loadLogdir(const std::string &logdir, std::ostream &err) {
    std::error_code ec;
    if (!std::filesystem::is_directory(logdir, ec)) {
        err << "trainscope: " << logdir
            << (std::filesystem::exists(logdir, ec) ? ": not a directory" : ": no such directory")
            << "\n";
        return nullptr;
    }
    auto index = std::make_unique<LogdirIndex>(logdir);
    index->setFilesComplete(true); // read once: a cut-off record is damage, not a live writer
    index->refresh();
    for (const auto &p : index->problems())
        err << "trainscope: " << p.message() << "\n";
    if (index->runs().empty()) {
        err << "trainscope: " << logdir << ": no event files (*tfevents*) found\n";
        return nullptr;
    }
    return index;
}

} // namespace trainscope::cli
