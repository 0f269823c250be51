// The study: the sweep spec, oracle state and every trial, in SQLite (DIR/study.db, WAL: one
// machine) or PostgreSQL (a postgresql:// URI: many machines). Every change is one transaction,
// so a killed process loses nothing it had finished, and processes can share a study.
#pragma once

#include "core/tune/trial.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trainscope {

class StudyBackend;

// One store is one connection, shared safely by threads; a forked child opens its own.
class StudyStore {
public:
    // Said once a wait passes kWaitNoticeMs (another process's lock; a lost PostgreSQL
    // connection being re-made), so a command does not sit silent while it waits (then again
    // at most every kWaitNoticeRepeatMs).
    using WaitNotice = std::function<void(const std::string &)>;
    static constexpr int kWaitNoticeMs = 250, kWaitNoticeRepeatMs = 10000;
    // How long a PostgreSQL store keeps reconnecting and retrying one transaction after the
    // server went away (a restart, a dropped connection) before it throws.
    static constexpr double kReconnectSeconds = 60;
    // The study name used when none is given.
    static constexpr const char *kDefaultStudyName = "default";

    // `location` picks the backend: "postgresql://..." or "postgres://..." (a libpq URI,
    // e.g. postgresql:///trainscope?host=/tmp/pgsock) is PostgreSQL; anything else is a
    // directory, opened or created as DIR/study.db. Several studies share one PostgreSQL
    // database, told apart by `studyName` (created on first use); SQLite has one study a file
    // and ignores the name. Throws std::runtime_error naming the file or the URI (never its
    // password) and the reason (SQLite's or libpq's).
    explicit StudyStore(const std::string &location, WaitNotice notice = {});
    StudyStore(const std::string &location, const std::string &studyName, WaitNotice notice = {});
    ~StudyStore();
    StudyStore(const StudyStore &) = delete;
    StudyStore &operator=(const StudyStore &) = delete;

    static bool isPostgresLocation(const std::string &location);

    // For messages: DIR/study.db, or the URI without its password and " study NAME".
    std::string path() const;
    std::string studyName() const;

    // Small named values: the sweep spec ("spec"), oracle state, ...
    void setValue(const std::string &key, const std::string &value);
    std::optional<std::string> value(const std::string &key) const;

    // In one write transaction serialised across every process sharing the study (SQLite:
    // BEGIN IMMEDIATE; PostgreSQL: a row lock on the study): reads every trial, asks `decide`
    // for the next one, and inserts it as RUNNING with the next id and a fresh heartbeat.
    // Returns the inserted trial, or nothing when `decide` returns nothing. `decide` may call
    // back into the store (setValue); its writes commit or roll back with the trial. On
    // PostgreSQL a lost connection re-runs the whole transaction, `decide` included, and a
    // commit whose outcome was unknown is recognised by the trial's token: never inserted twice.
    std::optional<Trial>
    createTrial(const std::function<std::optional<Trial>(const std::vector<Trial> &)> &decide);
    void reportValue(int trialId, int epoch, double value); // epoch from 1; replaces a repeat
    // Status, score, error, times, run dir, worker, values (merged). Throws for an unknown
    // trial, and for a result (any status but FAILED) on a trial failStale failed: its retry
    // runs it, and keeping both would complete the same params twice.
    void updateTrial(const Trial &trial);
    std::vector<Trial> trials() const; // in id order, with their values
    std::optional<Trial> trial(int id) const;

    // RUNNING trials whose worker process is gone (on this host): claimed for `worker` and
    // returned, so `--resume` re-runs them.
    std::vector<Trial> reclaimAbandoned(const std::string &worker);

    // One transaction: heartbeat_at = now for those of `trialIds` still RUNNING. Returns the
    // ids that are not RUNNING any more (failed by failStale elsewhere, or unknown), whose
    // work the caller should stop. Call it well within the grace period, e.g. every grace/4.
    std::vector<int> heartbeat(const std::vector<int> &trialIds);
    // One transaction: RUNNING trials whose heartbeat (started_at when they have none) is
    // older than `graceSeconds` become FAILED with the error "heartbeat lost: WORKER silent
    // for N s". Returns (as stored now) every trial so failed that has no retry yet, those
    // failed now and any whose retrier died first, for the caller to pass to retryTrial (which
    // lets one caller win each). PostgreSQL times by the server's clock, so machines' clocks
    // need not agree. A budget counts such a trial as held until its retry exists.
    std::vector<Trial> failStale(double graceSeconds);
    // A retry of the FAILED trial `failed`: a new RUNNING trial (next id, fresh heartbeat)
    // with its params, epochs, continueFrom, bracket and rung, owned by `worker` (this process
    // when empty), recording retriedFrom = failed.id; serialised like createTrial. Only one
    // retry of a trial ever succeeds: nothing when it was already retried or is not FAILED.
    std::optional<Trial> retryTrial(const Trial &failed, const std::string &worker = {});

private:
    std::unique_ptr<StudyBackend> m_backend;
};

// "host:pid" of this process.
std::string currentWorkerName();

} // namespace trainscope
