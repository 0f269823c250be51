// Private to core/tune: the SQLite backend's statement, lock and transaction helpers, each
// failure thrown as std::runtime_error naming the file first.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

namespace trainscope::sqlite {

// BEGIN IMMEDIATE's retries after the busy handler gave up.
constexpr int kBeginRetries = 4;

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
[[noreturn]] inline void fail(const std::string &path, const std::string &what, sqlite3 *db) {
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

inline void exec(sqlite3 *db, const std::string &path, const char *sql) {
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

} // namespace trainscope::sqlite
