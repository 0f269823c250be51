// Training what users bring: layer stacks (recurrent, convolutional, normalised) on text and
// images, TorchScript modules saved by Debian's python3-torch (scripted and traced, a frozen
// backbone), the logits contract, <run>/model.pt read back by PyTorch, schedules and training
// knobs, and scoring on a held-out folder.
#include "core/events/logdirindex.h"
#include "core/train/evaluation.h"
#include "core/train/trainer.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>

using namespace trainscope;

namespace {

const char *kFashion = "/usr/share/datasets/fashion-mnist";

// Two classes of short reviews, told apart by their words; `from` varies the texts.
void writeTexts(const std::string &root, int perClass, int from) {
    const char *neg[] = {"bad", "awful", "boring", "dull", "worst"},
               *pos[] = {"good", "great", "fun", "superb", "best"};
    for (const char *c : {"neg", "pos"})
        std::filesystem::create_directories(root + "/" + c);
    for (int i = from; i < from + perClass; ++i) {
        std::ofstream(root + "/neg/" + std::to_string(i) + ".txt")
            << "the film was " << neg[i % 5] << " and " << neg[(i + 2) % 5];
        std::ofstream(root + "/pos/" + std::to_string(i) + ".txt")
            << "the film was " << pos[i % 5] << " and " << pos[(i + 3) % 5];
    }
}

JobSpec base(const std::string &name) {
    JobSpec s;
    s.name = name;
    s.dataset.name = "synthetic";
    s.dataset.limit = 2000;
    s.training.epochs = 3;
    s.training.batchSize = 64;
    s.profile.enabled = false;
    s.histogramsEvery = 0;
    return s;
}

JobSpec withLayers(JobSpec s, const std::string &layers) {
    s.set({"model.type=sequential", "model.layers=" + layers});
    return s;
}

std::vector<double> scalars(const std::string &runDir, const std::string &tag) {
    LogdirIndex index(runDir);
    index.refresh();
    std::vector<double> out;
    const RunData *r = index.run(".");
    if (!r || !r->tag(tag)) return out;
    const auto &series = r->tag(tag)->scalars;
    for (size_t i = 0; i < series.size(); ++i)
        out.push_back(series.value(i));
    return out;
}

} // namespace

class TestUserModels : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_modules, m_texts, m_heldOut;

    std::string run(const std::string &name) { return m_dir.filePath(name.c_str()).toStdString(); }
    QString python(const QStringList &args) {
        QProcess p;
        p.start("/usr/bin/python3", QStringList{TRAINSCOPE_TEST_SUPPORT "/torch_models.py"} + args);
        if (!p.waitForFinished(120000)) return "(timed out)";
        if (p.exitCode() == 77) return "(no torch)";
        return p.exitCode() == 0 ? QString(p.readAllStandardOutput()).trimmed()
                                 : "(failed) " + QString(p.readAllStandardError());
    }
    JobSpec textJob(const std::string &name, const std::string &layers) {
        JobSpec s = withLayers(base(name), layers);
        s.dataset.name = "text_folder";
        s.dataset.path = m_texts;
        s.dataset.sequenceLength = 8;
        s.dataset.validationSplit = 0.25;
        s.optimizer.learningRate = 0.01;
        s.training.epochs = 8;
        s.training.batchSize = 16;
        return s;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_texts = run("texts");
        m_heldOut = run("held-out");
        writeTexts(m_texts, 60, 0);
        writeTexts(m_heldOut, 20, 1000);
        m_modules = run("modules");
        std::filesystem::create_directories(m_modules);
        const QString made = python({"make", QString::fromStdString(m_modules)});
        if (made == "(no torch)") QSKIP("Debian's python3-torch is not installed");
        QVERIFY2(made.isEmpty(), qPrintable(made));
    }

    // "Different arrangements and types of layers; experiment with RNNs."
    void textStacksWithRecurrentAndConvolutionalLayersLearn() {
        const std::pair<const char *, std::string> stacks[] = {
            {"lstm", R"([{"type": "embedding", "dim": 16},
                {"type": "lstm", "units": 16, "bidirectional": true},
                {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 2}])"},
            {"gru", R"([{"type": "embedding", "dim": 16},
                {"type": "gru", "units": 16, "return_sequences": true},
                {"type": "global_max_pool"}, {"type": "dense", "units": "classes"}])"},
            {"conv1d", R"([{"type": "embedding", "dim": 16},
                {"type": "repeat", "times": 2, "layers": [
                    {"type": "conv1d", "filters": 16, "kernel": 3, "padding": "same",
                     "activation": "relu"},
                    {"type": "batch_norm"}]},
                {"type": "max_pool", "size": 2}, {"type": "layer_norm"},
                {"type": "global_avg_pool"}, {"type": "dense", "units": 2}])"}};
        for (const auto &[name, layers] : stacks) {
            const TrainOutcome out = runTraining(textJob(name, layers), run(name));
            QVERIFY2(out.state == JobState::Completed, out.error.c_str());
            QVERIFY2(out.epochs.back().valAccuracy > 0.9,
                     qPrintable(QString("%1: %2").arg(name).arg(out.epochs.back().valAccuracy)));
            QVERIFY(std::filesystem::exists(run(name) + "/model.pt"));
        }
        // The repeated block's layers are named by where they sit, as PyTorch names them.
        LogdirIndex index(run("conv1d"));
        index.refresh();
        QVERIFY(index.run(".") && index.run(".")->hparams);
        QCOMPARE(std::get<std::string>(index.run(".")->hparams->values.at("model.layers")),
                 std::string("embedding(16) 2x[conv1d(16x3, relu) batch_norm] max_pool(2) "
                             "layer_norm global_avg_pool dense(2)"));
    }

    void aStackThatDoesNotFitItsInputNamesTheLayer() {
        auto errorOf = [&](const std::string &layers) {
            return runTraining(withLayers(base("bad"), layers), run("bad")).error;
        };
        QCOMPARE(errorOf(R"([{"type": "conv2d"}, {"type": "dense", "units": 10}])"),
                 std::string("model.layers.0: a conv2d layer needs images [channels, height, "
                             "width]; it gets [32]"));
        QCOMPARE(errorOf(R"([{"type": "dense", "units": 16}])"),
                 std::string("model.layers: the stack ends in [16]; logits need [10] (one per "
                             "class): end with {\"type\": \"dense\", \"units\": 10}"));
        QCOMPARE(errorOf(R"([{"type": "lstm"}, {"type": "dense", "units": 10}])").substr(0, 53),
                 std::string("model.layers.0: a lstm layer needs a sequence [steps,"));
        QCOMPARE(errorOf(R"([{"type": "dense", "units": 65536}, {"type": "dense", "units": 65536},
                             {"type": "dense", "units": 10}])"),
                 std::string("model.layers.1: the stack would hold 4297195520 parameters by this "
                             "dense layer (at most 1000000000)"));
        const TrainOutcome out = runTraining(withLayers(base("bad"), R"([{"type": "embedding"},
            {"type": "dense", "units": 10}])"),
                                             run("bad"));
        QVERIFY(out.badInput);
        QVERIFY(out.error.find("an embedding layer needs token indices") != std::string::npos);
    }

    // Fashion-MNIST through conv2d, batch norm and pooling; model.pt gives, in PyTorch, the
    // validation loss Trainscope measured on the same images.
    void modelPtGivesPyTorchTheSameLogits() {
        if (!QFile::exists(QString(kFashion) + "/t10k-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        JobSpec s = withLayers(base("mnist"), R"([
            {"type": "conv2d", "filters": 8, "kernel": 3, "padding": "same", "activation": "relu"},
            {"type": "batch_norm"}, {"type": "max_pool", "size": 2},
            {"type": "conv2d", "filters": 8, "kernel": 3, "stride": 2, "activation": "gelu"},
            {"type": "global_avg_pool"}, {"type": "dense", "units": 10}])");
        s.dataset.name = "fashion_mnist";
        s.dataset.path = kFashion;
        s.dataset.limit = 1200; // validation: the first 200 test images
        s.training.epochs = 2;

        s.checkpoint = false;
        const TrainOutcome out = runTraining(s, run("mnist"));
        QVERIFY2(out.state == JobState::Completed, out.error.c_str());
        const QString figures = python(
            {"mnist-loss", QString::fromStdString(run("mnist") + "/model.pt"), kFashion, "200"});
        QVERIFY2(figures.startsWith("loss="), qPrintable(figures));
        const double loss = figures.section(' ', 0, 0).section('=', 1).toDouble();
        const double accuracy = figures.section(' ', 1, 1).section('=', 1).toDouble();
        QVERIFY2(std::abs(loss - out.epochs.back().valLoss) < 1e-4,
                 qPrintable(QString("%1 vs %2").arg(loss).arg(out.epochs.back().valLoss)));
        QCOMPARE(accuracy, out.epochs.back().valAccuracy);
    }

    // The walkthrough's pipeline: a central crop resized, colour augmentation; a colour op on
    // grey images and an image op on flat examples are refused naming the op.
    void imagePipelinesFeedTheModelTheirSize() {
        if (!QFile::exists(QString(kFashion) + "/t10k-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        JobSpec s = withLayers(base("cropped"), R"([{"type": "conv2d", "filters": 8,
            "activation": "relu"}, {"type": "flatten"}, {"type": "dense", "units": 10}])");
        s.dataset.name = "fashion_mnist";
        s.dataset.path = kFashion;
        s.dataset.limit = 600;
        s.training.epochs = 1;
        s.pipeline.preprocess = {{"central_crop", 0.75, {}}, {"resize", 0, {16, 16}}};
        s.pipeline.augment = {{"contrast", 0.3, {}}, {"brightness", 0.1, {}}};
        TrainOutcome out = runTraining(s, run("cropped"));
        QVERIFY2(out.state == JobState::Completed, out.error.c_str());
        QVERIFY(out.epochs.back().valAccuracy > 0.3);
        // The model was built for what the pipeline gives: 16 x 16 images, not 28 x 28.
        const std::string model = run("cropped") + "/model.pt";
        QCOMPARE(modelLogits(model, std::vector<float>(2 * 16 * 16, 0.5f), {2, 1, 16, 16}).size(),
                 size_t(20));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 modelLogits(model, std::vector<float>(28 * 28), {1, 1, 28, 28}));
        s.pipeline.augment = {{"hue", 0.1, {}}};
        QCOMPARE(runTraining(s, run("hue")).error,
                 std::string("pipeline.augment[0].op: hue needs RGB images (dataset.channels 3); "
                             "these have 1 channel"));
        JobSpec flat = base("flat");
        flat.pipeline.preprocess = {{"resize", 0, {8, 8}}};
        QCOMPARE(runTraining(flat, run("flat")).error,
                 std::string("pipeline.preprocess[0].op: resize needs images [channels, height, "
                             "width]; the examples are flat"));
    }

    void torchScriptModulesTrainWithAFrozenBackbone() {
        const std::string net = m_modules + "/net.pt";
        JobSpec s = base("torchscript");
        s.set({"model.type=torchscript", "model.path=" + net});
        s.set("model.freeze=[\"backbone.*\"]");
        const TrainOutcome out = runTraining(s, run("torchscript"));
        QVERIFY2(out.state == JobState::Completed, out.error.c_str());
        QVERIFY2(out.epochs.back().valAccuracy > 0.8,
                 qPrintable(QString::number(out.epochs.back().valAccuracy)));
        // The frozen backbone is as saved; the head moved.
        std::vector<float> probe(32 * 4);
        for (size_t i = 0; i < probe.size(); ++i)
            probe[i] = float(std::sin(double(i)));
        const std::string trained = run("torchscript") + "/model.pt";
        const auto before = modelLogits(net, probe, {4, 32});
        const auto after = modelLogits(trained, probe, {4, 32});
        QCOMPARE(after.size(), size_t(40));
        QVERIFY(before != after);
        // PyTorch computes what Trainscope computes with the file it left.
        const std::string in = run("probe.f32"), logitsFile = run("logits.f32");
        std::ofstream(in, std::ios::binary)
            .write(reinterpret_cast<const char *>(probe.data()), long(probe.size() * 4));
        QCOMPARE(python({"logits", QString::fromStdString(trained), QString::fromStdString(in),
                         "4,32", QString::fromStdString(logitsFile)}),
                 QString());
        std::vector<float> theirs(40);
        std::ifstream(logitsFile, std::ios::binary)
            .read(reinterpret_cast<char *>(theirs.data()), 160);
        for (size_t i = 0; i < theirs.size(); ++i)
            QVERIFY(std::abs(theirs[i] - after[i]) < 1e-5);

        // Only the head was trained: its histograms exist, the backbone has no gradients.
        JobSpec traced = base("traced");
        traced.set({"model.type=torchscript", "model.path=" + m_modules + "/traced.pt"});
        const TrainOutcome t = runTraining(traced, run("traced"));
        QVERIFY2(t.state == JobState::Completed, t.error.c_str());
        QVERIFY(t.epochs.back().valAccuracy > 0.8);

        JobSpec none = s;
        none.set("model.freeze=[\"*\"]");
        QCOMPARE(runTraining(none, run("frozen")).error,
                 std::string("model.freeze: freezes every parameter: nothing is left to train"));
        none.set("model.freeze=[\"encoder.*\"]");
        QCOMPARE(runTraining(none, run("frozen")).error,
                 "model.freeze: 'encoder.*' matches no parameter of " + net);
    }

    void theLogitsContractIsCheckedOnOneBatch() {
        JobSpec s = base("contract");
        const std::string three = m_modules + "/three_classes.pt";
        s.set({"model.type=torchscript", "model.path=" + three});
        TrainOutcome out = runTraining(s, run("contract"));
        QVERIFY(out.badInput);
        QCOMPARE(out.error, "model.path: " + three +
                                " gives logits of shape [8, 3] for a batch of shape [8, 32]; "
                                "expected [8, 10] (batch, classes)");
        const std::string wide = m_modules + "/wide_input.pt";
        s.set("model.path=" + wide);
        out = runTraining(s, run("contract"));
        QVERIFY2(out.error.rfind("model.path: " + wide + " cannot take a batch of shape [8, 32]: ",
                                 0) == 0,
                 out.error.c_str());
        s.set("model.path=" + m_texts + "/neg/0.txt");
        out = runTraining(s, run("contract"));
        QVERIFY2(out.error.find("not a TorchScript module") != std::string::npos,
                 out.error.c_str());
        s.set("model.path=" + m_modules + "/missing.pt");
        QCOMPARE(runTraining(s, run("contract")).error,
                 "model.path: " + m_modules + "/missing.pt: no such file");
    }

    void schedulesAndKnobsShowInTheFigures() {
        JobSpec s = base("step");
        s.set("optimizer.schedule.type=step");
        s.set("optimizer.schedule.step_epochs=1");
        s.set("optimizer.schedule.gamma=0.5");
        TrainOutcome out = runTraining(s, run("step"));
        QVERIFY2(out.state == JobState::Completed, out.error.c_str());
        const auto rates = scalars(run("step"), "learning_rate");
        QCOMPARE(rates.size(), size_t(3));
        QVERIFY(std::abs(rates[0] - 1e-3) < 1e-9 && std::abs(rates[1] - 5e-4) < 1e-9 &&
                std::abs(rates[2] - 2.5e-4) < 1e-9);
        QVERIFY(scalars(run("step"), "batch/learning_rate").size() > 5);

        // Label smoothing 0.5 over 10 classes: the loss cannot fall below the targets' own
        // entropy, 1.68; without it this easy set's loss falls far lower.
        JobSpec smooth = base("smooth");
        smooth.training.labelSmoothing = 0.5;
        out = runTraining(smooth, run("smooth"));
        QVERIFY(out.epochs.back().trainLoss > 1.67);
        QVERIFY(runTraining(base("sharp"), run("sharp")).epochs.back().trainLoss < 1.0);

        // Plain SGD with gradients clipped to a norm of 1e-6 barely moves.
        JobSpec clipped = base("clipped");
        clipped.set("optimizer.type=sgd");
        clipped.set("optimizer.momentum=0");
        clipped.set("optimizer.learning_rate=0.1");
        JobSpec free = clipped;
        clipped.set("optimizer.clip_norm=1e-6");
        QVERIFY(runTraining(clipped, run("clipped")).epochs.back().valAccuracy < 0.5);
        QVERIFY(runTraining(free, run("free")).epochs.back().valAccuracy > 0.8);
    }

    // A held-out folder, scored with the run's own vocabulary: at the end of training
    // (dataset.test_path) and later (evaluateRun, `trainscope evaluate`).
    void aHeldOutFolderIsScoredWithTheRunsVocabulary() {
        JobSpec s = textJob("held", R"([{"type": "embedding", "dim": 16},
            {"type": "conv1d", "filters": 16, "kernel": 3, "activation": "relu"},
            {"type": "global_max_pool"}, {"type": "dense", "units": 2}])");
        s.dataset.testPath = m_heldOut;
        s.dataset.limit = 40; // of the 90 training texts
        const TrainOutcome out = runTraining(s, run("held"));
        QVERIFY2(out.state == JobState::Completed, out.error.c_str());
        QCOMPARE(out.samplesTrained, int64_t(40 * s.training.epochs));
        QVERIFY(out.test);
        QCOMPARE(out.test->examples, int64_t(40));
        QVERIFY2(out.test->accuracy > 0.9, qPrintable(QString::number(out.test->accuracy)));
        QCOMPARE(scalars(run("held"), "test/accuracy"),
                 std::vector<double>{double(float(out.test->accuracy))});

        const Evaluation e = evaluateRun(run("held"), m_heldOut);
        QCOMPARE(e.accuracy, out.test->accuracy);
        QCOMPARE(e.model, run("held") + "/checkpoints/best.pt");
        QCOMPARE(e.classNames, (std::vector<std::string>{"neg", "pos"}));
        QCOMPARE(e.confusion[0] + e.confusion[1], int64_t(20)); // 20 negative reviews
        QVERIFY(e.precision[0] > 0.8 && e.recall[1] > 0.8);
        const std::string json = evaluationJson(e);
        QVERIFY(json.find("\"confusion_matrix\"") != std::string::npos);
        QVERIFY(evaluationText(e).find("precision  recall") != std::string::npos);

        // A class the run never saw, and a folder that is not a run, are named.
        writeTexts(m_heldOut + "-odd", 2, 0);
        std::filesystem::rename(m_heldOut + "-odd/pos", m_heldOut + "-odd/meh");
        try {
            evaluateRun(run("held"), m_heldOut + "-odd");
            QFAIL("a new class was accepted");
        } catch (const SpecError &e) {
            QCOMPARE(
                QString(e.what()),
                QString::fromStdString(
                    m_heldOut + "-odd: class 'meh' is not one the run was trained on (neg, pos)"));
        }
        QVERIFY_THROWS_EXCEPTION(SpecError, evaluateRun(m_texts, m_heldOut));
        s.dataset.testPath = m_heldOut + "-missing"; // refused before training, not after
        const TrainOutcome missing = runTraining(s, run("missing"));
        QCOMPARE(missing.error, "dataset.test_path: " + m_heldOut + "-missing: no such folder");
        QVERIFY(missing.epochs.empty());
    }
};

QTEST_GUILESS_MAIN(TestUserModels)
#include "tst_usermodels.moc"
