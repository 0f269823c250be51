#include "core/tune/importance.h"

#include <QtTest>
#include <cmath>
#include <numeric>
#include <random>

using namespace trainscope;

namespace {

Param floatParam(const std::string &name, double min, double max, Scale scale = Scale::Linear) {
    Param p;
    p.name = name;
    p.kind = ParamKind::Float;
    p.min = min;
    p.max = max;
    p.scale = scale;
    return p;
}

Param choiceParam(const std::string &name, std::vector<ParamValue> choices) {
    Param p;
    p.name = name;
    p.kind = ParamKind::Choice;
    p.choices = std::move(choices);
    return p;
}

Trial completed(int id, Assignment params, double score) {
    Trial t;
    t.id = id;
    t.status = TrialStatus::Completed;
    t.params = std::move(params);
    t.score = score;
    return t;
}

double importanceOf(const std::vector<ParamImportance> &all, const std::string &name) {
    for (const ParamImportance &p : all)
        if (p.name == name) return p.importance;
    return -1;
}

double sum(const std::vector<ParamImportance> &all) {
    return std::accumulate(all.begin(), all.end(), 0.0,
                           [](double s, const ParamImportance &p) { return s + p.importance; });
}

} // namespace

class TestImportance : public QObject {
    Q_OBJECT
private slots:
    void aDrivingParameterOutranksNoise() {
        const SearchSpace space(
            {floatParam("lr", 1e-4, 1e-2, Scale::Log), floatParam("noise", 0, 1)});
        std::mt19937_64 rng(42);
        std::uniform_real_distribution<double> unit(0, 1);
        std::vector<Trial> trials;
        for (int i = 1; i <= 60; ++i) {
            const double lr = std::pow(10.0, -4 + 2 * unit(rng));
            const double noise = unit(rng);
            // Peaks at lr = 1e-3; the noise parameter moves the score by at most 0.01.
            const double score = 0.9 - 0.1 * std::pow(std::log10(lr) + 3, 2) + 0.01 * noise;
            trials.push_back(completed(i, {{"lr", lr}, {"noise", noise}}, score));
        }
        const auto result = parameterImportance(space, trials, Objective{});
        QCOMPARE(int(result.size()), 2);
        QCOMPARE(result[0].name, std::string("lr")); // most important first
        // A noise parameter explains a little by chance: bias-corrected, it stays small.
        QVERIFY2(importanceOf(result, "lr") > 0.8,
                 qPrintable(QString::number(importanceOf(result, "lr"))));
        QVERIFY(importanceOf(result, "noise") < 0.2);
        QCOMPARE(sum(result), 1.0);
    }

    void aChoiceThatDrivesTheScoreIsFound() {
        const SearchSpace space(
            {choiceParam("optimizer", {std::string("adam"), std::string("sgd")}),
             floatParam("dropout", 0, 0.5)});
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> unit(0, 1);
        std::vector<Trial> trials;
        for (int i = 1; i <= 30; ++i) {
            const bool adam = i % 2;
            const double dropout = 0.5 * unit(rng);
            const double score = (adam ? 0.88 : 0.70) + 0.02 * unit(rng); // dropout: no effect
            trials.push_back(completed(
                i, {{"optimizer", std::string(adam ? "adam" : "sgd")}, {"dropout", dropout}},
                score));
        }
        const auto result = parameterImportance(space, trials, Objective{"val/loss", false});
        QCOMPARE(result[0].name, std::string("optimizer"));
        QVERIFY(importanceOf(result, "optimizer") > 0.9);
        QVERIFY(importanceOf(result, "dropout") < 0.1);
    }

    void onlyCompletedScoredTrialsCount() {
        const SearchSpace space({floatParam("x", 0, 1), floatParam("y", 0, 1)});
        std::vector<Trial> trials;
        for (int i = 1; i <= 12; ++i)
            trials.push_back(completed(i, {{"x", i / 12.0}, {"y", (i * 7 % 12) / 12.0}}, i));
        // Failed, pruned and running trials that would make y look decisive are ignored.
        for (int i = 13; i <= 40; ++i) {
            Trial t = completed(i, {{"x", 0.5}, {"y", i % 2 ? 0.0 : 1.0}}, i % 2 ? -100 : 100);
            t.status = i % 3 == 0   ? TrialStatus::Failed
                       : i % 3 == 1 ? TrialStatus::Pruned
                                    : TrialStatus::Running;
            trials.push_back(t);
        }
        const auto result = parameterImportance(space, trials, Objective{});
        QCOMPARE(result[0].name, std::string("x"));
        QVERIFY(importanceOf(result, "x") > importanceOf(result, "y"));
    }

    void inactiveAndFixedParameters() {
        Param type = choiceParam("type", {std::string("a"), std::string("b")});
        Param momentum = floatParam("momentum", 0, 1);
        momentum.conditions.push_back({"type", {std::string("b")}});
        Param never = floatParam("never", 0, 1);
        never.conditions.push_back({"type", {std::string("c")}});
        Param fixed;
        fixed.name = "epochs";
        fixed.kind = ParamKind::Fixed;
        fixed.fixed = int64_t(5);
        type.choices.push_back(std::string("c")); // "never" is active only for "c"
        const SearchSpace space({type, momentum, never, fixed});
        std::vector<Trial> trials;
        for (int i = 1; i <= 20; ++i) {
            const bool b = i % 2;
            Assignment a{{"type", std::string(b ? "b" : "a")}, {"epochs", int64_t(5)}};
            if (b) a["momentum"] = (i % 5) / 5.0;
            trials.push_back(completed(i, a, b ? 0.9 : 0.5));
        }
        const auto result = parameterImportance(space, trials, Objective{});
        QCOMPARE(int(result.size()), 3); // the fixed parameter is not searched
        QCOMPARE(importanceOf(result, "epochs"), -1.0);
        QCOMPARE(importanceOf(result, "never"), 0.0);
        // Whether momentum is active at all is decided by "type": both explain the score.
        QVERIFY(importanceOf(result, "type") > 0.3);
        QCOMPARE(sum(result), 1.0);
    }

    // Below max(10, 2 x parameters) completed trials the report gives no numbers, only how
    // many it needs; failed and running trials do not count towards them.
    void aReportNeedsEnoughCompletedTrials() {
        const SearchSpace space({floatParam("x", 0, 1), floatParam("y", 0, 1)});
        QCOMPARE(minimumCompletedTrials(space), 10);
        std::vector<ParamValue> six;
        for (int i = 0; i < 6; ++i)
            six.push_back(int64_t(i));
        std::vector<Param> many;
        for (int i = 0; i < 7; ++i)
            many.push_back(floatParam("p" + std::to_string(i), 0, 1));
        many.push_back(choiceParam("c", six));
        QCOMPARE(minimumCompletedTrials(SearchSpace(many)), 16);

        std::vector<Trial> trials;
        for (int i = 1; i <= 4; ++i)
            trials.push_back(completed(i, {{"x", i / 4.0}, {"y", 0.5}}, i));
        Trial failed = completed(5, {{"x", 0.1}, {"y", 0.1}}, 9);
        failed.status = TrialStatus::Failed;
        trials.push_back(failed);
        ImportanceReport report = importanceReport(space, trials, Objective{});
        QCOMPARE(report.completed, 4);
        QCOMPARE(report.required, 10);
        QVERIFY(!report.enough());
        QVERIFY(report.params.empty());
        for (int i = 6; i <= 11; ++i)
            trials.push_back(completed(i, {{"x", (i % 5) / 5.0}, {"y", (i % 3) / 3.0}}, i % 5));
        report = importanceReport(space, trials, Objective{});
        QCOMPARE(report.completed, 10);
        QVERIFY(report.enough());
        QCOMPARE(int(report.params.size()), 2);
    }

    // score = 1 - (x - 0.3)^2 + tiny noise: x matters, y does not. The bootstrap range of x sits
    // well above y's, and one more trial leaves both inside their ranges.
    void aReportGivesEachEstimateItsUncertainty() {
        const SearchSpace space({floatParam("x", 0, 1), floatParam("y", 0, 1)});
        std::mt19937_64 rng(3);
        std::uniform_real_distribution<double> unit(0, 1);
        std::vector<Trial> trials;
        for (int i = 1; i <= 41; ++i) {
            const double x = unit(rng), y = unit(rng);
            const double score = 1 - (x - 0.3) * (x - 0.3) + 0.01 * unit(rng);
            trials.push_back(completed(i, {{"x", x}, {"y", y}}, score));
        }
        const std::vector<Trial> forty(trials.begin(), trials.end() - 1);
        const ImportanceReport report = importanceReport(space, forty, Objective{});
        QVERIFY(report.enough());
        QCOMPARE(report.params[0].name, std::string("x"));
        const ParamImportance &x = report.params[0], &y = report.params[1];
        QVERIFY2(x.importance > 0.85, qPrintable(QString::number(x.importance)));
        QVERIFY(y.importance < 0.15);
        QVERIFY2(x.stddev > 0 && x.stddev < 0.15, qPrintable(QString::number(x.stddev)));
        QVERIFY(x.low <= x.importance && x.importance <= x.high);
        QVERIFY2(x.low > y.high, qPrintable(QString("%1 %2").arg(x.low).arg(y.high)));
        // Deterministic: the same trials, the same report.
        QCOMPARE(importanceReport(space, forty, Objective{}).params[0].low, x.low);

        const ImportanceReport more = importanceReport(space, trials, Objective{});
        QCOMPARE(more.params[0].name, std::string("x"));
        QVERIFY(more.params[0].importance >= x.low - 0.02 &&
                more.params[0].importance <= x.high + 0.02);

        // Pure noise: neither parameter explains the score, and the report says how unsure it
        // is: a wide range, the kind that flips from one trial to the next.
        std::vector<Trial> noise;
        for (int i = 1; i <= 12; ++i)
            noise.push_back(completed(i, {{"x", unit(rng)}, {"y", unit(rng)}}, unit(rng)));
        const ImportanceReport unsure = importanceReport(space, noise, Objective{});
        // (Here one parameter gets 100 % with a 0..100 % range: the number alone misleads.)
        QVERIFY2(unsure.params[0].high - unsure.params[0].low > 0.5,
                 qPrintable(QString::number(unsure.params[0].high - unsure.params[0].low)));
    }

    void tooFewOrEqualScoresGiveZeros() {
        const SearchSpace space({floatParam("x", 0, 1)});
        std::vector<Trial> two{completed(1, {{"x", 0.1}}, 1), completed(2, {{"x", 0.9}}, 2)};
        QCOMPARE(parameterImportance(space, two, Objective{})[0].importance, 0.0);
        std::vector<Trial> flat;
        for (int i = 1; i <= 10; ++i)
            flat.push_back(completed(i, {{"x", i / 10.0}}, 0.5));
        QCOMPARE(parameterImportance(space, flat, Objective{})[0].importance, 0.0);
        QCOMPARE(parameterImportance(space, {}, Objective{})[0].name, std::string("x"));
    }
};

QTEST_GUILESS_MAIN(TestImportance)
#include "tst_importance.moc"
