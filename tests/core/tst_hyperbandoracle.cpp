// Hyperband: bracket and rung sizes, promotions of the best with their checkpoint, waiting for
// a rung, completion; for both objective directions.
#include "core/jobs/jobspec.h"
#include "core/tune/oracle.h"

#include <QtTest>
#include <map>
#include <set>

using namespace trainscope;

namespace {

SearchSpace space() {
    Param x;
    x.name = "x";
    x.kind = ParamKind::Float;
    x.min = 0;
    x.max = 1;
    return SearchSpace({x});
}

double xOf(const Trial &t) {
    return std::get<double>(t.params.at("x"));
}

// Suggestions taken one at a time; each trial completes at once with score x.
std::vector<Trial> runAll(Oracle &oracle) {
    std::vector<Trial> trials;
    while (!oracle.finished(trials)) {
        std::optional<Suggestion> s = oracle.suggest(trials);
        if (!s) break;
        Trial t;
        t.id = int(trials.size()) + 1;
        t.params = s->params;
        t.epochs = s->epochs;
        t.continueFrom = s->continueFrom;
        t.bracket = s->bracket;
        t.rung = s->rung;
        t.status = TrialStatus::Completed;
        t.score = xOf(t);
        trials.push_back(t);
    }
    return trials;
}

} // namespace

class TestHyperband : public QObject {
    Q_OBJECT
private slots:
    void bracketsRungsAndPromotions() {
        OracleSpec spec;
        spec.type = "hyperband";
        spec.seed = 5;
        spec.maxEpochs = 27;
        spec.factor = 3;
        const auto oracle = makeOracle(spec, space(), Objective{"score", true});
        const std::vector<Trial> trials = runAll(*oracle);
        QVERIFY(oracle->finished(trials));
        // (bracket, rung) -> (count, epochs): Li et al.'s table for R = 27, eta = 3.
        std::map<std::pair<int, int>, std::pair<int, int>> seen;
        for (const Trial &t : trials) {
            auto &[count, epochs] = seen[{t.bracket, t.rung}];
            ++count;
            epochs = t.epochs;
        }
        const std::map<std::pair<int, int>, std::pair<int, int>> expected = {
            {{0, 0}, {27, 1}}, {{0, 1}, {9, 3}}, {{0, 2}, {3, 9}},  {{0, 3}, {1, 27}},
            {{1, 0}, {12, 3}}, {{1, 1}, {4, 9}}, {{1, 2}, {1, 27}}, {{2, 0}, {6, 9}},
            {{2, 1}, {2, 27}}, {{3, 0}, {4, 27}}};
        QCOMPARE(seen, expected);
        QCOMPARE(trials.size(), size_t(69));
        // Rung 1 of bracket 0 continues the 9 best of its rung 0, each once.
        std::vector<double> rung0;
        for (const Trial &t : trials)
            if (t.bracket == 0 && t.rung == 0) rung0.push_back(xOf(t));
        std::sort(rung0.rbegin(), rung0.rend());
        for (const Trial &t : trials)
            if (t.bracket == 0 && t.rung == 1) {
                QVERIFY(t.continueFrom > 0);
                const Trial &from = trials[size_t(t.continueFrom - 1)];
                QCOMPARE(from.rung, 0);
                QCOMPARE(t.params, from.params);
                QVERIFY(xOf(from) >= rung0[8]);
            }
    }

    void minimisingPromotesTheLowest() {
        OracleSpec spec;
        spec.type = "hyperband";
        spec.maxEpochs = 9;
        spec.factor = 3;
        const auto oracle = makeOracle(spec, space(), Objective{"loss", false});
        const std::vector<Trial> trials = runAll(*oracle);
        double worstPromoted = -1, bestLeft = 2;
        std::set<int> promoted;
        for (const Trial &t : trials)
            if (t.bracket == 0 && t.rung == 1) promoted.insert(t.continueFrom);
        for (const Trial &t : trials)
            if (t.bracket == 0 && t.rung == 0)
                (promoted.count(t.id) ? worstPromoted : bestLeft) =
                    promoted.count(t.id) ? std::max(worstPromoted, xOf(t))
                                         : std::min(bestLeft, xOf(t));
        QCOMPARE(promoted.size(), size_t(3));
        QVERIFY(worstPromoted < bestLeft);
    }

    void aRungWaitsForItsTrialsWhileAnotherBracketStarts() {
        OracleSpec spec;
        spec.type = "hyperband";
        spec.maxEpochs = 9;
        spec.factor = 3;
        const auto oracle = makeOracle(spec, space(), Objective{"score", true});
        std::vector<Trial> trials;
        for (int i = 0; i < 9; ++i) { // bracket 0's rung 0, all still running
            const std::optional<Suggestion> s = oracle->suggest(trials);
            QVERIFY(s);
            QCOMPARE(s->bracket, 0);
            Trial t;
            t.id = i + 1;
            t.params = s->params;
            t.bracket = s->bracket;
            t.rung = s->rung;
            trials.push_back(t);
        }
        const std::optional<Suggestion> other = oracle->suggest(trials);
        QVERIFY(other);
        QCOMPARE(other->bracket, 1); // not bracket 0's promotions: its rung is not whole
        QCOMPARE(other->rung, 0);
        QVERIFY(!oracle->finished(trials));
        try {
            spec.factor = 1;
            makeOracle(spec, space(), Objective{});
            QFAIL("factor 1 accepted");
        } catch (const SpecError &e) {
            QCOMPARE(e.field(), std::string("oracle.factor"));
        }
    }

    void waitsWhenNoBracketCanStart() {
        // max_epochs 3, factor 3: bracket 0 runs 3 configurations at 1 epoch and continues the
        // best at 3; bracket 1 runs 2 at 3 epochs.
        OracleSpec spec;
        spec.type = "hyperband";
        spec.maxEpochs = 3;
        spec.factor = 3;
        const auto oracle = makeOracle(spec, space(), Objective{"score", true});
        std::vector<Trial> trials;
        const std::vector<std::pair<int, int>> expected = {{0, 1}, {0, 1}, {0, 1}, {1, 3}, {1, 3}};
        for (const auto &[bracket, epochs] : expected) {
            const std::optional<Suggestion> s = oracle->suggest(trials);
            QVERIFY(s);
            QCOMPARE(s->bracket, bracket);
            QCOMPARE(s->rung, 0);
            QCOMPARE(s->epochs, epochs);
            QCOMPARE(s->continueFrom, 0);
            Trial t;
            t.id = int(trials.size()) + 1;
            t.params = s->params;
            t.epochs = s->epochs;
            t.bracket = s->bracket;
            t.rung = s->rung;
            trials.push_back(t);
        }
        // Everything started, bracket 0's rung still running: nothing to do.
        QVERIFY(!oracle->suggest(trials));
        QVERIFY(!oracle->finished(trials));
        // Its trials finish (the best one second; the third fails): the promotion comes.
        trials[0].status = TrialStatus::Completed;
        trials[0].score = 0.5;
        trials[1].status = TrialStatus::Completed;
        trials[1].score = 0.9;
        QVERIFY(!oracle->suggest(trials)); // one still running
        trials[2].status = TrialStatus::Failed;
        const std::optional<Suggestion> promotion = oracle->suggest(trials);
        QVERIFY(promotion);
        QCOMPARE(promotion->bracket, 0);
        QCOMPARE(promotion->rung, 1);
        QCOMPARE(promotion->epochs, 3);
        QCOMPARE(promotion->continueFrom, 2);
        QCOMPARE(promotion->params, trials[1].params);
        // A fresh oracle given the same history decides the same (a resumed sweep).
        const auto resumed = makeOracle(spec, space(), Objective{"score", true});
        QCOMPARE(resumed->suggest(trials)->continueFrom, 2);
    }

    void finishedAfterTheIterations() {
        OracleSpec spec;
        spec.type = "hyperband";
        spec.seed = 11;
        spec.maxEpochs = 9;
        spec.factor = 3;
        const auto once = makeOracle(spec, space(), Objective{"score", true});
        const size_t single = runAll(*once).size();
        QCOMPARE(single, size_t(9 + 3 + 1 + 5 + 1 + 3)); // brackets of 9, 5 and 3 configurations
        spec.iterations = 2;
        const auto twice = makeOracle(spec, space(), Objective{"score", true});
        const std::vector<Trial> trials = runAll(*twice);
        QCOMPARE(trials.size(), 2 * single);
        std::set<int> brackets;
        for (const Trial &t : trials)
            brackets.insert(t.bracket);
        QCOMPARE(brackets, (std::set<int>{0, 1, 2, 3, 4, 5})); // numbered on across iterations
        QVERIFY(twice->finished(trials));
        QVERIFY(!twice->suggest(trials));
        // Not finished one trial earlier, while the last one runs.
        std::vector<Trial> running = trials;
        running.back().status = TrialStatus::Running;
        running.back().score.reset();
        QVERIFY(!twice->finished(running));
        QVERIFY(!twice->suggest(running));
        // No configuration twice among the first rungs.
        std::set<double> started;
        for (const Trial &t : trials)
            if (t.rung == 0) QVERIFY(started.insert(xOf(t)).second);
    }
};

QTEST_APPLESS_MAIN(TestHyperband)
#include "tst_hyperbandoracle.moc"
