#include "core/jobs/jobspec.h"
#include "core/tune/oracle.h"

#include <QtTest>
#include <set>

using namespace trainscope;

namespace {

Param param(const std::string &name, ParamKind kind, double min = 0, double max = 1,
            double step = 0) {
    Param p;
    p.name = name;
    p.kind = kind;
    p.min = min;
    p.max = max;
    p.step = step;
    return p;
}

// 2 x 3 = 6 configurations.
SearchSpace smallSpace() {
    Param type = param("type", ParamKind::Choice);
    type.choices = {std::string("adam"), std::string("sgd")};
    return SearchSpace({type, param("units", ParamKind::Int, 1, 3)});
}

SearchSpace continuousSpace() {
    Param lr = param("lr", ParamKind::Float, 1e-4, 1e-1);
    lr.scale = Scale::Log;
    return SearchSpace({lr, param("units", ParamKind::Int, 1, 100)});
}

std::unique_ptr<Oracle> oracle(const std::string &type, const SearchSpace &space, uint64_t seed = 0,
                               bool allowDuplicates = false) {
    OracleSpec spec;
    spec.type = type;
    spec.seed = seed;
    spec.allowDuplicates = allowDuplicates;
    return makeOracle(spec, space, Objective{});
}

Trial trialOf(int id, const Assignment &params, TrialStatus status = TrialStatus::Completed) {
    Trial t;
    t.id = id;
    t.params = params;
    t.status = status;
    return t;
}

// Asks `o` for `n` trials, adding each to the history as it comes.
std::vector<Trial> run(Oracle &o, int n, std::vector<Trial> history = {}) {
    for (int i = 0; i < n; ++i) {
        const auto s = o.suggest(history);
        if (!s) break;
        history.push_back(trialOf(int(history.size()) + 1, s->params));
    }
    return history;
}

std::string keysOf(const SearchSpace &space, const std::vector<Trial> &trials) {
    std::string out;
    for (const Trial &t : trials)
        out += space.key(t.params) + "\n";
    return out;
}

} // namespace

class TestOracle : public QObject {
    Q_OBJECT

private slots:
    void randomIsReproducible() {
        const SearchSpace space = continuousSpace();
        const auto a = oracle("random", space, 5), b = oracle("random", space, 5),
                   c = oracle("random", space, 6);
        const std::vector<Trial> ha = run(*a, 10), hb = run(*b, 10), hc = run(*c, 10);
        QCOMPARE(ha.size(), size_t(10));
        QCOMPARE(keysOf(space, ha), keysOf(space, hb));
        QVERIFY(keysOf(space, ha) != keysOf(space, hc));
        // A resumed sweep (a fresh oracle on the first 6 trials) continues identically.
        const auto resumed = oracle("random", space, 5);
        const std::vector<Trial> first6(ha.begin(), ha.begin() + 6);
        QCOMPARE(keysOf(space, run(*resumed, 4, first6)), keysOf(space, ha));
        // The suggestion depends on the history's length: the next one differs.
        QVERIFY(space.key(a->suggest({})->params) != space.key(a->suggest(first6)->params));
        for (const Trial &t : ha) {
            const double lr = std::get<double>(t.params.at("lr"));
            QVERIFY(lr >= 1e-4 && lr <= 1e-1);
        }
        QVERIFY(!a->finished(ha));
    }

    void randomAvoidsDuplicates() {
        const SearchSpace space = smallSpace();
        const auto o = oracle("random", space, 3);
        const std::vector<Trial> history = run(*o, 20);
        QCOMPARE(history.size(), size_t(6)); // all six, then nothing new
        std::set<std::string> keys;
        for (const Trial &t : history)
            keys.insert(space.key(t.params));
        QCOMPARE(keys.size(), size_t(6));
        QVERIFY(!o->suggest(history));
        QVERIFY(o->finished(history));
        QVERIFY(!o->finished(std::vector<Trial>(history.begin(), history.end() - 1)));
        // Failed trials count as tried too.
        std::vector<Trial> failed = history;
        failed.back().status = TrialStatus::Failed;
        QVERIFY(o->finished(failed));
        // Unless duplicates are allowed.
        const auto dup = oracle("random", space, 3, true);
        QCOMPARE(run(*dup, 20).size(), size_t(20));
        QVERIFY(!dup->finished(history));
    }

    void gridWalksInOrder() {
        const SearchSpace space = smallSpace();
        const auto o = oracle("grid", space);
        const std::vector<Assignment> grid = space.grid();
        QCOMPARE(grid.size(), size_t(6));
        const std::vector<Trial> history = run(*o, 100);
        QCOMPARE(history.size(), size_t(6));
        for (size_t i = 0; i < grid.size(); ++i)
            QCOMPARE(space.key(history[i].params), space.key(grid[i]));
        QCOMPARE(history[0].params.at("type"), ParamValue(std::string("adam")));
        QCOMPARE(history[0].params.at("units"), ParamValue(int64_t(1)));
        QCOMPARE(history[1].params.at("units"), ParamValue(int64_t(2)));
        QCOMPARE(history[3].params.at("type"), ParamValue(std::string("sgd")));
        QVERIFY(o->finished(history));
        QVERIFY(!o->suggest(history));
        QVERIFY(!o->finished({}));

        // Tried combinations are skipped wherever they are in the history.
        const std::vector<Trial> some = {trialOf(1, grid[0]), trialOf(2, grid[2]),
                                         trialOf(3, grid[1], TrialStatus::Running)};
        QCOMPARE(space.key(o->suggest(some)->params), space.key(grid[3]));
        // The same answer from a fresh oracle: a function of the history alone.
        QCOMPARE(space.key(oracle("grid", space)->suggest(some)->params), space.key(grid[3]));
    }

    void makeOracleChecksSettings() {
        try {
            oracle("grid", continuousSpace());
            QFAIL("expected a SpecError");
        } catch (const SpecError &e) {
            QCOMPARE(e.field(), std::string("space.lr"));
        }
        try {
            oracle("tpe", smallSpace());
            QFAIL("expected a SpecError");
        } catch (const SpecError &e) {
            QCOMPARE(
                std::string(e.what()),
                std::string("oracle.type: 'tpe' is not one of random, grid, bayesian, hyperband"));
        }
        OracleSpec hyperband;
        hyperband.type = "hyperband";
        hyperband.factor = 1;
        try {
            makeOracle(hyperband, smallSpace(), Objective{});
            QFAIL("expected a SpecError");
        } catch (const SpecError &e) {
            QCOMPARE(std::string(e.what()), std::string("oracle.factor: must be >= 2"));
        }
    }
};

QTEST_APPLESS_MAIN(TestOracle)
#include "tst_oracle.moc"
