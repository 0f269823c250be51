#include "core/tune/sweepspec.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace trainscope;

namespace {

// The issue's example (pipeline.pin_memory for the boolean: pipeline.cache is a string field).
const char *kExample = R"({
  "name": "fmnist-hyperband",
  "job": {"name": "fmnist", "model": {"type": "mlp", "hidden": [128]}, "training": {"epochs": 4}},
  "objective": {"metric": "val/accuracy", "direction": "max"},
  "space": [
    {"name": "optimizer.learning_rate", "type": "float", "min": 1e-4, "max": 1e-2, "sampling": "log"},
    {"name": "model.hidden", "type": "int", "min": 64, "max": 512, "step": 64},
    {"name": "model.dropout", "type": "float", "min": 0.0, "max": 0.5, "step": 0.1, "default": 0.2},
    {"name": "optimizer.type", "type": "choice", "values": ["adam", "sgd"], "ordered": false},
    {"name": "optimizer.momentum", "type": "float", "min": 0.5, "max": 0.99, "when": {"optimizer.type": ["sgd"]}},
    {"name": "training.batch_size", "type": "fixed", "value": 128},
    {"name": "pipeline.pin_memory", "type": "boolean"}
  ],
  "oracle": {"type": "bayesian", "seed": 1, "initial_points": 8, "acquisition": "ei"},
  "pruner": {"type": "median", "warmup_epochs": 1, "min_trials": 3},
  "max_trials": 20, "workers": 2, "executions_per_trial": 1, "max_consecutive_failed_trials": 3
})";

// A sweep around `space` (a JSON list) with `extra` top-level fields.
// A sweep spec; a command sweep gets an objective unless `extra` names one (it must have one).
std::string sweep(const std::string &space, std::string extra = "",
                  const std::string &source = R"("job": {"name": "j"})") {
    if (source.find("\"command\"") != std::string::npos &&
        extra.find("\"objective\"") == std::string::npos)
        extra += std::string(extra.empty() ? "" : ", ") +
                 R"("objective": {"metric": "score", "direction": "max"})";
    return "{" + source + R"(, "space": )" + space + (extra.empty() ? "" : ", " + extra) + "}";
}

std::string errorOf(const std::string &json) {
    try {
        SweepSpec::fromJson(json);
    } catch (const SpecError &e) {
        return e.what();
    }
    return "no error";
}

const std::string kLr =
    R"([{"name": "optimizer.learning_rate", "type": "float", "min": 1e-4, "max": 1e-2, "sampling": "log"}])";

} // namespace

class TestSweepSpec : public QObject {
    Q_OBJECT

private slots:
    void parsesTheExample() {
        const SweepSpec s = SweepSpec::fromJson(kExample);
        QCOMPARE(s.name, std::string("fmnist-hyperband"));
        QVERIFY(s.job);
        QCOMPARE(s.job->model.hidden, std::vector<int>{128});
        QVERIFY(s.command.empty());
        QCOMPARE(s.objective.metric, std::string("val/accuracy"));
        QVERIFY(s.objective.maximize);
        const auto &params = s.space.params();
        QCOMPARE(params.size(), size_t(7));
        QCOMPARE(int(params[0].kind), int(ParamKind::Float));
        QCOMPARE(int(params[0].scale), int(Scale::Log));
        QCOMPARE(params[0].min, 1e-4);
        QCOMPARE(int(params[1].kind), int(ParamKind::Int));
        QCOMPARE(params[1].step, 64.0);
        QCOMPARE(params[2].step, 0.1);
        QCOMPARE(*params[2].defaultValue, ParamValue(0.2));
        QCOMPARE(int(params[3].kind), int(ParamKind::Choice));
        QVERIFY(!params[3].ordered);
        QCOMPARE(params[3].choices,
                 (std::vector<ParamValue>{std::string("adam"), std::string("sgd")}));
        QCOMPARE(params[4].conditions.size(), size_t(1));
        QCOMPARE(params[4].conditions[0].parent, std::string("optimizer.type"));
        QCOMPARE(params[4].conditions[0].values, std::vector<ParamValue>{std::string("sgd")});
        QCOMPARE(int(params[5].kind), int(ParamKind::Fixed));
        QCOMPARE(params[5].fixed, ParamValue(int64_t(128)));
        QCOMPARE(int(params[6].kind), int(ParamKind::Boolean));
        QCOMPARE(s.oracle.type, std::string("bayesian"));
        QCOMPARE(s.oracle.seed, uint64_t(1));
        QCOMPARE(s.oracle.initialPoints, 8);
        QCOMPARE(s.oracle.acquisition, std::string("ei"));
        QCOMPARE(s.pruner.type, std::string("median"));
        QCOMPARE(s.pruner.warmupEpochs, 1);
        QCOMPARE(s.pruner.minTrials, 3);
        QCOMPARE(s.maxTrials, 20);
        QCOMPARE(s.workers, 2);
        QCOMPARE(s.executionsPerTrial, 1);
        QCOMPARE(s.maxConsecutiveFailedTrials, 3);

        // Numbers-only choices are ordered unless told otherwise, as in Keras Tuner.
        const SweepSpec t = SweepSpec::fromJson(
            sweep(R"([{"name": "training.batch_size", "type": "choice", "values": [32, 64]}])"));
        QVERIFY(t.space.params()[0].ordered);
        QCOMPARE(t.oracle.type, std::string("random")); // defaults
        QCOMPARE(t.maxTrials, 20);
    }

    void badSpecsNameTheField() {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {sweep(R"([{"name": "optimizer.lr", "type": "float", "min": 0, "max": 1}])"),
             "space.optimizer.lr: no such field in the job spec"},
            {sweep(R"([{"name": "model.dropout", "type": "float", "min": 0.6, "max": 0.5}])"),
             "space.model.dropout: min (0.6) > max (0.5)"},
            {sweep(R"([{"name": "optimizer.type", "type": "choice", "values": []}])"),
             "space.optimizer.type: no choices"},
            {sweep(R"([{"name": "optimizer.learning_rate", "type": "float", "min": 0, "max": 0.1,
                        "sampling": "log"}])"),
             "space.optimizer.learning_rate: log sampling needs min > 0"},
            {sweep(kLr, R"("oracle": {"type": "tpe"})"),
             "oracle.type: 'tpe' is not one of random, grid, bayesian, hyperband"},
            {sweep(kLr, R"("max_trials": 0)"), "max_trials: must be >= 1"},
            {sweep(kLr, R"("workers": 1.5)"), "workers: expected a whole number, got 1.5"},
            {sweep(R"([{"name": "a", "type": "boolean"}, {"name": "b", "type": "boolean"},
                       {"name": "c", "type": "double"}])",
                   "", R"("command": "run {a} {b} {c}")"),
             "space[2].type: 'double' is not one of float, int, choice, boolean, fixed"},
            {sweep(R"([{"name": "a", "min": 1}])", "", R"("command": "x")"),
             "space[0].type: missing"},
            {sweep(kLr, R"("trials": 5)"), "trials: unknown field"},
            {sweep(
                 R"([{"name": "model.dropout", "type": "float", "min": 0, "max": 1, "maximum": 1}])"),
             "space[0].maximum: unknown field"},
            {sweep(kLr, R"("oracle": {"type": "random", "max_epochs": 9})"),
             "oracle.max_epochs: unknown field"},
            {sweep(kLr, R"("oracle": {"type": "hyperband", "factor": 1})"),
             "oracle.factor: must be >= 2"},
            {sweep(kLr, R"("oracle": {"type": "bayesian", "acquisition": "pi"})"),
             "oracle.acquisition: 'pi' is not one of ei, ucb"},
            {sweep(kLr, R"("oracle": {"type": "grid"})"),
             "space.optimizer.learning_rate: a continuous Float has no grid"},
            {sweep(kLr, R"("pruner": {"type": "hyperband"})"),
             "pruner.type: 'hyperband' is not one of none, median, asha"},
            {sweep(kLr, R"("pruner": {"type": "median", "reduction_factor": 3})"),
             "pruner.reduction_factor: unknown field"},
            {sweep(kLr, R"("objective": {"metric": "val/loss", "direction": "down"})"),
             "objective.direction: 'down' is not one of max, min"},
            {sweep(kLr, R"("command": "train {optimizer.learning_rate}")"),
             "job: give exactly one of job, job_file or command (2 given)"},
            {R"({"space": [{"name": "x", "type": "boolean"}]})",
             "job: give exactly one of job, job_file or command (0 given)"},
            {sweep(kLr, "", R"("command": "train --lr {optimizer.learning_rate} {foo}")"),
             "command: {foo} is not a parameter"},
            {sweep(kLr, "", R"("job": {"model": {"type": "rnn"}})"),
             "job.model.type: 'rnn' is not one of mlp, cnn, text_cnn"},
            {sweep(R"([{"name": "model.dropout", "type": "float", "min": 0, "max": 0.99}])"),
             "space.model.dropout: 0.99 is not accepted by the job spec: model.dropout:"},
            {sweep(R"([{"name": "pipeline.cache", "type": "boolean"}])"),
             "space.pipeline.cache: false is not accepted by the job spec: pipeline.cache: "
             "expected a string"},
            {sweep(
                 R"([{"name": "optimizer.type", "type": "choice", "values": ["adam", "rmsprop"]}])"),
             "space.optimizer.type: \"rmsprop\" is not accepted by the job spec"},
            {sweep(
                 R"([{"name": "model.hidden", "type": "int", "min": 8, "max": 64, "default": 9.5}])"),
             "space[0].default: expected a whole number, got 9.5"},
            {sweep(R"([{"name": "optimizer.type", "type": "choice", "values": ["adam", 1]}])"),
             "space[0].values: mixes numbers, strings and booleans"},
            {sweep(R"([{"name": "optimizer.type", "type": "choice", "values": ["adam", "sgd"]},
                       {"name": "optimizer.momentum", "type": "float", "min": 0, "max": 0.9,
                        "when": {"optimizer.kind": "sgd"}}])"),
             "space.optimizer.momentum: condition on 'optimizer.kind', which is not a parameter"},
            {sweep("[]"), "space: expected a non-empty list of parameters"},
            {"{not json", "sweep: not valid JSON"},
            {R"({"name": )" + std::string(100000, '[') + std::string(100000, ']') + "}",
             "sweep: nested deeper than 64 levels"},
        };
        for (const auto &[json, expected] : cases) {
            const std::string error = errorOf(json);
            QVERIFY2(error.rfind(expected, 0) == 0,
                     qPrintable(QString::fromStdString("got: " + error + "\nwanted: " + expected)));
        }
    }

    void jobFileIsRelativeToTheSweep() {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("jobs"));
        std::ofstream(dir.filePath("jobs/base.json").toStdString())
            << R"({"name": "base", "optimizer": {"type": "sgd"}})";
        const std::string path = dir.filePath("sweep.json").toStdString();
        std::ofstream(path) << sweep(kLr, "", R"("job_file": "jobs/base.json")");
        const SweepSpec s = SweepSpec::fromFile(path);
        QVERIFY(s.job);
        QCOMPARE(s.job->name, std::string("base"));
        QCOMPARE(s.job->optimizer.type, std::string("sgd"));

        std::ofstream(path) << sweep(kLr, R"("max_trials": -3)");
        try {
            SweepSpec::fromFile(path);
            QFAIL("expected a SpecError");
        } catch (const SpecError &e) {
            QCOMPARE(std::string(e.what()), path + ": max_trials: must be >= 1");
        }
        std::ofstream(path) << sweep(kLr, "", R"("job_file": "jobs/missing.json")");
        QVERIFY_THROWS_EXCEPTION(SpecError, SweepSpec::fromFile(path));
    }

    void trialJobSetsTheFields() {
        const SweepSpec s = SweepSpec::fromJson(kExample);
        const Assignment params = {{"optimizer.learning_rate", 0.003},
                                   {"model.hidden", int64_t(256)},
                                   {"model.dropout", 0.3},
                                   {"optimizer.type", std::string("sgd")},
                                   {"optimizer.momentum", 0.8},
                                   {"training.batch_size", int64_t(128)},
                                   {"pipeline.pin_memory", true}};
        const JobSpec job = s.trialJob(params, 3);
        QCOMPARE(job.optimizer.learningRate, 0.003);
        QCOMPARE(job.model.hidden, std::vector<int>{256}); // a scalar for a list field
        QCOMPARE(job.model.dropout, 0.3);
        QCOMPARE(job.optimizer.type, std::string("sgd"));
        QCOMPARE(job.optimizer.momentum, 0.8);
        QCOMPARE(job.training.batchSize, 128);
        QVERIFY(job.pipeline.pinMemory);
        QCOMPARE(job.training.epochs, 3);
        QCOMPARE(job.name, std::string("fmnist")); // the rest is the base spec's
        QCOMPARE(s.trialJob({{"optimizer.type", std::string("adam")}}).training.epochs, 4);
        QCOMPARE(s.job->model.hidden, std::vector<int>{128}); // the base is untouched

        const SweepSpec command = SweepSpec::fromJson(sweep(kLr, "", R"("command": "x")"));
        QVERIFY_THROWS_EXCEPTION(SpecError, command.trialJob({}));
    }

    void trialCommandQuotes() {
        const SweepSpec s = SweepSpec::fromJson(sweep(
            // \u0027 rather than a quote: moc mistakes a quote in a raw string for a char
            R"([{"name": "lr", "type": "float", "min": 1e-5, "max": 1e-1, "sampling": "log"},
                {"name": "opt", "type": "choice", "values": ["adam", "sgd"]},
                {"name": "tag", "type": "choice", "values": ["a b", "it\u0027s", "plain-1.x_y"]},
                {"name": "m", "type": "float", "min": 0, "max": 1, "when": {"opt": "sgd"}},
                {"name": "units", "type": "int", "min": 1, "max": 9},
                {"name": "flag", "type": "boolean"}])",
            "",
            R"("command": "python3 train.py --lr {lr} --opt {opt} --tag {tag} --m={m} --units {units} --flag {flag} --logdir ${TRAINSCOPE_TRIAL_LOGDIR} | awk '{print $1}' {}")"));
        Assignment a = {{"lr", 1e-5},
                        {"opt", std::string("adam")},
                        {"tag", std::string("a b")},
                        {"units", int64_t(7)},
                        {"flag", true}};
        const CommandLine shell = s.trialCommand(a);
        QVERIFY(shell.viaShell);
        QCOMPARE(shell.text(),
                 std::string("python3 train.py --lr 1e-05 --opt adam --tag 'a b' --m= --units 7 "
                             "--flag true --logdir ${TRAINSCOPE_TRIAL_LOGDIR} | awk '{print $1}' "
                             "{}"));
        a["opt"] = std::string("sgd");
        a["m"] = 0.25;
        a["tag"] = std::string("it's");
        QVERIFY(s.trialCommand(a).text().find("--opt sgd --tag 'it'\\''s' --m=0.25 ") !=
                std::string::npos);

        // Plain words: no shell, each value its own argv element or inside one.
        const SweepSpec plain = SweepSpec::fromJson(
            sweep(R"j([{"name": "tag", "type": "choice", "values": ["a; touch F", "$(x)"]}])j", "",
                  R"("command": "python3 train.py --tag {tag} --name=t-{tag}")"));
        const CommandLine argv = plain.trialCommand({{"tag", std::string("a; touch F")}});
        QVERIFY(!argv.viaShell);
        QCOMPARE(argv.argv, (std::vector<std::string>{"python3", "train.py", "--tag", "a; touch F",
                                                      "--name=t-a; touch F"}));
    }

    void commandSweepsNameTheirObjective() {
        const std::string space = R"([{"name": "x", "type": "boolean"}])";
        for (const std::string &objective :
             {std::string(), std::string(R"("objective": {"metric": "score"})"),
              std::string(R"("objective": {"direction": "min"})")})
            QCOMPARE(errorOf("{\"command\": \"run {x}\", \"space\": " + space +
                             (objective.empty() ? "" : ", " + objective) + "}")
                         .substr(0, 44),
                     std::string("objective: a command sweep names what its tr"));
        const SweepSpec s = SweepSpec::fromJson(
            sweep(space, R"("objective": {"metric": "loss", "direction": "min"})",
                  R"("command": "run {x}")"));
        QCOMPARE(s.objective.metric, std::string("loss"));
        QVERIFY(!s.objective.maximize);
        // A job sweep keeps its default: the job's own val/accuracy, maximised.
        QVERIFY(SweepSpec::fromJson(sweep(kLr)).objective.maximize);
    }

    void trialTimeoutIsChecked() {
        QCOMPARE(SweepSpec::fromJson(sweep(kLr, R"("trial_timeout_s": 2.5)")).trialTimeoutSeconds,
                 2.5);
        QCOMPARE(errorOf(sweep(kLr, R"("trial_timeout_s": -1)")),
                 std::string("trial_timeout_s: expected seconds >= 0 (0: no limit), got -1"));
        QCOMPARE(errorOf(sweep(kLr, R"("trial_timeout_s": "soon")")).substr(0, 16),
                 std::string("trial_timeout_s:"));
        const SweepSpec s = SweepSpec::fromJson(sweep(kLr, R"("trial_timeout_s": 30)"));
        QCOMPARE(SweepSpec::fromJson(s.toJson()).trialTimeoutSeconds, 30.0);
        QCOMPARE(errorOf(sweep(R"([{"name": "x", "type": "boolean"}])", "",
                               R"("command": "run \u0027{x}")")),
                 std::string("command: a ' is not closed"));
    }

    void toJsonRoundTrips() {
        for (const std::string &text :
             {std::string(kExample),
              sweep(R"([{"name": "w", "type": "choice", "values": [1, 2.5], "default": 1},
                        {"name": "r", "type": "float", "min": 1, "max": 10, "sampling": "reverse_log"},
                        {"name": "f", "type": "fixed", "value": "x", "when": {"w": [1]}}])",
                    R"("oracle": {"type": "hyperband", "seed": 7, "max_epochs": 9, "factor": 3,
                                  "iterations": 2, "allow_duplicates": true},
                       "pruner": {"type": "asha", "warmup_epochs": 2, "reduction_factor": 4},
                       "objective": {"metric": "val/loss", "direction": "min"})",
                    R"("command": "run {w} {r} {f}")")}) {
            const SweepSpec s = SweepSpec::fromJson(text);
            const SweepSpec t = SweepSpec::fromJson(s.toJson());
            QCOMPARE(t.toJson(), s.toJson());
            QCOMPARE(t.space.summary(), s.space.summary());
            QCOMPARE(t.oracle.type, s.oracle.type);
            QCOMPARE(t.oracle.seed, s.oracle.seed);
            QCOMPARE(t.oracle.maxEpochs, s.oracle.maxEpochs);
            QCOMPARE(t.oracle.iterations, s.oracle.iterations);
            QCOMPARE(t.oracle.allowDuplicates, s.oracle.allowDuplicates);
            QCOMPARE(t.pruner.type, s.pruner.type);
            QCOMPARE(t.pruner.reductionFactor, s.pruner.reductionFactor);
            QCOMPARE(t.objective.maximize, s.objective.maximize);
            QCOMPARE(t.command, s.command);
            QCOMPARE(bool(t.job), bool(s.job));
            if (s.job) QCOMPARE(t.job->toJson(), s.job->toJson());
        }
        const SweepSpec second = SweepSpec::fromJson(
            SweepSpec::fromJson(
                sweep(R"([{"name": "w", "type": "choice", "values": [1, 2.5], "default": 1}])", "",
                      R"("command": "run {w}")"))
                .toJson());
        QCOMPARE(second.space.params()[0].choices,
                 (std::vector<ParamValue>{1.0, 2.5})); // a float choice stays one
        QCOMPARE(*second.space.params()[0].defaultValue, ParamValue(1.0));
        QCOMPARE(second.oracle.iterations, 1);
    }
};

QTEST_APPLESS_MAIN(TestSweepSpec)
#include "tst_sweepspec.moc"
