// Finds the runs of a TensorBoard logdir (directories holding event files, at any depth),
// reads their files, and keeps what they hold by run and tag. poll() reads what is new on
// disk (new runs, new files, bytes appended) and may run on a worker thread; apply() merges
// its result and runs on the thread that reads the index.
#pragma once

#include "core/events/eventreader.h"
#include "core/events/rundata.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace trainscope {

// What one poll found: the new data of each run that changed, and any problems.
struct LogdirDelta {
    std::vector<RunData> runs;
    std::vector<ReadProblem> problems;
    uint64_t bytesRead = 0;
    size_t runsPending = 0; // runs with unread data left for the next poll (a budget was met)
};

class LogdirIndex {
public:
    explicit LogdirIndex(std::filesystem::path root);
    ~LogdirIndex();

    // Reads what is new on disk, run after run until about `byteBudget` bytes have been read
    // (the run that crosses it is read whole); runs left over are named in the delta, and
    // read by the next poll. Safe on any thread; concurrent calls are serialised.
    LogdirDelta poll(uint64_t byteBudget = UINT64_MAX);
    // Merges a poll's result; returns the names of the runs that changed.
    std::vector<std::string> apply(LogdirDelta &&delta);
    // The files will not grow (the CLI reads a finished logdir once): a record cut off at a
    // file's end is reported as damage and read past, not waited for.
    void setFilesComplete(bool complete) { m_filesComplete = complete; }

    // poll() and apply() in one go, for single-threaded users such as the CLI.
    std::vector<std::string> refresh() { return apply(poll()); }

    const std::filesystem::path &root() const { return m_root; }
    // Runs sorted by name.
    const std::map<std::string, RunData> &runs() const { return m_runs; }
    const RunData *run(const std::string &name) const;
    const std::vector<ReadProblem> &problems() const { return m_problems; }

    // True when `name` looks like an event file ("*tfevents*", as TensorBoard decides).
    static bool isEventFileName(const std::string &name);

private:
    struct RunReaders; // the readers and plugin memory of one run, used by poll() only

    std::filesystem::path m_root;
    std::mutex m_pollMutex;
    std::map<std::string, std::unique_ptr<RunReaders>> m_readers; // by run name
    bool m_reportedMissingRoot = false;
    bool m_filesComplete = false;

    std::map<std::string, RunData> m_runs;
    std::vector<ReadProblem> m_problems;
};

} // namespace trainscope
