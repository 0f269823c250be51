// The study: DIR/study.db (SQLite in WAL mode) holding the sweep spec, oracle state and every
// trial. Every change is one transaction, so a killed process loses nothing it had finished,
// and several processes on one machine can share a study.
#pragma once

#include "core/tune/trial.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace trainscope {

class StudyStore {
public:
    // Said once a wait for another process's lock passes kWaitNoticeMs, so a command does not
    // sit silent while it waits (then again at most every kWaitNoticeRepeatMs).
    using WaitNotice = std::function<void(const std::string &)>;
    static constexpr int kWaitNoticeMs = 250, kWaitNoticeRepeatMs = 10000;

    // Opens or creates DIR/study.db. Throws std::runtime_error naming the file and reason.
    explicit StudyStore(const std::string &dir, WaitNotice notice = {});
    ~StudyStore();
    StudyStore(const StudyStore &) = delete;
    StudyStore &operator=(const StudyStore &) = delete;

    std::string path() const;

    // Small named values: the sweep spec ("spec"), oracle state, ...
    void setValue(const std::string &key, const std::string &value);
    std::optional<std::string> value(const std::string &key) const;

    // In one write transaction (BEGIN IMMEDIATE: processes sharing the study take turns):
    // reads every trial, asks `decide` for the next one, and inserts it as RUNNING with the
    // next id. Returns the inserted trial, or nothing when `decide` returns nothing.
    std::optional<Trial>
    createTrial(const std::function<std::optional<Trial>(const std::vector<Trial> &)> &decide);
    void reportValue(int trialId, int epoch, double value); // epoch from 1; replaces a repeat
    void updateTrial(const Trial &trial); // status, score, error, times, run dir, worker, values
    std::vector<Trial> trials() const;    // in id order, with their values
    std::optional<Trial> trial(int id) const;

    // RUNNING trials whose worker process is gone (on this host): claimed for `worker` and
    // returned, so `--resume` re-runs them.
    std::vector<Trial> reclaimAbandoned(const std::string &worker);

private:
    static int onBusy(void *self, int count); // SQLite's busy handler

    std::string m_path;
    sqlite3 *m_db = nullptr;
    WaitNotice m_notice;
    double m_busySince = 0, m_noticeSaidAt = -1e9; // steady seconds
};

// "host:pid" of this process.
std::string currentWorkerName();

} // namespace trainscope
