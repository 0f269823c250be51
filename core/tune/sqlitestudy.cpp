// The SQLite backend: DIR/study.db in WAL mode, for processes on one machine.
#include "core/tune/sqlitestatement.h"
#include "core/tune/studybackend.h"

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_map>

namespace trainscope {

namespace {

using namespace sqlite;
using study::kSchemaVersion;

// "TSSD" in the header, so a study is told apart from any other SQLite file.
constexpr int kApplicationId = 0x54535344;
// Processes sharing a study take turns; a write holds the lock for a few ms, so waiting this
// long means something is badly stuck (then WriteTransaction retries a few times).
constexpr int kBusyTimeoutMs = 5000;

const char *const kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS kv(
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trials(
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL
        CHECK (status IN ('RUNNING', 'COMPLETED', 'PRUNED', 'FAILED', 'INVALID')),
    params TEXT NOT NULL,          -- JSON object; ints, floats, bools and strings keep their type
    score REAL,                    -- NULL: no score; the text 'nan' for a NaN score
    epochs INTEGER NOT NULL DEFAULT 0,
    continue_from INTEGER NOT NULL DEFAULT 0,
    bracket INTEGER NOT NULL DEFAULT -1,
    rung INTEGER NOT NULL DEFAULT -1,
    started_at REAL NOT NULL DEFAULT 0,
    finished_at REAL NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    run_dir TEXT NOT NULL DEFAULT '',
    worker TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS trials_status ON trials(status);
CREATE TABLE IF NOT EXISTS trial_values(
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL CHECK (epoch >= 1),
    value REAL,                    -- the text 'nan' for a diverged epoch
    PRIMARY KEY (trial_id, epoch)) WITHOUT ROWID;
)sql";

// Version 2: heartbeats, idempotent inserts (token), retries (one per failed trial) and the
// token of the last failStale or reclaimAbandoned that changed a trial.
const char *const kMigrateToV2 = R"sql(
ALTER TABLE trials ADD COLUMN heartbeat_at REAL;   -- unix seconds; NULL: none yet
ALTER TABLE trials ADD COLUMN token TEXT;
ALTER TABLE trials ADD COLUMN retried_from INTEGER;
ALTER TABLE trials ADD COLUMN change_token TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS trials_token ON trials(token);
CREATE UNIQUE INDEX IF NOT EXISTS trials_retried_from ON trials(retried_from);
)sql";

const char *const kTrialColumns =
    "SELECT id, status, params, score, epochs, continue_from, bracket, rung, started_at, "
    "finished_at, error, run_dir, worker, heartbeat_at, retried_from FROM trials";

Trial trialFromRow(const Stmt &s, const std::string &path) {
    Trial t;
    t.id = static_cast<int>(s.integer(0));
    const std::string status = s.text(1);
    const auto st = trialStatusFromName(status);
    if (!st)
        throw std::runtime_error(path + ": trial " + std::to_string(t.id) +
                                 " has an unknown status \"" + status + "\"");
    t.status = *st;
    try {
        t.params = study::paramsFromJson(s.text(2));
    } catch (const std::exception &e) {
        throw std::runtime_error(path + ": trial " + std::to_string(t.id) +
                                 " has unreadable parameters: " + e.what());
    }
    if (!s.isNull(3)) t.score = s.real(3);
    t.epochs = static_cast<int>(s.integer(4));
    t.continueFrom = static_cast<int>(s.integer(5));
    t.bracket = static_cast<int>(s.integer(6));
    t.rung = static_cast<int>(s.integer(7));
    t.startedAt = s.real(8);
    t.finishedAt = s.real(9);
    t.error = s.text(10);
    t.runDir = s.text(11);
    t.worker = s.text(12);
    if (!s.isNull(13)) t.heartbeatAt = s.real(13);
    t.retriedFrom = static_cast<int>(s.integer(14));
    return t;
}

std::vector<Trial> loadTrials(sqlite3 *db, const std::string &path, std::optional<int> only) {
    ReadTransaction snapshot(db, path);
    std::vector<Trial> trials;
    std::unordered_map<int64_t, size_t> index;
    {
        Stmt s(db, path,
               only ? (std::string(kTrialColumns) + " WHERE id = ?1").c_str()
                    : (std::string(kTrialColumns) + " ORDER BY id").c_str());
        if (only) s.bind(1, *only);
        while (s.step()) {
            index[s.integer(0)] = trials.size();
            trials.push_back(trialFromRow(s, path));
        }
    }
    if (trials.empty()) return trials;
    Stmt v(db, path,
           only ? "SELECT trial_id, epoch, value FROM trial_values WHERE trial_id = ?1"
                : "SELECT trial_id, epoch, value FROM trial_values ORDER BY trial_id, epoch");
    if (only) v.bind(1, *only);
    while (v.step()) {
        const auto it = index.find(v.integer(0));
        if (it != index.end()) study::putValue(trials[it->second], v.integer(1), v.real(2));
    }
    return trials;
}

// Upserts: an epoch reported again replaces the earlier value.
void writeValue(sqlite3 *db, const std::string &path, int trialId, int epoch, double value) {
    Stmt s(db, path,
           "INSERT INTO trial_values(trial_id, epoch, value) VALUES (?1, ?2, ?3) "
           "ON CONFLICT(trial_id, epoch) DO UPDATE SET value = excluded.value");
    s.bind(1, trialId).bind(2, epoch).bindReal(3, value).run();
}

void requireTrial(sqlite3 *db, const std::string &path, int trialId) {
    Stmt s(db, path, "SELECT 1 FROM trials WHERE id = ?1");
    s.bind(1, trialId);
    if (!s.step()) throw std::runtime_error(path + ": no trial " + std::to_string(trialId));
}

int pragmaInt(sqlite3 *db, const std::string &path, const char *sql) {
    Stmt s(db, path, sql);
    return s.step() ? static_cast<int>(s.integer(0)) : 0;
}

// Creates the tables on a new file, refuses one from a newer Trainscope or another program.
void prepareSchema(sqlite3 *db, const std::string &path) {
    const auto check = [&](int version, int appId) {
        if (appId != 0 && appId != kApplicationId)
            throw std::runtime_error(path + ": not a Trainscope study (another program's "
                                            "SQLite file)");
        if (version > kSchemaVersion)
            throw std::runtime_error(path +
                                     ": written by a newer Trainscope (study schema version " +
                                     std::to_string(version) + "; this one reads up to " +
                                     std::to_string(kSchemaVersion) + ")");
    };
    // The common case, an existing study, needs no write lock.
    const int version = pragmaInt(db, path, "PRAGMA user_version");
    check(version, pragmaInt(db, path, "PRAGMA application_id"));
    if (version == kSchemaVersion) return;

    WriteTransaction tx(db, path);
    // Read again under the lock: another process may have created it meanwhile.
    const int locked = pragmaInt(db, path, "PRAGMA user_version");
    check(locked, pragmaInt(db, path, "PRAGMA application_id"));
    if (locked == kSchemaVersion) return;
    if (locked == 0) {
        if (pragmaInt(db, path, "SELECT count(*) FROM sqlite_schema") != 0)
            throw std::runtime_error(path + ": not a Trainscope study (it holds other tables)");
        exec(db, path, kSchemaV1);
    }
    // From version 1 in place: ALTER TABLE keeps every row, and the new columns start NULL.
    exec(db, path, kMigrateToV2);
    // Constants, not values: PRAGMAs take no bound parameters.
    exec(db, path, ("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
    exec(db, path, ("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
    tx.commit();
}
// Inserts `t` (id, status and owner already filled in) with its values, named by `token`.
void insertTrial(sqlite3 *db, const std::string &path, const Trial &t, const std::string &token) {
    Stmt s(db, path,
           "INSERT INTO trials(id, status, params, score, epochs, continue_from, bracket, rung, "
           "started_at, finished_at, error, run_dir, worker, heartbeat_at, token, retried_from) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    s.bind(1, t.id)
        .bind(2, std::string(trialStatusName(t.status)))
        .bind(3, study::paramsToJson(t.params))
        .bindReal(4, t.score)
        .bind(5, t.epochs)
        .bind(6, t.continueFrom)
        .bind(7, t.bracket)
        .bind(8, t.rung)
        .bindReal(9, t.startedAt)
        .bindReal(10, t.finishedAt)
        .bind(11, t.error)
        .bind(12, t.runDir)
        .bind(13, t.worker)
        .bindReal(14, t.heartbeatAt)
        .bind(15, token);
    if (t.retriedFrom > 0) s.bind(16, t.retriedFrom);
    s.run();
    for (size_t i = 0; i < t.values.size(); ++i)
        writeValue(db, path, t.id, static_cast<int>(i + 1), t.values[i]);
}

class SqliteStudy final : public StudyBackend {
public:
    SqliteStudy(const std::string &dir, StudyStore::WaitNotice notice);
    ~SqliteStudy() override { sqlite3_close_v2(m_db); }

    std::string path() const override { return m_path; }
    std::string studyName() const override { return StudyStore::kDefaultStudyName; }
    void setValue(const std::string &key, const std::string &value) override;
    std::optional<std::string> value(const std::string &key) override;
    std::optional<Trial> createTrial(const DecideTrial &decide) override;
    void reportValue(int trialId, int epoch, double value) override;
    void updateTrial(const Trial &trial) override;
    std::vector<Trial> trials(std::optional<int> only) override {
        Lock lock(m_db);
        return loadTrials(m_db, m_path, only);
    }
    std::vector<Trial> reclaimAbandoned(const std::string &worker) override;
    std::vector<int> heartbeat(const std::vector<int> &trialIds) override;
    std::vector<Trial> failStale(double graceSeconds) override;
    std::optional<Trial> retryTrial(const Trial &failed, const std::string &worker) override;

private:
    static int onBusy(void *self, int count); // SQLite's busy handler
    int nextId() { return pragmaInt(m_db, m_path, "SELECT COALESCE(MAX(id), 0) + 1 FROM trials"); }

    std::string m_path;
    sqlite3 *m_db = nullptr;
    StudyStore::WaitNotice m_notice;
    double m_busySince = 0, m_noticeSaidAt = -1e9; // steady seconds
};

SqliteStudy::SqliteStudy(const std::string &dir, StudyStore::WaitNotice notice)
    : m_path((std::filesystem::path(dir) / "study.db").string())
    , m_notice(std::move(notice)) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error(m_path + ": cannot create the directory: " + ec.message());

    // FULLMUTEX: the connection is serialised and owns the recursive mutex Lock holds.
    const int rc = sqlite3_open_v2(
        m_path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
        nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw std::runtime_error(m_path + ": cannot open: " + msg);
    }
    try {
        if (!sqlite3_db_mutex(m_db))
            throw std::runtime_error(m_path + ": SQLite was built without thread support");
        sqlite3_extended_result_codes(m_db, 1);
        // Set first, so even switching to WAL waits for another process instead of failing.
        sqlite3_busy_handler(m_db, &SqliteStudy::onBusy, this);
        {
            Stmt s(m_db, m_path, "PRAGMA journal_mode = WAL");
            const std::string mode = s.step() ? s.text(0) : std::string();
            if (mode != "wal")
                throw std::runtime_error(m_path +
                                         ": cannot use write-ahead logging (journal "
                                         "mode stays \"" +
                                         mode + "\"); is the directory on a network filesystem?");
        }
        // In WAL mode NORMAL syncs only at checkpoints: a committed transaction survives the
        // process being killed (it is in the WAL file, which the OS keeps), and the file is
        // never corrupted. Only an OS crash or power loss may roll back the last commits,
        // which leaves those trials RUNNING or absent to be run again: a fair price for
        // commits that cost microseconds instead of an fsync each.
        exec(m_db, m_path, "PRAGMA synchronous = NORMAL");
        exec(m_db, m_path, "PRAGMA foreign_keys = ON");
        prepareSchema(m_db, m_path);
    } catch (...) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw;
    }
}

// sqlite3_busy_timeout's wait, plus a word when it grows long: `count` restarts at 0 for each
// statement that finds the database locked.
int SqliteStudy::onBusy(void *self, int count) {
    auto *store = static_cast<SqliteStudy *>(self);
    const double now =
        std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    if (count == 0) store->m_busySince = now;
    const double waitedMs = (now - store->m_busySince) * 1000;
    if (waitedMs >= kBusyTimeoutMs) return 0; // SQLITE_BUSY for the caller
    if (store->m_notice && waitedMs >= StudyStore::kWaitNoticeMs &&
        (now - store->m_noticeSaidAt) * 1000 >= StudyStore::kWaitNoticeRepeatMs) {
        store->m_noticeSaidAt = now;
        store->m_notice(store->m_path +
                        ": another process holds the study's lock (a tune in the same --dir, "
                        "or an open sqlite3 shell?); waiting for it");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1 + count, 20)));
    return 1;
}

void SqliteStudy::setValue(const std::string &key, const std::string &value) {
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    Stmt s(m_db, m_path,
           "INSERT INTO kv(key, value) VALUES (?1, ?2) "
           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, key).bind(2, value).run();
    tx.commit();
}

std::optional<std::string> SqliteStudy::value(const std::string &key) {
    Lock lock(m_db);
    Stmt s(m_db, m_path, "SELECT value FROM kv WHERE key = ?1");
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

std::optional<Trial> SqliteStudy::createTrial(const DecideTrial &decide) {
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    const std::vector<Trial> history = loadTrials(m_db, m_path, std::nullopt);
    std::optional<Trial> next = decide(history);
    if (!next) {
        tx.commit(); // whatever `decide` itself stored (oracle state) is kept
        return std::nullopt;
    }
    study::fillNewTrial(*next, nextId());
    next->heartbeatAt = study::now();
    insertTrial(m_db, m_path, *next, study::newToken());
    tx.commit();
    return next;
}

void SqliteStudy::reportValue(int trialId, int epoch, double value) {
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    requireTrial(m_db, m_path, trialId); // a clear message rather than a foreign-key failure
    writeValue(m_db, m_path, trialId, epoch, value);
    tx.commit();
}

void SqliteStudy::updateTrial(const Trial &trial) {
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    Stmt s(m_db, m_path,
           "UPDATE trials SET status = ?2, params = ?3, score = ?4, epochs = ?5, "
           "continue_from = ?6, bracket = ?7, rung = ?8, started_at = ?9, finished_at = ?10, "
           "error = ?11, run_dir = ?12, worker = ?13 WHERE id = ?1 AND NOT (?2 <> 'FAILED' AND "
           "status = 'FAILED' AND change_token IS NOT NULL AND error LIKE 'heartbeat lost: %')");
    s.bind(1, trial.id)
        .bind(2, std::string(trialStatusName(trial.status)))
        .bind(3, study::paramsToJson(trial.params))
        .bindReal(4, trial.score)
        .bind(5, trial.epochs)
        .bind(6, trial.continueFrom)
        .bind(7, trial.bracket)
        .bind(8, trial.rung)
        .bindReal(9, trial.startedAt)
        .bindReal(10, trial.finishedAt)
        .bind(11, trial.error)
        .bind(12, trial.runDir)
        .bind(13, trial.worker)
        .run();
    if (sqlite3_changes(m_db) == 0) {
        requireTrial(m_db, m_path, trial.id);
        throw std::runtime_error(m_path + ": " + study::lateResultError(trial.id));
    }
    // Values are merged, never cleared: a caller holding a copy from before its last
    // reportValue() must not erase epochs it did not know about.
    for (size_t i = 0; i < trial.values.size(); ++i)
        writeValue(m_db, m_path, trial.id, static_cast<int>(i + 1), trial.values[i]);
    tx.commit();
}

std::vector<Trial> SqliteStudy::reclaimAbandoned(const std::string &worker) {
    const std::string host = study::hostName();
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    std::vector<Trial> reclaimed;
    {
        Stmt s(m_db, m_path,
               (std::string(kTrialColumns) + " WHERE status = 'RUNNING' ORDER BY id").c_str());
        while (s.step()) {
            if (study::abandoned(s.text(12), worker, host))
                reclaimed.push_back(trialFromRow(s, m_path));
        }
    }
    const double startedAt = study::now();
    for (Trial &t : reclaimed) {
        // The trial runs again from scratch: its old values and score would mix two runs.
        Stmt del(m_db, m_path, "DELETE FROM trial_values WHERE trial_id = ?1");
        del.bind(1, t.id).run();
        Stmt up(m_db, m_path,
                "UPDATE trials SET worker = ?2, started_at = ?3, heartbeat_at = ?3, "
                "score = NULL WHERE id = ?1");
        up.bind(1, t.id).bind(2, worker).bindReal(3, startedAt).run();
        t.worker = worker;
        t.startedAt = t.heartbeatAt = startedAt;
        t.score.reset();
        t.values.clear();
    }
    tx.commit();
    return reclaimed;
}

std::vector<int> SqliteStudy::heartbeat(const std::vector<int> &trialIds) {
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    std::vector<int> gone;
    const double at = study::now();
    for (int id : trialIds) {
        Stmt s(m_db, m_path,
               "UPDATE trials SET heartbeat_at = ?2 WHERE id = ?1 AND status = 'RUNNING'");
        s.bind(1, id).bindReal(2, at).run();
        if (sqlite3_changes(m_db) == 0) gone.push_back(id);
    }
    tx.commit();
    return gone;
}

std::vector<Trial> SqliteStudy::failStale(double graceSeconds) {
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    const double at = study::now();
    const std::string token = study::newToken(); // marks them failed for silence
    std::vector<std::pair<int, std::string>> stale;
    {
        Stmt s(m_db, m_path,
               "SELECT id, worker, ?1 - COALESCE(heartbeat_at, started_at) FROM trials "
               "WHERE status = 'RUNNING' AND COALESCE(heartbeat_at, started_at) < ?2 ORDER BY id");
        s.bindReal(1, at).bindReal(2, at - graceSeconds);
        while (s.step())
            stale.emplace_back(static_cast<int>(s.integer(0)),
                               study::staleError(s.text(1), s.real(2)));
    }
    for (const auto &[id, error] : stale) {
        Stmt up(m_db, m_path,
                "UPDATE trials SET status = 'FAILED', error = ?2, finished_at = ?3, "
                "change_token = ?4 WHERE id = ?1");
        up.bind(1, id).bind(2, error).bindReal(3, at).bind(4, token).run();
    }
    // Those failed now and any failed earlier whose retry never came (its worker died first).
    std::vector<int> unretried;
    {
        Stmt s(m_db, m_path,
               "SELECT id FROM trials t WHERE status = 'FAILED' AND change_token IS NOT NULL AND "
               "error LIKE 'heartbeat lost: %' AND NOT EXISTS "
               "(SELECT 1 FROM trials r WHERE r.retried_from = t.id) ORDER BY id");
        while (s.step())
            unretried.push_back(static_cast<int>(s.integer(0)));
    }
    std::vector<Trial> failed;
    for (int id : unretried)
        failed.push_back(loadTrials(m_db, m_path, id).front());
    tx.commit();
    return failed;
}

std::optional<Trial> SqliteStudy::retryTrial(const Trial &failed, const std::string &worker) {
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    // The stored trial, not the caller's copy: only its FAILED state and params count.
    const std::vector<Trial> stored = loadTrials(m_db, m_path, failed.id);
    if (stored.empty() || stored.front().status != TrialStatus::Failed) return std::nullopt;
    {
        Stmt s(m_db, m_path, "SELECT 1 FROM trials WHERE retried_from = ?1");
        s.bind(1, failed.id);
        if (s.step()) return std::nullopt;
    }
    Trial copy = study::retryOf(stored.front(), worker, nextId());
    copy.heartbeatAt = study::now();
    insertTrial(m_db, m_path, copy, study::newToken());
    tx.commit();
    return copy;
}

} // namespace

std::unique_ptr<StudyBackend> openSqliteStudy(const std::string &dir,
                                              StudyStore::WaitNotice notice) {
    return std::make_unique<SqliteStudy>(dir, std::move(notice));
}

} // namespace trainscope
