// A fresh study on either backend for the study-store tests: a temporary directory (SQLite)
// or a uniquely named study in the database TRAINSCOPE_TEST_POSTGRES names (PostgreSQL).
#pragma once

#include "core/tune/studystore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace trainscope::test {

struct TestStudy {
    QTemporaryDir tmp;
    bool postgres = false;
    std::string location; // the directory or the URI
    std::string name;     // the study name (PostgreSQL); "default" for SQLite
};

inline const char *postgresUri() {
    const char *uri = std::getenv("TRAINSCOPE_TEST_POSTGRES");
    return uri && *uri ? uri : nullptr;
}

inline constexpr const char *kNoPostgres =
    "TRAINSCOPE_TEST_POSTGRES is not set (make test sets it: tests/support/pgcluster.sh run ...)";

// Rows "sqlite" and "postgresql" of a data-driven test's "backend" column.
inline void addBackendRows() {
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QString("sqlite");
    QTest::newRow("postgresql") << QString("postgresql");
}

// A name no earlier run of any test used, so studies never mix in a shared database.
inline std::string uniqueStudyName(const std::string &prefix) {
    static int counter = 0;
    std::random_device rd;
    return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + "-" +
           std::to_string(rd() % 1000000);
}

// Null when PostgreSQL is asked for and not available: the caller skips.
inline std::unique_ptr<TestStudy> makeStudy(const QString &backend) {
    auto s = std::make_unique<TestStudy>();
    if (backend == "postgresql") {
        if (!postgresUri()) return nullptr;
        s->postgres = true;
        s->location = postgresUri();
        s->name = uniqueStudyName(QTest::currentTestFunction());
    } else {
        s->location = s->tmp.path().toStdString();
        s->name = StudyStore::kDefaultStudyName;
    }
    return s;
}

using Decide = std::function<std::optional<Trial>(const std::vector<Trial> &)>;

// createTrial's decision: a trial with these params.
inline Decide withParams(Assignment params) {
    return [params](const std::vector<Trial> &) {
        Trial t;
        t.params = params;
        return std::optional<Trial>(t);
    };
}

// What `f` threw (std::runtime_error), or "no error".
inline std::string errorOf(const std::function<void()> &f) {
    try {
        f();
    } catch (const std::runtime_error &e) {
        return e.what();
    }
    return "no error";
}

} // namespace trainscope::test

// Fetches the row's backend and opens a fresh study `s` on it, or skips.
#define TRAINSCOPE_STUDY(s)                                                                        \
    QFETCH(QString, backend);                                                                      \
    const auto s = trainscope::test::makeStudy(backend);                                           \
    if (!s) QSKIP(trainscope::test::kNoPostgres)
