// Models in a job spec: layer stacks as Keras writes them, presets as stacks, TorchScript
// fields, the fields each type reads (others refused), --set paths into layers, schedules.
#include "core/jobs/jobspec.h"
#include "core/tune/sweepspec.h"

#include <QtTest>

using namespace trainscope;

namespace {

const char *kTextStack = R"({"model": {"type": "sequential", "layers": [
    {"type": "embedding", "dim": 64},
    {"type": "lstm", "units": 64, "bidirectional": true},
    {"type": "dropout", "rate": 0.3},
    {"type": "dense", "units": 4}]}})";

std::string errorOf(const std::string &json) {
    try {
        JobSpec::fromJson(json);
    } catch (const SpecError &e) {
        return e.what();
    }
    return "(accepted)";
}

std::string setError(JobSpec s, const std::string &assignment) {
    try {
        s.set(assignment);
    } catch (const SpecError &e) {
        return e.what();
    }
    return "(accepted)";
}

std::vector<std::string> typesOf(const std::vector<LayerSpec> &layers) {
    std::vector<std::string> out;
    for (const LayerSpec &l : layers)
        out.push_back(l.type);
    return out;
}

} // namespace

class TestModelSpec : public QObject {
    Q_OBJECT
private slots:
    void readsALayerStackAndWritesItBack() {
        const JobSpec s = JobSpec::fromJson(kTextStack);
        QCOMPARE(s.model.type, std::string("sequential"));
        QCOMPARE(typesOf(s.model.layers),
                 (std::vector<std::string>{"embedding", "lstm", "dropout", "dense"}));
        QCOMPARE(s.model.layers[1].units, 64);
        QVERIFY(s.model.layers[1].bidirectional);
        QVERIFY(!s.model.layers[1].returnSequences);
        QCOMPARE(s.model.layers[2].rate, 0.3);
        const JobSpec again = JobSpec::fromJson(s.toJson());
        QVERIFY(again.model.layers == s.model.layers);
        // Only the fields each type reads are written.
        QVERIFY(s.toJson().find("\"hidden\"") == std::string::npos);
        QVERIFY(s.toJson().find("\"filters\"") == std::string::npos);
        QCOMPARE(layersText(s.model.layers),
                 std::string("embedding(64) lstm(64, bidirectional) dropout(0.3) dense(4)"));
        QCOMPARE(std::get<std::string>(s.hparams().at("model.layers")), layersText(s.model.layers));
        QVERIFY(!s.hparams().count("model.hidden"));

        const JobSpec words = JobSpec::fromJson(R"({"model": {"type": "sequential", "layers": [
            {"type": "conv2d", "filters": 8, "kernel": 5, "padding": "same"},
            {"type": "max_pool"}, {"type": "dense", "units": "classes"}]}})");
        QCOMPARE(words.model.layers[0].padding, -1);
        QCOMPARE(words.model.layers[1].stride, 0); // a pool's stride is its size by default
        QCOMPARE(words.model.layers[2].units, 0);
        QVERIFY(words.toJson().find("\"units\": \"classes\"") != std::string::npos);
        QVERIFY(words.toJson().find("\"padding\": \"same\"") != std::string::npos);
    }

    void aFieldTheChosenTypeIgnoresIsRefused() {
        QCOMPARE(errorOf(R"({"model": {"type": "cnn", "hidden": [64]}})"),
                 std::string("model.hidden: a cnn model does not use it (its fields: type, "
                             "channels, dropout)"));
        QCOMPARE(errorOf(R"({"model": {"type": "text_cnn", "hidden": [64]}})"),
                 std::string("model.hidden: a text_cnn model does not use it (its fields: type, "
                             "embedding_dim, channels, dropout)"));
        QCOMPARE(errorOf(R"({"model": {"type": "sequential", "layers": [
                            {"type": "dropout", "units": 4}]}})"),
                 std::string("model.layers.0.units: a dropout layer does not use it (its "
                             "fields: type, rate)"));
        QCOMPARE(errorOf(R"({"model": {"type": "torchscript", "path": "a.pt", "dropout": 0.1}})"),
                 std::string("model.dropout: a torchscript model does not use it (its fields: "
                             "type, path, freeze)"));
        QCOMPARE(errorOf(R"({"optimizer": {"schedule": {"type": "step", "warmup_epochs": 1}}})"),
                 std::string("optimizer.schedule.warmup_epochs: a step schedule does not use it "
                             "(its fields: type, step_epochs, gamma)"));
        QVERIFY(errorOf(R"({"model": {"type": "sequential", "layers": [{"type": "dense",
                           "colour": 1}]}})")
                    .rfind("model.layers.0.colour: unknown field (known: type, units, activation)",
                           0) == 0);
        QVERIFY(errorOf(R"({"model": {"type": "sequential", "layers": [{"type": "transformer"}]}})")
                    .rfind("model.layers.0.type: 'transformer' is not one of", 0) == 0);
    }

    void valuesAreCheckedWhereTheyAre() {
        QCOMPARE(errorOf(R"({"model": {"type": "sequential", "layers": []}})"),
                 std::string("model.layers: a sequential model needs at least one layer"));
        QCOMPARE(errorOf(R"({"model": {"type": "sequential", "layers": [
                            {"type": "conv1d", "kernel": 4, "padding": "same"}]}})"),
                 std::string("model.layers.0.padding: \"same\" needs an odd kernel (kernel is 4)"));
        QCOMPARE(errorOf(R"({"model": {"type": "sequential", "layers": [
                            {"type": "repeat", "times": 2, "layers": [
                                {"type": "dropout", "rate": 1.5}]}]}})"),
                 std::string("model.layers.0.layers.0.rate: 1.5 is outside [0, 0.95]"));
        std::string deep = R"({"type": "dense"})";
        for (int i = 0; i < 8; ++i)
            deep = R"({"type": "repeat", "times": 1000, "layers": [)" + deep + "]}";
        QCOMPARE(errorOf(R"({"model": {"type": "sequential", "layers": [)" + deep + "]}}"),
                 std::string("model.layers: its repeat blocks unroll to more than 4096 layers"));
        QCOMPARE(errorOf(R"({"model": {"type": "torchscript"}})"),
                 std::string("model.path: a torchscript model needs the file saved by "
                             "torch.jit.save"));
        QCOMPARE(errorOf(R"({"model": {"type": "torchscript", "path": "a.pt", "freeze": [3]}})"),
                 std::string("model.freeze: expected a list of name patterns, got [3]"));
        QCOMPARE(errorOf(R"({"training": {"label_smoothing": 1}})"),
                 std::string("training.label_smoothing: 1 is outside [0, 0.99]"));
        QVERIFY(errorOf(R"({"optimizer": {"schedule": {"type": "reduce_on_plateau",
                           "monitor": "val/f1"}}})")
                    .rfind("optimizer.schedule.monitor: 'val/f1' is not one of", 0) == 0);
    }

    void imageOpsAreCheckedWhereTheyAre() {
        const JobSpec s = JobSpec::fromJson(R"({"pipeline": {
            "preprocess": [{"op": "central_crop", "amount": 0.875}, {"op": "resize", "size": [224, 224]}],
            "augment": [{"op": "contrast", "amount": 0.2}, {"op": "hue", "amount": 0.1}]}})");
        QCOMPARE(s.pipeline.preprocess[1].size, (std::vector<int>{224, 224}));
        QVERIFY(JobSpec::fromJson(s.toJson()).pipeline.preprocess == s.pipeline.preprocess);
        QCOMPARE(errorOf(R"({"pipeline": {"augment": [{"op": "resize", "size": [8, 8]}]}})"),
                 std::string("pipeline.augment[0].op: resize changes the image's size: put it in "
                             "pipeline.preprocess"));
        QCOMPARE(
            errorOf(R"({"pipeline": {"preprocess": [{"op": "central_crop", "amount": 0}]}})"),
            std::string("pipeline.preprocess[0].amount: central_crop keeps a share in (0, 1]"));
        QCOMPARE(errorOf(R"({"pipeline": {"preprocess": [{"op": "resize", "size": [8]}]}})"),
                 std::string("pipeline.preprocess[0].size: expected [height, width], each in [1, "
                             "4096]"));
        QVERIFY(errorOf(R"({"pipeline": {"preprocess": [{"op": "resize", "amount": 8}]}})")
                    .rfind("pipeline.preprocess[0].amount: unknown field", 0) == 0);
    }

    void setReachesIntoLayers() {
        JobSpec s = JobSpec::fromJson(kTextStack);
        s.set("model.layers.1.units=128");
        QCOMPARE(s.model.layers[1].units, 128);
        s.set("model.layers[3].units=5");
        QCOMPARE(s.model.layers[3].units, 5);
        // Another type keeps the fields it shares and takes defaults for the rest.
        s.set("model.layers.1.type=gru");
        QCOMPARE(s.model.layers[1].type, std::string("gru"));
        QCOMPARE(s.model.layers[1].units, 128);
        QVERIFY(s.model.layers[1].bidirectional);
        s.set("model.layers.1.type=conv1d");
        QCOMPARE(s.model.layers[1].filters, LayerSpec{}.filters);
        s.set("model.layers.1.filters=48");
        QCOMPARE(s.model.layers[1].filters, 48);
        s.set("model.layers.1.type=\"lstm\"");
        QCOMPARE(s.model.layers[1].units, LayerSpec{}.units); // conv1d had no units to keep
        QCOMPARE(setError(s, "model.layers.1.filters=8"),
                 std::string("model.layers.1.filters: a lstm layer does not use it (its fields: "
                             "type, units, bidirectional, return_sequences)"));
        QCOMPARE(setError(s, "model.layers.9.units=8"), std::string("model.layers.9.units: no "
                                                                    "such field"));
        QCOMPARE(setError(s, "model.hidden=64"),
                 std::string("model.hidden: a sequential model does not use it (its fields: "
                             "type, layers)"));
        // Whole stacks, and nested blocks.
        s.set(R"(model.layers=[{"type": "flatten"}, {"type": "repeat", "times": 2, "layers":
              [{"type": "dense", "units": 16, "activation": "relu"}]}, {"type": "dense"}])");
        QCOMPARE(s.model.layers.size(), size_t(3));
        s.set("model.layers.1.times=3");
        s.set("model.layers.1.layers.0.units=32");
        QCOMPARE(s.model.layers[1].times, 3);
        QCOMPARE(s.model.layers[1].layers[0].units, 32);
        // A preset switched keeps what the new type reads.
        JobSpec preset;
        preset.set("model.dropout=0.4");
        preset.set("model.type=cnn");
        QCOMPARE(preset.model.dropout, 0.4);
        QVERIFY(preset.toJson().find("\"hidden\"") == std::string::npos);
        preset.set("optimizer.schedule.type=cosine");
        preset.set("optimizer.schedule.warmup_epochs=0.5");
        QCOMPARE(preset.optimizer.schedule.warmupEpochs, 0.5);
    }

    void presetsAreLayerStacks() {
        ModelSpec mlp;
        QCOMPARE(typesOf(modelLayers(mlp, {1, 28, 28})),
                 (std::vector<std::string>{"flatten", "dense", "dropout", "dense"}));
        QCOMPARE(modelLayers(mlp, {1, 28, 28})[1].units, 512);
        QCOMPARE(modelLayers(mlp, {1, 28, 28}).back().units, 0); // the classes
        ModelSpec cnn;
        cnn.type = "cnn";
        QCOMPARE(layersText(modelLayers(cnn, {1, 28, 28})),
                 std::string("conv2d(32x3, relu) max_pool(2) conv2d(64x3, relu) max_pool(2) "
                             "flatten dense(128, relu) dropout(0.2) dense(classes)"));
        ModelSpec text;
        text.type = "text_cnn";
        text.channels = {16};
        QCOMPARE(layersText(modelLayers(text, {200})),
                 std::string("embedding(64) conv1d(16x5, relu) global_max_pool dropout(0.2) "
                             "dense(classes)"));
    }

    void aJobOffersItsOwnFieldsToTune() {
        const JobSpec text = JobSpec::fromJson(kTextStack);
        const auto fields = text.tunableFields();
        auto has = [&](const char *f) {
            return std::find(fields.begin(), fields.end(), f) != fields.end();
        };
        QVERIFY(has("optimizer.learning_rate") && has("model.layers.0.dim") &&
                has("model.layers.1.type") && has("model.layers.1.units") &&
                has("model.layers.1.bidirectional") && has("model.layers.2.rate"));
        QVERIFY(!has("model.hidden") && !has("model.layers.0.type") && !has("model.type"));
        JobSpec cnn;
        cnn.model.type = "cnn";
        const auto presets = cnn.tunableFields();
        QVERIFY(std::find(presets.begin(), presets.end(), "model.channels") != presets.end());
        QVERIFY(std::find(presets.begin(), presets.end(), "model.hidden") == presets.end());
        // Every field offered is one the job takes.
        auto valueFor = [](const std::string &f) -> std::string {
            const std::string leaf = f.substr(f.rfind('.') + 1);
            if (leaf == "type") return f == "optimizer.type" ? "sgd" : "gru";
            if (leaf == "bidirectional") return "true";
            if (leaf == "activation") return "tanh";
            const bool fraction = leaf == "rate" || leaf == "label_smoothing" ||
                                  leaf == "momentum" || leaf == "weight_decay" ||
                                  leaf == "learning_rate";
            return fraction ? "0.1" : "2";
        };
        for (const std::string &f : fields) {
            JobSpec copy = text;
            try {
                copy.set(f + "=" + valueFor(f));
            } catch (const SpecError &e) {
                QFAIL(e.what());
            }
        }
    }

    void freezePatternsAreGlobs() {
        QVERIFY(matchesPattern("backbone.0.weight", "backbone.*"));
        QVERIFY(!matchesPattern("head.weight", "backbone.*"));
        QVERIFY(matchesPattern("layer3.bias", "layer?.bias"));
        QVERIFY(!matchesPattern("layer12.bias", "layer?.bias"));
        QVERIFY(matchesPattern("a.b.c", "*c"));
        QVERIFY(matchesPattern("abc", "a*b*c"));
        QVERIFY(!matchesPattern("abd", "a*c"));
    }

    // A sweep can choose a layer's type, with parameters active only for the type chosen, and
    // repeat a block a tunable number of times.
    void aSweepChoosesLayersAndTheirFields() {
        const std::string sweep = std::string(R"({"job": )") + R"({"model": {"type": "sequential",
            "layers": [{"type": "embedding", "dim": 16}, {"type": "conv1d", "filters": 8},
                       {"type": "repeat", "times": 1, "layers": [{"type": "dense", "units": 8}]},
                       {"type": "global_max_pool"}, {"type": "dense", "units": 2}]}},
            "space": [
              {"name": "model.layers.1.type", "type": "choice", "values": ["conv1d", "lstm", "gru"]},
              {"name": "model.layers.1.filters", "type": "int", "min": 8, "max": 32,
               "when": {"model.layers.1.type": ["conv1d"]}},
              {"name": "model.layers.1.units", "type": "int", "min": 8, "max": 32,
               "when": {"model.layers.1.type": ["lstm", "gru"]}},
              {"name": "model.layers.2.times", "type": "int", "min": 0, "max": 3}],
            "max_trials": 4})";
        SweepSpec s;
        try {
            s = SweepSpec::fromJson(sweep);
        } catch (const SpecError &e) {
            QFAIL(e.what());
        }
        const JobSpec gru = s.trialJob({{"model.layers.1.type", std::string("gru")},
                                        {"model.layers.1.units", int64_t(24)},
                                        {"model.layers.2.times", int64_t(2)}});
        QCOMPARE(gru.model.layers[1].type, std::string("gru"));
        QCOMPARE(gru.model.layers[1].units, 24);
        QCOMPARE(gru.model.layers[2].times, 2);
        const JobSpec conv = s.trialJob({{"model.layers.1.type", std::string("conv1d")},
                                         {"model.layers.1.filters", int64_t(16)},
                                         {"model.layers.2.times", int64_t(0)}});
        QCOMPARE(conv.model.layers[1].filters, 16);
    }
};

QTEST_APPLESS_MAIN(TestModelSpec)
#include "tst_modelspec.moc"
