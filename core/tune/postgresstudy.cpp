// The PostgreSQL backend: many studies in one database, shared by workers on many machines.
// A lost connection (server restart, pg_terminate_backend) is re-made and the transaction
// retried for up to StudyStore::kReconnectSeconds; tokens make a retried commit idempotent.
#include "core/tune/pgsession.h"
#include "core/tune/studybackend.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace trainscope {

namespace {

using P = pg::Param;
using pg::num;
using pg::Result;
using study::kSchemaVersion;

// Serialises schema creation across every client of the database ("TSSD").
constexpr long long kSchemaLockKey = 0x54535344;

const char *const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS trainscope_schema(version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS studies(
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS kv(
    study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (study_id, key));
CREATE TABLE IF NOT EXISTS trials(
    study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    id INTEGER NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('RUNNING', 'COMPLETED', 'PRUNED', 'FAILED', 'INVALID')),
    params TEXT NOT NULL,          -- JSON object, as in SQLite
    score DOUBLE PRECISION,        -- NULL: no score; NaN is a value here
    epochs INTEGER NOT NULL DEFAULT 0,
    continue_from INTEGER NOT NULL DEFAULT 0,
    bracket INTEGER NOT NULL DEFAULT -1,
    rung INTEGER NOT NULL DEFAULT -1,
    started_at DOUBLE PRECISION NOT NULL DEFAULT 0,
    finished_at DOUBLE PRECISION NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    run_dir TEXT NOT NULL DEFAULT '',
    worker TEXT NOT NULL DEFAULT '',
    heartbeat_at DOUBLE PRECISION, -- unix seconds by the server's clock
    token TEXT,
    retried_from INTEGER,
    change_token TEXT,
    PRIMARY KEY (study_id, id),
    UNIQUE (study_id, token),
    UNIQUE (study_id, retried_from));
CREATE INDEX IF NOT EXISTS trials_status ON trials(study_id, status);
CREATE TABLE IF NOT EXISTS trial_values(
    study_id INTEGER NOT NULL,
    trial_id INTEGER NOT NULL,
    epoch INTEGER NOT NULL CHECK (epoch >= 1),
    value DOUBLE PRECISION,
    PRIMARY KEY (study_id, trial_id, epoch),
    FOREIGN KEY (study_id, trial_id) REFERENCES trials(study_id, id) ON DELETE CASCADE);
)sql";

const char *const kTrialColumns =
    "SELECT id, status, params, score, epochs, continue_from, bracket, rung, started_at, "
    "finished_at, error, run_dir, worker, heartbeat_at, COALESCE(retried_from, 0) FROM trials ";
const char *const kServerNow = "extract(epoch from clock_timestamp())::double precision";

class PostgresStudy final : public StudyBackend {
public:
    PostgresStudy(const std::string &uri, const std::string &name, StudyStore::WaitNotice notice);

    std::string path() const override { return m_shown + " study " + m_name; }
    std::string studyName() const override { return m_name; }
    void setValue(const std::string &key, const std::string &value) override;
    std::optional<std::string> value(const std::string &key) override;
    std::optional<Trial> createTrial(const DecideTrial &decide) override;
    void reportValue(int trialId, int epoch, double value) override;
    void updateTrial(const Trial &trial) override;
    std::vector<Trial> trials(std::optional<int> only) override;
    std::vector<Trial> reclaimAbandoned(const std::string &worker) override;
    std::vector<int> heartbeat(const std::vector<int> &trialIds) override;
    std::vector<Trial> failStale(double graceSeconds) override;
    std::optional<Trial> retryTrial(const Trial &failed, const std::string &worker) override;

private:
    pg::Result exec(const std::string &sql, const std::vector<P> &params = {}) {
        return m_db.exec(sql, params);
    }
    void transact(const std::function<void()> &body) { m_db.transact(body); }
    void lockStudy(); // serialises createTrial, retryTrial, failStale, reclaimAbandoned
    std::vector<Trial> load(std::optional<int> only);
    std::vector<Trial> loadWhere(const std::string &where, const std::vector<P> &params);
    int nextId();
    void insertTrial(Trial &t, const std::string &token); // sets t.heartbeatAt
    // The trial an earlier try inserted with `token`, whose COMMIT's answer was lost: that
    // one stands, and the retried transaction inserts nothing.
    std::optional<Trial> insertedWith(const std::string &token);

    pg::Session m_db;
    std::string m_shown, m_name, m_sid;
};

PostgresStudy::PostgresStudy(const std::string &uri, const std::string &name,
                             StudyStore::WaitNotice notice)
    : m_db(uri, std::move(notice))
    , m_shown(m_db.shown())
    , m_name(name) {
    if (m_name.empty()) throw std::runtime_error(m_shown + ": the study name is empty");
    transact([&] {
        exec("SELECT pg_advisory_xact_lock(" + std::to_string(kSchemaLockKey) + ")");
        if (exec("SELECT to_regclass('trainscope_schema') IS NULL").text(0, 0) == "t") {
            if (exec("SELECT to_regclass('trials') IS NOT NULL").text(0, 0) == "t")
                throw std::runtime_error(m_shown + ": not a Trainscope database (it holds another "
                                                   "program's \"trials\" table)");
            exec(kSchema);
            exec("INSERT INTO trainscope_schema(version) VALUES ($1)", {num(kSchemaVersion)});
        }
        const Result v = exec("SELECT max(version) FROM trainscope_schema");
        const long long version = v.isNull(0, 0) ? 0 : v.integer(0, 0);
        if (version > kSchemaVersion)
            throw std::runtime_error(m_shown +
                                     ": written by a newer Trainscope (study schema version " +
                                     std::to_string(version) + "; this one reads up to " +
                                     std::to_string(kSchemaVersion) + ")");
        exec("INSERT INTO studies(name) VALUES ($1) ON CONFLICT (name) DO NOTHING", {m_name});
        m_sid = exec("SELECT id FROM studies WHERE name = $1", {m_name}).text(0, 0);
    });
}

void PostgresStudy::lockStudy() {
    exec("SELECT id FROM studies WHERE id = $1 FOR UPDATE", {m_sid});
}

std::vector<Trial> PostgresStudy::loadWhere(const std::string &where,
                                            const std::vector<P> &params) {
    const Result r = exec(kTrialColumns + where + " ORDER BY id", params);
    std::vector<Trial> trials;
    trials.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        Trial t;
        t.id = static_cast<int>(r.integer(i, 0));
        const std::string status = r.text(i, 1);
        const auto st = trialStatusFromName(status);
        if (!st)
            throw std::runtime_error(path() + ": trial " + std::to_string(t.id) +
                                     " has an unknown status \"" + status + "\"");
        t.status = *st;
        try {
            t.params = study::paramsFromJson(r.text(i, 2));
        } catch (const std::exception &e) {
            throw std::runtime_error(path() + ": trial " + std::to_string(t.id) +
                                     " has unreadable parameters: " + e.what());
        }
        if (!r.isNull(i, 3)) t.score = r.real(i, 3);
        t.epochs = static_cast<int>(r.integer(i, 4));
        t.continueFrom = static_cast<int>(r.integer(i, 5));
        t.bracket = static_cast<int>(r.integer(i, 6));
        t.rung = static_cast<int>(r.integer(i, 7));
        t.startedAt = r.real(i, 8);
        t.finishedAt = r.real(i, 9);
        t.error = r.text(i, 10);
        t.runDir = r.text(i, 11);
        t.worker = r.text(i, 12);
        if (!r.isNull(i, 13)) t.heartbeatAt = r.real(i, 13);
        t.retriedFrom = static_cast<int>(r.integer(i, 14));
        trials.push_back(std::move(t));
    }
    return trials;
}

std::vector<Trial> PostgresStudy::load(std::optional<int> only) {
    std::vector<Trial> trials =
        only ? loadWhere("WHERE study_id = $1 AND id = $2", {m_sid, num(*only)})
             : loadWhere("WHERE study_id = $1", {m_sid});
    if (trials.empty()) return trials;
    std::unordered_map<long long, size_t> index;
    for (size_t i = 0; i < trials.size(); ++i)
        index[trials[i].id] = i;
    const Result v =
        only ? exec("SELECT trial_id, epoch, value FROM trial_values WHERE study_id = $1 AND "
                    "trial_id = $2 ORDER BY epoch",
                    {m_sid, num(*only)})
             : exec("SELECT trial_id, epoch, value FROM trial_values WHERE study_id = $1 "
                    "ORDER BY trial_id, epoch",
                    {m_sid});
    for (int i = 0; i < v.rows(); ++i) {
        const auto it = index.find(v.integer(i, 0));
        if (it == index.end()) continue;
        study::putValue(trials[it->second], v.integer(i, 1),
                        v.isNull(i, 2) ? std::numeric_limits<double>::quiet_NaN() : v.real(i, 2));
    }
    return trials;
}

int PostgresStudy::nextId() {
    return static_cast<int>(
        exec("SELECT COALESCE(MAX(id), 0) + 1 FROM trials WHERE study_id = $1", {m_sid})
            .integer(0, 0));
}

void PostgresStudy::insertTrial(Trial &t, const std::string &token) {
    const Result r = exec(
        std::string("INSERT INTO trials(study_id, id, status, params, score, epochs, "
                    "continue_from, bracket, rung, started_at, finished_at, error, run_dir, "
                    "worker, heartbeat_at, token, retried_from) VALUES ($1, $2, $3, $4, $5, $6, "
                    "$7, $8, $9, $10, $11, $12, $13, $14, ") +
            kServerNow + ", $15, $16) RETURNING heartbeat_at",
        {m_sid, num(t.id), std::string(trialStatusName(t.status)), study::paramsToJson(t.params),
         num(t.score), num(t.epochs), num(t.continueFrom), num(t.bracket), num(t.rung),
         num(t.startedAt), num(t.finishedAt), t.error, t.runDir, t.worker, token,
         t.retriedFrom > 0 ? num(t.retriedFrom) : P()});
    t.heartbeatAt = r.real(0, 0);
    for (size_t i = 0; i < t.values.size(); ++i)
        exec("INSERT INTO trial_values(study_id, trial_id, epoch, value) VALUES ($1, $2, $3, $4) "
             "ON CONFLICT (study_id, trial_id, epoch) DO UPDATE SET value = excluded.value",
             {m_sid, num(t.id), num(static_cast<int>(i + 1)), num(t.values[i])});
}

void PostgresStudy::setValue(const std::string &key, const std::string &value) {
    transact([&] {
        exec("INSERT INTO kv(study_id, key, value) VALUES ($1, $2, $3) "
             "ON CONFLICT (study_id, key) DO UPDATE SET value = excluded.value",
             {m_sid, key, value});
    });
}

std::optional<std::string> PostgresStudy::value(const std::string &key) {
    std::optional<std::string> out;
    transact([&] {
        const Result r =
            exec("SELECT value FROM kv WHERE study_id = $1 AND key = $2", {m_sid, key});
        out = r.rows() ? std::optional<std::string>(r.text(0, 0)) : std::nullopt;
    });
    return out;
}

std::optional<Trial> PostgresStudy::insertedWith(const std::string &token) {
    const Result mine =
        exec("SELECT id FROM trials WHERE study_id = $1 AND token = $2", {m_sid, token});
    if (!mine.rows()) return std::nullopt;
    return load(static_cast<int>(mine.integer(0, 0))).front();
}

std::optional<Trial> PostgresStudy::createTrial(const DecideTrial &decide) {
    const std::string token = study::newToken();
    std::optional<Trial> out;
    transact([&] {
        out.reset();
        lockStudy();
        if ((out = insertedWith(token))) return;
        std::optional<Trial> next = decide(load(std::nullopt));
        if (!next) return; // whatever `decide` itself stored (oracle state) is kept
        study::fillNewTrial(*next, nextId());
        insertTrial(*next, token);
        out = std::move(next);
    });
    return out;
}

void PostgresStudy::reportValue(int trialId, int epoch, double value) {
    transact([&] {
        if (!exec("SELECT 1 FROM trials WHERE study_id = $1 AND id = $2", {m_sid, num(trialId)})
                 .rows())
            throw std::runtime_error(path() + ": no trial " + std::to_string(trialId));
        exec("INSERT INTO trial_values(study_id, trial_id, epoch, value) VALUES ($1, $2, $3, $4) "
             "ON CONFLICT (study_id, trial_id, epoch) DO UPDATE SET value = excluded.value",
             {m_sid, num(trialId), num(epoch), num(value)});
    });
}

void PostgresStudy::updateTrial(const Trial &trial) {
    // Absolute values: running it twice (a retried commit) leaves the same row.
    transact([&] {
        const Result r = exec(
            "UPDATE trials SET status = $3, params = $4, score = $5, epochs = $6, "
            "continue_from = $7, bracket = $8, rung = $9, started_at = $10, "
            "finished_at = $11, error = $12, run_dir = $13, worker = $14 "
            "WHERE study_id = $1 AND id = $2 AND NOT ($3 <> 'FAILED' AND status = 'FAILED' AND "
            "change_token IS NOT NULL AND error LIKE 'heartbeat lost: %')",
            {m_sid, num(trial.id), std::string(trialStatusName(trial.status)),
             study::paramsToJson(trial.params), num(trial.score), num(trial.epochs),
             num(trial.continueFrom), num(trial.bracket), num(trial.rung), num(trial.startedAt),
             num(trial.finishedAt), trial.error, trial.runDir, trial.worker});
        if (r.affected() == 0) {
            if (!exec("SELECT 1 FROM trials WHERE study_id = $1 AND id = $2",
                      {m_sid, num(trial.id)})
                     .rows())
                throw std::runtime_error(path() + ": no trial " + std::to_string(trial.id));
            throw std::runtime_error(path() + ": " + study::lateResultError(trial.id));
        }
        // Merged, never cleared, as in SQLite.
        for (size_t i = 0; i < trial.values.size(); ++i)
            exec("INSERT INTO trial_values(study_id, trial_id, epoch, value) VALUES ($1, $2, $3, "
                 "$4) ON CONFLICT (study_id, trial_id, epoch) DO UPDATE SET value = "
                 "excluded.value",
                 {m_sid, num(trial.id), num(static_cast<int>(i + 1)), num(trial.values[i])});
    });
}

std::vector<Trial> PostgresStudy::trials(std::optional<int> only) {
    std::vector<Trial> out;
    transact([&] { out = load(only); });
    return out;
}

std::vector<Trial> PostgresStudy::reclaimAbandoned(const std::string &worker) {
    const std::string host = study::hostName();
    const std::string token = study::newToken();
    std::vector<Trial> out;
    transact([&] {
        lockStudy();
        out = loadWhere("WHERE study_id = $1 AND change_token = $2", {m_sid, token});
        if (!out.empty()) return; // an earlier try committed
        const double at = study::now();
        for (Trial &t : loadWhere("WHERE study_id = $1 AND status = 'RUNNING'", {m_sid})) {
            if (!study::abandoned(t.worker, worker, host)) continue;
            exec("DELETE FROM trial_values WHERE study_id = $1 AND trial_id = $2",
                 {m_sid, num(t.id)});
            exec(std::string("UPDATE trials SET worker = $3, started_at = $4, score = NULL, "
                             "change_token = $5, heartbeat_at = ") +
                     kServerNow + " WHERE study_id = $1 AND id = $2",
                 {m_sid, num(t.id), worker, num(at), token});
            t.worker = worker;
            t.startedAt = at;
            t.score.reset();
            t.values.clear();
            out.push_back(std::move(t));
        }
    });
    return out;
}

std::vector<int> PostgresStudy::heartbeat(const std::vector<int> &trialIds) {
    std::string ids = "{";
    for (size_t i = 0; i < trialIds.size(); ++i)
        ids += (i ? "," : "") + std::to_string(trialIds[i]);
    ids += "}";
    std::vector<int> gone;
    transact([&] {
        const Result r = exec(std::string("UPDATE trials SET heartbeat_at = ") + kServerNow +
                                  " WHERE study_id = $1 AND id = ANY($2::integer[]) AND "
                                  "status = 'RUNNING' RETURNING id",
                              {m_sid, ids});
        std::vector<bool> alive(trialIds.size(), false);
        gone.clear();
        for (size_t k = 0; k < trialIds.size(); ++k) {
            for (int i = 0; i < r.rows(); ++i)
                alive[k] = alive[k] || r.integer(i, 0) == trialIds[k];
            if (!alive[k]) gone.push_back(trialIds[k]);
        }
    });
    return gone;
}

std::vector<Trial> PostgresStudy::failStale(double graceSeconds) {
    const std::string token = study::newToken();
    std::vector<Trial> out;
    // Idempotent as it stands: a re-run after an unknown commit fails nothing new and returns
    // the same unretried trials.
    transact([&] {
        lockStudy();
        const Result stale = exec(std::string("SELECT id, worker, ") + kServerNow +
                                      " - COALESCE(heartbeat_at, started_at) FROM trials WHERE "
                                      "study_id = $1 AND status = 'RUNNING' AND "
                                      "COALESCE(heartbeat_at, started_at) < " +
                                      kServerNow + " - $2 ORDER BY id",
                                  {m_sid, num(graceSeconds)});
        for (int i = 0; i < stale.rows(); ++i)
            exec(std::string("UPDATE trials SET status = 'FAILED', error = $3, change_token = $4, "
                             "finished_at = ") +
                     kServerNow + " WHERE study_id = $1 AND id = $2",
                 {m_sid, num(static_cast<int>(stale.integer(i, 0))),
                  study::staleError(stale.text(i, 1), stale.real(i, 2)), token});
        const Result unretried = exec(
            "SELECT id FROM trials t WHERE study_id = $1 AND status = 'FAILED' AND "
            "change_token IS NOT NULL AND error LIKE 'heartbeat lost: %' AND NOT EXISTS "
            "(SELECT 1 FROM trials r WHERE r.study_id = $1 AND r.retried_from = t.id) ORDER BY id",
            {m_sid});
        out.clear();
        for (int i = 0; i < unretried.rows(); ++i)
            out.push_back(load(static_cast<int>(unretried.integer(i, 0))).front());
    });
    return out;
}

std::optional<Trial> PostgresStudy::retryTrial(const Trial &failed, const std::string &worker) {
    const std::string token = study::newToken();
    std::optional<Trial> out;
    transact([&] {
        out.reset();
        lockStudy();
        if ((out = insertedWith(token))) return;
        const std::vector<Trial> stored = load(failed.id);
        if (stored.empty() || stored.front().status != TrialStatus::Failed) return;
        if (exec("SELECT 1 FROM trials WHERE study_id = $1 AND retried_from = $2",
                 {m_sid, num(failed.id)})
                .rows())
            return;
        Trial copy = study::retryOf(stored.front(), worker, nextId());
        insertTrial(copy, token);
        out = std::move(copy);
    });
    return out;
}

} // namespace

std::unique_ptr<StudyBackend> openPostgresStudy(const std::string &uri, const std::string &name,
                                                StudyStore::WaitNotice notice) {
    return std::make_unique<PostgresStudy>(uri, name, std::move(notice));
}

} // namespace trainscope
