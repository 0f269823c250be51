#include "core/jobs/jobspec.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace trainscope;

class TestJobSpec : public QObject {
    Q_OBJECT

    static std::string errorOf(const std::string &json) {
        try {
            JobSpec::fromJson(json);
        } catch (const SpecError &e) {
            return e.what();
        }
        return "no error";
    }

private slots:
    void shippedSpecsParse() {
        for (const char *name : {"fashion-mlp", "demo-slow-input", "demo-fixed-input"}) {
            const JobSpec s =
                JobSpec::fromFile(std::string(TRAINSCOPE_RESOURCES "/jobs/") + name + ".json");
            QCOMPARE(s.name, std::string(name));
        }
        const JobSpec fixed = JobSpec::fromFile(TRAINSCOPE_RESOURCES "/jobs/demo-fixed-input.json");
        QCOMPARE(fixed.pipeline.mapWorkers, 0); // "autotune"
        QCOMPARE(fixed.pipeline.prefetch, -1);  // "autotune"
        QCOMPARE(fixed.pipeline.cache, std::string("memory"));
        QCOMPARE(fixed.pipeline.preprocess.at(0).op, std::string("blur"));
        QCOMPARE(fixed.pipeline.preprocess.at(0).amount, 6.0);
    }
    void roundTripsThroughJson() {
        JobSpec s;
        s.name = "x";
        s.model.type = "cnn";
        s.model.channels = {8, 16};
        s.optimizer.type = "sgd";
        s.optimizer.learningRate = 0.05;
        s.pipeline.augment = {{"flip", 0}, {"noise", 0.1}};
        s.pipeline.prefetch = -1;
        s.earlyStopping = EarlyStoppingSpec{};
        s.earlyStopping->baseline = 0.5;
        s.profile.active = 7;
        const JobSpec t = JobSpec::fromJson(s.toJson());
        QCOMPARE(t.toJson(), s.toJson());
        QCOMPARE(t.model.channels, (std::vector<int>{8, 16}));
        QCOMPARE(*t.earlyStopping->baseline, 0.5);
        QCOMPARE(t.pipeline.prefetch, -1);
    }
    void badSpecsNameTheField() {
        QVERIFY(errorOf(R"({"modle": {}})").find("modle: unknown field") != std::string::npos);
        QVERIFY(errorOf(R"({"model": {"type": "transformer"}})")
                    .find("model.type: 'transformer' is not one of mlp, cnn") != std::string::npos);
        QVERIFY(
            errorOf(R"({"optimizer": {"learning_rate": -1}})").find("optimizer.learning_rate:") !=
            std::string::npos);
        QVERIFY(errorOf(R"({"training": {"epochs": "five"}})")
                    .find("training.epochs: expected a number") != std::string::npos);
        QVERIFY(errorOf(R"({"pipeline": {"prefetch": "lots"}})")
                    .find("pipeline.prefetch: expected a number or \"autotune\"") !=
                std::string::npos);
        QVERIFY(errorOf(R"({"pipeline": {"augment": [{"op": "rotate"}]}})")
                    .find("pipeline.augment[0].op:") != std::string::npos);
        QVERIFY(errorOf(R"({"model": {"hidden": [0]}})").find("model.hidden") != std::string::npos);
        QVERIFY(errorOf("{not json").find("spec: not valid JSON") != std::string::npos);
        // Found by fuzzing: a number past a double was an uncaught exception (a crash).
        QVERIFY(errorOf(R"({"oit": 5e11111})").find("spec: not valid JSON") != std::string::npos);
        // 100,000 levels: refused while parsing, before anything recurses over them.
        const std::string deep =
            R"({"name": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
        QCOMPARE(errorOf(deep), std::string("spec: nested deeper than 64 levels"));
    }
    void fileErrorsNameTheFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.json").toStdString();
        std::ofstream(path) << R"({"training": {"device": "tpu"}})";
        try {
            JobSpec::fromFile(path);
            QFAIL("expected a SpecError");
        } catch (const SpecError &e) {
            QCOMPARE(std::string(e.what()),
                     path + ": training.device: 'tpu' is not one of cpu, cuda, auto");
        }
        QVERIFY_THROWS_EXCEPTION(SpecError,
                                 JobSpec::fromFile(dir.filePath("missing.json").toStdString()));
    }
    void setOverridesFields() {
        JobSpec s;
        s.set("optimizer.learning_rate=0.01");
        s.set("model.hidden=[256,128]");
        s.set("pipeline.cache=memory");
        s.set("pipeline.map_workers=autotune");
        s.set("early_stopping.patience=5");
        QCOMPARE(s.optimizer.learningRate, 0.01);
        QCOMPARE(s.model.hidden, (std::vector<int>{256, 128}));
        QCOMPARE(s.pipeline.cache, std::string("memory"));
        QCOMPARE(s.pipeline.mapWorkers, 0);
        QVERIFY(s.earlyStopping);
        QCOMPARE(s.earlyStopping->patience, 5);
        QVERIFY_THROWS_EXCEPTION(SpecError, s.set("optimizer.lr=0.1"));
        QVERIFY_THROWS_EXCEPTION(SpecError, s.set("nothing"));
        QVERIFY_THROWS_EXCEPTION(SpecError, s.set("model.type=rnn"));
        QCOMPARE(s.model.type, std::string("mlp")); // a failed set leaves the spec as it was
    }
};

QTEST_APPLESS_MAIN(TestJobSpec)
#include "tst_jobspec.moc"
