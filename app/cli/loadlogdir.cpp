#include "app/cli/loadlogdir.h"

#include <filesystem>
#include <future>
#include <ostream>

namespace trainscope::cli {

namespace {

bool isDirectory(const std::string &logdir, std::ostream &err) {
    std::error_code ec;
    if (std::filesystem::is_directory(logdir, ec)) return true;
    err << "trainscope: " << logdir
        << (std::filesystem::exists(logdir, ec) ? ": not a directory" : ": no such directory")
        << "\n";
    return false;
}

void noEventFiles(const std::string &logdir, std::ostream &err) {
    err << "trainscope: " << logdir << ": no event files (*tfevents*) found\n";
}

} // namespace

std::unique_ptr<LogdirIndex> loadLogdir(const std::string &logdir, std::ostream &err) {
    if (!isDirectory(logdir, err)) return nullptr;
    auto index = std::make_unique<LogdirIndex>(logdir);
    index->setFilesComplete(true); // read once: a cut-off record is damage, not a live writer
    index->refresh();
    for (const auto &p : index->problems())
        err << "trainscope: " << p.message() << "\n";
    if (index->runs().empty()) {
        noEventFiles(logdir, err);
        return nullptr;
    }
    return index;
}

bool streamLogdir(
    const std::string &logdir, std::ostream &err, uint64_t batchBytes,
    const std::function<void(const LogdirIndex &, const std::vector<std::string> &)> &each) {
    if (!isDirectory(logdir, err)) return false;
    LogdirIndex index(logdir);
    index.setFilesComplete(true);
    auto read = [&] {
        return std::async(std::launch::async, [&] { return index.poll(batchBytes); });
    };
    std::future<LogdirDelta> next = read();
    for (bool first = true;; first = false) {
        LogdirDelta delta = next.get();
        for (const auto &p : delta.problems)
            err << "trainscope: " << p.message() << "\n";
        const bool more = delta.runsPending > 0;
        // poll() touches only its readers and apply() only the runs: the next batch is read
        // while this one is handed out.
        const std::vector<std::string> runs = index.apply(std::move(delta));
        if (first && index.runs().empty()) {
            noEventFiles(logdir, err);
            return false;
        }
        if (more) next = read();
        each(index, runs);
        if (!more) return true;
    }
}

} // namespace trainscope::cli
