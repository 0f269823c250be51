// Private to core/tune: one libpq connection that re-makes itself, and transactions on it
// re-run whole after the server went away (a restart, a dropped connection), for a while.
#pragma once

#include "core/tune/studystore.h"

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;   // libpq's PGconn
struct pg_result; // libpq's PGresult

namespace trainscope::pg {

using Param = std::optional<std::string>; // a statement's parameter: text, or NULL

// Doubles as PostgreSQL reads them back exactly (NaN and the infinities included).
Param num(double v);
Param num(const std::optional<double> &v);
Param num(int v);

// The URI as shown in messages: its password left out.
std::string shownUri(const std::string &uri);

// A statement's rows, in text form.
class Result {
public:
    explicit Result(pg_result *r)
        : m_r(r) {}
    ~Result();
    Result(Result &&o) noexcept
        : m_r(o.m_r) {
        o.m_r = nullptr;
    }
    Result(const Result &) = delete;
    Result &operator=(const Result &) = delete;

    pg_result *get() const { return m_r; }
    int rows() const;
    bool isNull(int row, int col) const;
    std::string text(int row, int col) const;
    long long integer(int row, int col) const;
    double real(int row, int col) const; // NaN, Infinity, -Infinity too
    long long affected() const;          // rows an UPDATE or DELETE changed

private:
    pg_result *m_r;
};

class Session {
public:
    // Checks the URI and connects, at once: a wrong URI or a server that is not there is said
    // now (std::runtime_error naming the URI without its password, and libpq's reason).
    Session(const std::string &uri, StudyStore::WaitNotice notice);
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    const std::string &shown() const { return m_shown; }
    // One statement (several when there are no parameters). A lost connection throws an
    // internal error that transact() catches; other errors, std::runtime_error.
    Result exec(const std::string &sql, const std::vector<Param> &params = {});
    // Runs `body` as one transaction (a savepoint when nested, from inside `decide`),
    // re-running it whole after a lost connection, with backoff, telling the notice, until
    // StudyStore::kReconnectSeconds have passed. `body` must be idempotent across re-runs.
    void transact(const std::function<void()> &body);

private:
    std::string connect(); // libpq's reason when the connection cannot be made, else ""

    std::string m_uri, m_shown;
    pg_conn *m_conn = nullptr;
    StudyStore::WaitNotice m_notice;
    std::recursive_mutex m_mutex; // threads sharing the store take turns on its connection
    int m_depth = 0;              // open transaction levels
};

} // namespace trainscope::pg
