#include "core/tune/pgsession.h"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

namespace trainscope::pg {

namespace {

// The server went away or the transaction must run again: transact() re-runs it whole.
struct Retry : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

} // namespace

Param num(double v) {
    if (std::isnan(v)) return std::string("NaN");
    if (std::isinf(v)) return std::string(v > 0 ? "Infinity" : "-Infinity");
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v); // shortest exact, no locale
    return std::string(buf, r.ptr);
}
Param num(const std::optional<double> &v) {
    return v ? num(*v) : Param();
}
Param num(int v) {
    return std::to_string(v);
}

std::string shownUri(const std::string &uri) {
    std::string out = uri;
    const size_t scheme = out.find("://");
    if (scheme != std::string::npos) {
        const size_t start = scheme + 3;
        const size_t end = out.find_first_of("/?", start);
        const size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
        if (at != std::string::npos && at >= start) {
            const size_t colon = out.find(':', start);
            if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
        }
    }
    for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=")) {
        size_t from = p;
        if (from > 0 && (out[from - 1] == '&' || out[from - 1] == '?')) --from;
        const size_t end = out.find('&', p);
        out.erase(from, end == std::string::npos ? std::string::npos : end - from);
        if (from < out.size() && out[from] == '&' && (from == 0 || out[from - 1] != '?'))
            out[from] = out.find('?') < from ? '&' : '?';
    }
    return out;
}

Result::~Result() {
    PQclear(m_r);
}
int Result::rows() const {
    return PQntuples(m_r);
}
bool Result::isNull(int row, int col) const {
    return PQgetisnull(m_r, row, col) != 0;
}
std::string Result::text(int row, int col) const {
    return std::string(PQgetvalue(m_r, row, col), static_cast<size_t>(PQgetlength(m_r, row, col)));
}
long long Result::integer(int row, int col) const {
    long long v = 0;
    const char *p = PQgetvalue(m_r, row, col);
    std::from_chars(p, p + PQgetlength(m_r, row, col), v);
    return v;
}
double Result::real(int row, int col) const {
    double v = std::numeric_limits<double>::quiet_NaN();
    const char *p = PQgetvalue(m_r, row, col);
    std::from_chars(p, p + PQgetlength(m_r, row, col), v);
    return v;
}
long long Result::affected() const {
    const char *n = PQcmdTuples(m_r);
    return *n ? std::stoll(n) : 0;
}

Session::Session(const std::string &uri, StudyStore::WaitNotice notice)
    : m_uri(uri)
    , m_shown(shownUri(uri))
    , m_notice(std::move(notice)) {
    char *err = nullptr;
    PQconninfoOption *opts = PQconninfoParse(uri.c_str(), &err);
    if (!opts) {
        const std::string why = err ? trimmed(err) : std::string("cannot parse it");
        PQfreemem(err);
        throw std::runtime_error(m_shown + ": not a PostgreSQL URI: " + why);
    }
    PQconninfoFree(opts);
    // Not retried: a wrong URI or a server that is not there should be said at once.
    const std::string why = connect();
    if (!why.empty()) throw std::runtime_error(m_shown + ": cannot connect: " + why);
}

Session::~Session() {
    if (m_conn) PQfinish(m_conn);
}

std::string Session::connect() {
    // Defaults first: what the URI says itself overrides them.
    // Keepalives: over TCP a server that vanished without a word is noticed in ~25 s.
    const char *keys[] = {"connect_timeout",
                          "application_name",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "dbname",
                          nullptr};
    const char *values[] = {"10", "trainscope", "10", "5", "3", m_uri.c_str(), nullptr};
    m_conn = PQconnectdbParams(keys, values, 1);
    if (!m_conn) return "out of memory";
    if (PQstatus(m_conn) != CONNECTION_OK) {
        const std::string why = trimmed(PQerrorMessage(m_conn));
        PQfinish(m_conn);
        m_conn = nullptr;
        return why.empty() ? std::string("cannot connect") : why;
    }
    // IF NOT EXISTS says NOTICEs that would go to stderr; errors come as results anyway.
    PQsetNoticeProcessor(
        m_conn, [](void *, const char *) {}, nullptr);
    PQclear(PQexec(m_conn, "SET extra_float_digits = 3"));
    return "";
}

Result Session::exec(const std::string &sql, const std::vector<Param> &params) {
    if (!m_conn) throw Retry("no connection");
    std::vector<const char *> values;
    for (const Param &p : params)
        values.push_back(p ? p->c_str() : nullptr);
    Result r(params.empty() ? PQexec(m_conn, sql.c_str())
                            : PQexecParams(m_conn, sql.c_str(), static_cast<int>(values.size()),
                                           nullptr, values.data(), nullptr, nullptr, 0));
    const ExecStatusType st = r.get() ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
    const char *state = r.get() ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state ? state : "";
    const std::string why =
        trimmed(r.get() && *PQresultErrorMessage(r.get()) ? PQresultErrorMessage(r.get())
                                                          : PQerrorMessage(m_conn));
    // Class 08: connection exceptions; 57P01-57P03: the server shutting down, crashed or
    // starting; 40001/40P01: serialisation failure, deadlock. All of them: run it again.
    if (PQstatus(m_conn) == CONNECTION_BAD || code.rfind("08", 0) == 0 ||
        code.rfind("57P0", 0) == 0 || code == "40001" || code == "40P01")
        throw Retry(why);
    std::string what = sql;
    if (what.size() > 80) what = what.substr(0, 77) + "...";
    throw std::runtime_error(m_shown + ": " + why + " (" + what + ")");
}

void Session::transact(const std::function<void()> &body) {
    std::lock_guard<std::recursive_mutex> lock(m_mutex);
    if (m_depth > 0) {
        const std::string sp = "nested" + std::to_string(m_depth);
        exec("SAVEPOINT " + sp);
        ++m_depth;
        try {
            body();
        } catch (const Retry &) {
            --m_depth;
            throw; // the outermost level re-runs everything
        } catch (...) {
            --m_depth;
            try {
                exec("ROLLBACK TO SAVEPOINT " + sp + "; RELEASE SAVEPOINT " + sp);
            } catch (const std::exception &) {
                // The outer transaction fails on its own next statement.
            }
            throw;
        }
        --m_depth;
        exec("RELEASE SAVEPOINT " + sp);
        return;
    }
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto saidAt = start - std::chrono::hours(1);
    double backoff = 0.02;
    for (;;) {
        std::string why;
        try {
            if (!m_conn) {
                why = connect();
                if (!why.empty()) throw Retry(why);
            }
            exec("BEGIN");
            m_depth = 1;
            body();
            m_depth = 0;
            exec("COMMIT");
            return;
        } catch (const Retry &e) {
            m_depth = 0;
            why = e.what();
            // Whatever state the connection is in, a fresh one is the way back.
            if (m_conn) PQfinish(m_conn);
            m_conn = nullptr;
        } catch (...) {
            m_depth = 0;
            if (m_conn && PQtransactionStatus(m_conn) != PQTRANS_IDLE)
                PQclear(PQexec(m_conn, "ROLLBACK"));
            throw;
        }
        const auto now = Clock::now();
        const double waited = std::chrono::duration<double>(now - start).count();
        if (waited >= StudyStore::kReconnectSeconds)
            throw std::runtime_error(
                m_shown + ": lost the connection to the server and could " + "not get it back in " +
                std::to_string(int(StudyStore::kReconnectSeconds)) + " s: " + why);
        if (m_notice &&
            now - saidAt >= std::chrono::milliseconds(StudyStore::kWaitNoticeRepeatMs)) {
            saidAt = now;
            m_notice(m_shown + ": lost the connection to the server (" + why +
                     "); reconnecting and retrying for up to " +
                     std::to_string(int(StudyStore::kReconnectSeconds)) + " s");
        }
        std::this_thread::sleep_for(std::chrono::duration<double>(backoff));
        backoff = std::min(backoff * 2, 1.0);
    }
}

} // namespace trainscope::pg
