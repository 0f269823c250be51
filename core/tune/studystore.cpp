#include "core/tune/studystore.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_map>

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

namespace trainscope {

namespace {

// Bumped whenever the tables change; a newer file is refused rather than misread.
constexpr int kSchemaVersion = 1;
// "TSSD" in the header, so a study is told apart from any other SQLite file.
constexpr int kApplicationId = 0x54535344;
// Processes sharing a study take turns; a write holds the lock for a few ms, so waiting this
// long means something is badly stuck, and then a few retries before giving up.
constexpr int kBusyTimeoutMs = 5000;
constexpr int kBeginRetries = 4;

const char *const kSchema = R"sql(
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

const char *const kTrialColumns =
    "SELECT id, status, params, score, epochs, continue_from, bracket, rung, started_at, "
    "finished_at, error, run_dir, worker FROM trials";

double now() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string hostName() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
    return buf;
}

// JSON has no NaN or infinity, so those doubles go as {"float": "nan"|"inf"|"-inf"}: a
// parameter is never silently turned into null.
nlohmann::json paramsToJson(const Assignment &params) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto &[name, value] : params) {
        if (const auto *b = std::get_if<bool>(&value)) {
            j[name] = *b;
        } else if (const auto *i = std::get_if<int64_t>(&value)) {
            j[name] = *i;
        } else if (const auto *d = std::get_if<double>(&value)) {
            if (std::isfinite(*d))
                j[name] = *d;
            else
                j[name] = {{"float", std::isnan(*d) ? "nan" : (*d > 0 ? "inf" : "-inf")}};
        } else {
            j[name] = std::get<std::string>(value);
        }
    }
    return j;
}

Assignment paramsFromJson(const std::string &text) {
    const nlohmann::json j = nlohmann::json::parse(text);
    if (!j.is_object()) throw std::runtime_error("params is not a JSON object");
    Assignment params;
    for (const auto &[name, v] : j.items()) {
        if (v.is_boolean()) {
            params[name] = v.get<bool>();
        } else if (v.is_number_integer()) {
            params[name] = v.get<int64_t>();
        } else if (v.is_number_float()) {
            params[name] = v.get<double>();
        } else if (v.is_string()) {
            params[name] = v.get<std::string>();
        } else if (v.is_object() && v.contains("float") && v["float"].is_string()) {
            const std::string s = v["float"].get<std::string>();
            const double inf = std::numeric_limits<double>::infinity();
            params[name] = s == "inf"    ? inf
                           : s == "-inf" ? -inf
                                         : std::numeric_limits<double>::quiet_NaN();
        } else {
            throw std::runtime_error("parameter \"" + name + "\" has an unsupported JSON type");
        }
    }
    return params;
}

// Holds the connection's own (recursive) mutex across a whole operation, so threads sharing
// the store never interleave inside a transaction, and `decide` may call back into the store.
class Lock {
public:
    explicit Lock(sqlite3 *db)
        : m_mutex(sqlite3_db_mutex(db)) {
        sqlite3_mutex_enter(m_mutex);
    }
    ~Lock() { sqlite3_mutex_leave(m_mutex); }
    Lock(const Lock &) = delete;
    Lock &operator=(const Lock &) = delete;

private:
    sqlite3_mutex *m_mutex;
};

// "<file>: <SQLite's message> (<what we were doing>)": the file and reason come first.
[[noreturn]] void fail(const std::string &path, const std::string &what, sqlite3 *db) {
    std::string sql = what;
    if (sql.size() > 80) sql = sql.substr(0, 77) + "...";
    throw std::runtime_error(path + ": " + sqlite3_errmsg(db) + " (" + sql + ")");
}

class Stmt {
public:
    Stmt(sqlite3 *db, const std::string &path, const char *sql)
        : m_db(db)
        , m_path(path) {
        if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) fail(path, sql, db);
    }
    ~Stmt() { sqlite3_finalize(m_stmt); }
    Stmt(const Stmt &) = delete;
    Stmt &operator=(const Stmt &) = delete;

    Stmt &bind(int i, int64_t v) { return check(sqlite3_bind_int64(m_stmt, i, v)); }
    Stmt &bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
    Stmt &bind(int i, const std::string &v) {
        return check(
            sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    // SQLite stores a NaN REAL as NULL; the text 'nan' keeps it apart from "no value".
    Stmt &bindReal(int i, double v) {
        if (std::isnan(v)) return bind(i, std::string("nan"));
        return check(sqlite3_bind_double(m_stmt, i, v));
    }
    Stmt &bindReal(int i, const std::optional<double> &v) {
        if (!v) return check(sqlite3_bind_null(m_stmt, i));
        return bindReal(i, *v);
    }

    // True while a row is available.
    bool step() {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(m_path, sqlite3_sql(m_stmt), m_db);
    }
    void run() {
        while (step()) {
        }
    }

    int64_t integer(int c) const { return sqlite3_column_int64(m_stmt, c); }
    std::string text(int c) const {
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, c));
        return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(m_stmt, c)))
                 : std::string();
    }
    bool isNull(int c) const { return sqlite3_column_type(m_stmt, c) == SQLITE_NULL; }
    double real(int c) const {
        if (sqlite3_column_type(m_stmt, c) == SQLITE_TEXT)
            return std::numeric_limits<double>::quiet_NaN();
        return sqlite3_column_double(m_stmt, c);
    }

private:
    Stmt &check(int rc) {
        if (rc != SQLITE_OK) fail(m_path, std::string("binding ") + sqlite3_sql(m_stmt), m_db);
        return *this;
    }
    sqlite3 *m_db;
    const std::string &m_path;
    sqlite3_stmt *m_stmt = nullptr;
};

void exec(sqlite3 *db, const std::string &path, const char *sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(path, sql, db);
}

// One write transaction, rolled back unless committed. BEGIN IMMEDIATE takes the write lock
// up front: a deferred transaction that reads and then writes can fail with SQLITE_BUSY
// without the busy handler ever waiting. Nested use (from inside `decide`) is a savepoint.
class WriteTransaction {
public:
    WriteTransaction(sqlite3 *db, const std::string &path)
        : m_db(db)
        , m_path(path) {
        m_nested = sqlite3_get_autocommit(db) == 0;
        if (m_nested) {
            exec(db, path, "SAVEPOINT nested");
            return;
        }
        for (int attempt = 0;; ++attempt) {
            const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
            if (rc == SQLITE_OK) break;
            if ((rc & 0xff) != SQLITE_BUSY || attempt >= kBeginRetries)
                fail(path, "BEGIN IMMEDIATE: another process holds the study", db);
            std::this_thread::sleep_for(std::chrono::milliseconds(50 * (attempt + 1)));
        }
    }
    ~WriteTransaction() {
        if (m_done) return;
        if (m_nested) {
            sqlite3_exec(m_db, "ROLLBACK TO nested; RELEASE nested", nullptr, nullptr, nullptr);
        } else if (sqlite3_get_autocommit(m_db) == 0) {
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
    }
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;

    void commit() {
        exec(m_db, m_path, m_nested ? "RELEASE nested" : "COMMIT");
        m_done = true;
    }

private:
    sqlite3 *m_db;
    const std::string &m_path;
    bool m_nested = false;
    bool m_done = false;
};

// A read-only snapshot across several statements (trials, then their values).
class ReadTransaction {
public:
    ReadTransaction(sqlite3 *db, const std::string &path)
        : m_db(db) {
        m_own = sqlite3_get_autocommit(db) != 0;
        if (m_own) exec(db, path, "BEGIN");
    }
    ~ReadTransaction() {
        if (m_own && sqlite3_get_autocommit(m_db) == 0)
            sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
    }
    ReadTransaction(const ReadTransaction &) = delete;
    ReadTransaction &operator=(const ReadTransaction &) = delete;

private:
    sqlite3 *m_db;
    bool m_own = false;
};

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
        t.params = paramsFromJson(s.text(2));
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
    return t;
}

// Missing epochs (a gap in the reports) read as NaN, so values[epoch - 1] stays the rule.
void putValue(Trial &t, int64_t epoch, double value) {
    if (epoch < 1) return;
    if (static_cast<size_t>(epoch) > t.values.size())
        t.values.resize(static_cast<size_t>(epoch), std::numeric_limits<double>::quiet_NaN());
    t.values[static_cast<size_t>(epoch - 1)] = value;
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
        if (it != index.end()) putValue(trials[it->second], v.integer(1), v.real(2));
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
    if (pragmaInt(db, path, "SELECT count(*) FROM sqlite_schema") != 0)
        throw std::runtime_error(path + ": not a Trainscope study (it holds other tables)");
    exec(db, path, kSchema);
    // Constants, not values: PRAGMAs take no bound parameters.
    exec(db, path, ("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
    exec(db, path, ("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
    tx.commit();
}

} // namespace

StudyStore::StudyStore(const std::string &dir, WaitNotice notice)
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
        sqlite3_busy_handler(m_db, &StudyStore::onBusy, this);
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
int StudyStore::onBusy(void *self, int count) {
    auto *store = static_cast<StudyStore *>(self);
    const double now =
        std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    if (count == 0) store->m_busySince = now;
    const double waitedMs = (now - store->m_busySince) * 1000;
    if (waitedMs >= kBusyTimeoutMs) return 0; // SQLITE_BUSY for the caller
    if (store->m_notice && waitedMs >= kWaitNoticeMs &&
        (now - store->m_noticeSaidAt) * 1000 >= kWaitNoticeRepeatMs) {
        store->m_noticeSaidAt = now;
        store->m_notice(store->m_path +
                        ": another process holds the study's lock (a tune in the same --dir, "
                        "or an open sqlite3 shell?); waiting for it");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1 + count, 20)));
    return 1;
}

StudyStore::~StudyStore() {
    sqlite3_close_v2(m_db);
}

std::string StudyStore::path() const {
    return m_path;
}

void StudyStore::setValue(const std::string &key, const std::string &value) {
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    Stmt s(m_db, m_path,
           "INSERT INTO kv(key, value) VALUES (?1, ?2) "
           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, key).bind(2, value).run();
    tx.commit();
}

std::optional<std::string> StudyStore::value(const std::string &key) const {
    Lock lock(m_db);
    Stmt s(m_db, m_path, "SELECT value FROM kv WHERE key = ?1");
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

std::optional<Trial> StudyStore::createTrial(
    const std::function<std::optional<Trial>(const std::vector<Trial> &)> &decide) {
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    const std::vector<Trial> history = loadTrials(m_db, m_path, std::nullopt);
    std::optional<Trial> next = decide(history);
    if (!next) {
        tx.commit(); // whatever `decide` itself stored (oracle state) is kept
        return std::nullopt;
    }

    const int id = pragmaInt(m_db, m_path, "SELECT COALESCE(MAX(id), 0) + 1 FROM trials");
    next->id = id;
    next->status = TrialStatus::Running;
    // A RUNNING trial without a worker counts as abandoned (reclaimAbandoned), so it is
    // always owned by someone: by default, this process.
    if (next->worker.empty()) next->worker = currentWorkerName();
    if (next->startedAt == 0) next->startedAt = now();

    Stmt s(m_db, m_path,
           "INSERT INTO trials(id, status, params, score, epochs, continue_from, bracket, rung, "
           "started_at, finished_at, error, run_dir, worker) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    s.bind(1, id)
        .bind(2, std::string(trialStatusName(next->status)))
        .bind(3, paramsToJson(next->params).dump())
        .bindReal(4, next->score)
        .bind(5, next->epochs)
        .bind(6, next->continueFrom)
        .bind(7, next->bracket)
        .bind(8, next->rung)
        .bindReal(9, next->startedAt)
        .bindReal(10, next->finishedAt)
        .bind(11, next->error)
        .bind(12, next->runDir)
        .bind(13, next->worker)
        .run();
    for (size_t i = 0; i < next->values.size(); ++i)
        writeValue(m_db, m_path, id, static_cast<int>(i + 1), next->values[i]);
    tx.commit();
    return next;
}

void StudyStore::reportValue(int trialId, int epoch, double value) {
    if (epoch < 1)
        throw std::runtime_error(m_path + ": trial " + std::to_string(trialId) + ": epoch " +
                                 std::to_string(epoch) + " (epochs count from 1)");
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    requireTrial(m_db, m_path, trialId); // a clear message rather than a foreign-key failure
    writeValue(m_db, m_path, trialId, epoch, value);
    tx.commit();
}

void StudyStore::updateTrial(const Trial &trial) {
    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    Stmt s(m_db, m_path,
           "UPDATE trials SET status = ?2, params = ?3, score = ?4, epochs = ?5, "
           "continue_from = ?6, bracket = ?7, rung = ?8, started_at = ?9, finished_at = ?10, "
           "error = ?11, run_dir = ?12, worker = ?13 WHERE id = ?1");
    s.bind(1, trial.id)
        .bind(2, std::string(trialStatusName(trial.status)))
        .bind(3, paramsToJson(trial.params).dump())
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
    if (sqlite3_changes(m_db) == 0)
        throw std::runtime_error(m_path + ": no trial " + std::to_string(trial.id));
    // Values are merged, never cleared: a caller holding a copy from before its last
    // reportValue() must not erase epochs it did not know about.
    for (size_t i = 0; i < trial.values.size(); ++i)
        writeValue(m_db, m_path, trial.id, static_cast<int>(i + 1), trial.values[i]);
    tx.commit();
}

std::vector<Trial> StudyStore::trials() const {
    Lock lock(m_db);
    return loadTrials(m_db, m_path, std::nullopt);
}

std::optional<Trial> StudyStore::trial(int id) const {
    Lock lock(m_db);
    std::vector<Trial> found = loadTrials(m_db, m_path, id);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<Trial> StudyStore::reclaimAbandoned(const std::string &worker) {
    const std::string host = hostName();
    // Only processes on this host can be checked; a pid that cannot be signalled for lack of
    // permission (EPERM) still exists, so only ESRCH counts as gone.
    const auto abandoned = [&](const std::string &owner) {
        if (owner.empty()) return true;
        if (owner == worker) return false;
        const size_t colon = owner.rfind(':');
        if (colon == std::string::npos || owner.substr(0, colon) != host) return false;
        const std::string pidText = owner.substr(colon + 1);
        if (pidText.empty() || pidText.find_first_not_of("0123456789") != std::string::npos ||
            pidText.size() > 9)
            return false;
        const pid_t pid = static_cast<pid_t>(std::stol(pidText));
        if (pid <= 0) return false;
        return kill(pid, 0) != 0 && errno == ESRCH;
    };

    Lock lock(m_db);
    WriteTransaction tx(m_db, m_path);
    std::vector<Trial> reclaimed;
    {
        Stmt s(m_db, m_path,
               (std::string(kTrialColumns) + " WHERE status = 'RUNNING' ORDER BY id").c_str());
        while (s.step()) {
            if (abandoned(s.text(12))) reclaimed.push_back(trialFromRow(s, m_path));
        }
    }
    const double startedAt = now();
    for (Trial &t : reclaimed) {
        // The trial runs again from scratch: its old values and score would mix two runs.
        Stmt del(m_db, m_path, "DELETE FROM trial_values WHERE trial_id = ?1");
        del.bind(1, t.id).run();
        Stmt up(m_db, m_path,
                "UPDATE trials SET worker = ?2, started_at = ?3, score = NULL WHERE id = ?1");
        up.bind(1, t.id).bind(2, worker).bindReal(3, startedAt).run();
        t.worker = worker;
        t.startedAt = startedAt;
        t.score.reset();
        t.values.clear();
    }
    tx.commit();
    return reclaimed;
}

std::string currentWorkerName() {
    return hostName() + ":" + std::to_string(getpid());
}

} // namespace trainscope
