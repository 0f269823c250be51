// Real LibTorch training on a small synthetic set: what a job logs, saves and reports, and how
// it fails (bad data file, NaN loss, CUDA-only settings on a CPU, cancellation).
#include "core/events/logdirindex.h"
#include "core/profile/chrometrace.h"
#include "core/run/jobrunner.h"
#include "core/train/earlystopping.h"
#include "core/train/trainer.h"

#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>

using namespace trainscope;

namespace {

JobSpec synthetic(const std::string &name) {
    JobSpec s;
    s.name = name;
    s.dataset.name = "synthetic";
    s.dataset.limit = 2000;
    s.model.hidden = {32};
    s.training.epochs = 3;
    s.training.batchSize = 64;
    s.profile = {true, 2, 0, 1, 5, 1};
    return s;
}

struct Recorder : Observer {
    std::mutex m;
    std::vector<JobState> states;
    std::vector<EpochResult> epochs;
    int confusions = 0, profiles = 0;
    size_t steps = 0;
    void onState(int, JobState s, const std::string &) override {
        std::lock_guard l(m);
        states.push_back(s);
    }
    void onEpoch(const EpochResult &r) override {
        std::lock_guard l(m);
        epochs.push_back(r);
    }
    void onConfusion(const ConfusionMatrix &) override {
        std::lock_guard l(m);
        ++confusions;
    }
    void onProfile(int, const ProfileSummary &) override {
        std::lock_guard l(m);
        ++profiles;
    }
    void onSteps(int, const std::vector<StepStats> &s) override {
        std::lock_guard l(m);
        steps += s.size();
    }
    bool wantsTrace() const override { return true; }
    void onTrace(int, std::shared_ptr<const TraceFile> t) override {
        std::lock_guard l(m);
        traces.push_back(std::move(t));
    }
    std::vector<std::shared_ptr<const TraceFile>> traces;
};

std::string slurp(const std::string &path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string run(const char *name) { return m_dir.filePath(name).toStdString(); }

private slots:
    void trainsLogsAndSavesEverything() {
        Recorder rec;
        const TrainOutcome out = runTraining(synthetic("ok"), run("ok"), 1, &rec);
        QCOMPARE(out.state, JobState::Completed);
        QCOMPARE(out.epochs.size(), size_t(3));
        QVERIFY2(out.epochs.back().valAccuracy > 0.9,
                 qPrintable(QString::number(out.epochs.back().valAccuracy)));
        QVERIFY(out.epochs.back().trainLoss < out.epochs.front().trainLoss);
        QCOMPARE(rec.states, (std::vector<JobState>{JobState::Running, JobState::Completed}));
        QCOMPARE(rec.epochs.size(), size_t(3));
        QCOMPARE(rec.confusions, 3);
        QCOMPARE(rec.profiles, 1);
        QCOMPARE(rec.steps, size_t(5));
        QVERIFY(out.profile);
        QCOMPARE(out.profile->deviceNote, std::string("no GPU: host and operator tracing only"));
        QVERIFY(!out.profile->topOps.empty());
        QVERIFY(std::filesystem::exists(run("ok") + "/checkpoints/best.pt"));
        QVERIFY(std::filesystem::exists(run("ok") + "/checkpoints/last.pt"));
        QVERIFY2(!latestProfilePath(run("ok")).empty(),
                 slurp(run("ok") + "/trainscope.log").c_str());
        QVERIFY(slurp(run("ok") + "/trainscope.log").find("job completed") != std::string::npos);

        // The window's trace: sent live and once complete, saved with host, operator and
        // CPU allocator events, and the reason there is no GPU lane.
        QVERIFY(!rec.traces.empty());
        const TraceFile saved = readChromeTrace(latestProfilePath(run("ok")));
        const TraceFile &sent = *rec.traces.back();
        QCOMPARE(sent.events.size(), saved.events.size());
        QCOMPARE(saved.deviceInfo.note, std::string("no GPU: host and operator tracing only"));
        QCOMPARE(saved.deviceInfo.device, std::string("cpu"));
        QVERIFY(saved.processNames.count(0));
        const auto steps = std::count_if(saved.events.begin(), saved.events.end(),
                                         [](const TraceEvent &e) { return e.category == "step"; });
        QCOMPARE(steps, 5);
        QVERIFY(!saved.memory.empty());
        QCOMPARE(saved.memory.front().device, std::string("cpu"));
        QVERIFY(std::any_of(saved.memory.begin(), saved.memory.end(),
                            [](const MemoryEvent &m) { return m.bytes < 0; })); // frees too
        QVERIFY(std::all_of(saved.memory.begin(), saved.memory.end(),
                            [](const MemoryEvent &m) { return m.totalAllocated >= 0; }));

        LogdirIndex index(run("ok"));
        index.refresh();
        const RunData *r = index.run(".");
        QVERIFY(r);
        QCOMPARE(r->tag("val/accuracy")->scalars.size(), size_t(3));
        QCOMPARE(double(r->tag("val/accuracy")->scalars.value(2)),
                 double(float(out.epochs.back().valAccuracy)));
        QVERIFY(r->tag("batch/loss")->scalars.size() > 0);
        QCOMPARE(decodeTensor(r->tag("val/confusion_matrix")->tensors.back().value).value().shape,
                 (std::vector<int64_t>{10, 10}));
        QCOMPARE(r->tag("val/confusion_matrix_image")->kind, TagKind::Image);
        QVERIFY(r->tag("weights/layer1.weight")); // the preset's first dense layer, by name
        QVERIFY(r->hparams);
        QCOMPARE(std::get<std::string>(r->hparams->values.at("model.type")), std::string("mlp"));
        // Numbers as numbers, so TensorBoard's HParams view sorts and plots them.
        QVERIFY(std::holds_alternative<double>(r->hparams->values.at("optimizer.learning_rate")));
        QVERIFY(std::holds_alternative<double>(r->hparams->values.at("training.batch_size")));
        QVERIFY(std::holds_alternative<double>(r->hparams->values.at("model.dropout")));
        QCOMPARE(r->hparams->status, 1);
    }
    void eachWindowOfTheScheduleIsSavedOnItsOwn() {
        // wait 1, active 2, forever: a profile per window, none holding more than its window.
        JobSpec s = synthetic("cycles");
        s.profile = {true, 1, 1, 0, 2, 0};
        Recorder rec;
        const TrainOutcome out = runTraining(s, run("cycles"), 1, &rec);
        QCOMPARE(out.state, JobState::Completed);
        QVERIFY(out.profiledStepMs.size() > 10);
        size_t profiles = 0;
        for (const auto &entry :
             std::filesystem::recursive_directory_iterator(run("cycles") + "/plugins/profile")) {
            if (!entry.is_regular_file()) continue;
            ++profiles;
            const TraceFile t = readChromeTrace(entry.path().string());
            const auto steps =
                std::count_if(t.events.begin(), t.events.end(),
                              [](const TraceEvent &e) { return e.category == "step"; });
            // One window (plus, at an epoch's end, the step that found no more input).
            QVERIFY2(steps >= 1 && steps <= 3, entry.path().c_str());
        }
        QVERIFY2(profiles >= out.profiledStepMs.size() / 2, std::to_string(profiles).c_str());
        QCOMPARE(rec.profiles, int(profiles));
    }
    void badDataFileFailsWithTheFileName() {
        JobSpec s = synthetic("baddata");
        s.dataset.name = "fashion_mnist";
        s.dataset.path = m_dir.filePath("nowhere").toStdString();
        const TrainOutcome out = runTraining(s, run("baddata"));
        QCOMPARE(out.state, JobState::Failed);
        QVERIFY2(out.error.find("nowhere/train-images-idx3-ubyte.gz: cannot open") !=
                     std::string::npos,
                 out.error.c_str());
        QVERIFY(slurp(run("baddata") + "/trainscope.log").find("cannot open") != std::string::npos);
    }
    // No validation examples: no val/* figures (not zeros), best by training accuracy, and
    // samples/s counts the samples the steps took, not batch_size per step.
    void withoutValidationExamplesNoValidationFigures() {
        JobSpec s = synthetic("noval");
        s.dataset.limit = 50;
        s.dataset.validationSplit = 0;
        s.training.batchSize = 1024; // more than the dataset holds
        s.profile.enabled = false;
        Recorder rec;
        const TrainOutcome out = runTraining(s, run("noval"), 1, &rec);
        QCOMPARE(out.state, JobState::Completed);
        QCOMPARE(out.samplesTrained, int64_t(3 * 50));
        const double totalMs = out.runMeanStepMs * 3; // one step an epoch
        QCOMPARE(out.samplesPerSecond, 150 * 1000.0 / totalMs);
        QCOMPARE(rec.epochs.size(), size_t(3));
        QVERIFY(!rec.epochs.back().validated);
        QVERIFY(!epochMetric(rec.epochs.back(), "val/accuracy"));
        QCOMPARE(validationText(rec.epochs.back()), std::string("no validation examples"));
        QVERIFY(out.bestEpoch >= 1);
        LogdirIndex index(run("noval"));
        index.refresh();
        QVERIFY(index.run(".")->tag("train/accuracy"));
        QVERIFY(!index.run(".")->tag("val/accuracy"));
        QVERIFY(slurp(run("noval") + "/trainscope.log").find("no validation examples") !=
                std::string::npos);

        s.earlyStopping = EarlyStoppingSpec{};
        s.earlyStopping->monitor = "val/loss";
        const TrainOutcome refused = runTraining(s, run("noval-early"));
        QCOMPARE(refused.state, JobState::Failed);
        QVERIFY(refused.badInput);
        QVERIFY2(refused.error.find("early_stopping.monitor: val/loss needs validation examples") !=
                     std::string::npos,
                 refused.error.c_str());
    }
    void nanLossFailsAndSaysWhatToChange() {
        JobSpec s = synthetic("nan");
        s.optimizer.type = "sgd";
        s.optimizer.learningRate = 10; // diverges within a few steps
        s.model.hidden = {256, 256};
        s.training.epochs = 5;
        const TrainOutcome out = runTraining(s, run("nan"));
        QCOMPARE(out.state, JobState::Failed);
        QVERIFY2(out.error.find("optimizer.learning_rate") != std::string::npos, out.error.c_str());
    }
    void mixedPrecisionOnCpuIsRefused() {
        JobSpec s = synthetic("amp");
        s.training.device = "cpu";
        s.training.mixedPrecision = "bf16";
        const TrainOutcome out = runTraining(s, run("amp"));
        QCOMPARE(out.state, JobState::Failed);
        QVERIFY(out.error.find("needs a CUDA device") != std::string::npos);
    }
    void runnerRunsSeveralAndCancels() {
        Recorder rec;
        JobRunner runner(m_dir.filePath("runner").toStdString(), &rec);
        JobSpec slow = synthetic("same");
        slow.training.epochs = 1000;
        const int a = runner.submit(slow), b = runner.submit(synthetic("same"));
        QVERIFY(runner.runDir(a) != runner.runDir(b)); // "same" and "same-2"
        QCOMPARE(runner.wait(b).state, JobState::Completed);
        runner.cancel(a);
        const TrainOutcome cancelled = runner.wait(a);
        QCOMPARE(cancelled.state, JobState::Cancelled);
        QCOMPARE(runner.state(a), JobState::Cancelled);
    }
    void textClassifierLearnsFromAFolder() {
        const std::string root = m_dir.filePath("texts").toStdString();
        const char *neg[] = {"bad", "awful", "boring", "dull", "worst"},
                   *pos[] = {"good", "great", "fun", "superb", "best"};
        for (int i = 0; i < 60; ++i) {
            std::filesystem::create_directories(root + "/neg");
            std::filesystem::create_directories(root + "/pos");
            std::ofstream(root + "/neg/" + std::to_string(i) + ".txt")
                << "the film was " << neg[i % 5] << " and " << neg[(i + 2) % 5];
            std::ofstream(root + "/pos/" + std::to_string(i) + ".txt")
                << "the film was " << pos[i % 5] << " and " << pos[(i + 3) % 5];
        }
        JobSpec s = synthetic("text");
        s.dataset.name = "text_folder";
        s.dataset.path = root;
        s.dataset.sequenceLength = 8;
        s.model.type = "text_cnn";
        s.model.channels = {16};
        s.model.embeddingDim = 8;
        s.optimizer.learningRate = 0.01;
        s.training.epochs = 8;
        s.training.batchSize = 16;
        const TrainOutcome out = runTraining(s, run("text"));
        QCOMPARE(out.state, JobState::Completed);
        QVERIFY2(out.epochs.back().valAccuracy > 0.9,
                 qPrintable(QString::number(out.epochs.back().valAccuracy)));
        s.pipeline.augment = {{"noise", 0.1}};
        const TrainOutcome refused = runTraining(s, run("text-noise"));
        QCOMPARE(refused.state, JobState::Failed);
        QVERIFY(refused.error.find("pipeline.preprocess and pipeline.augment") !=
                std::string::npos);
        JobSpec wrong = synthetic("text-model-on-images");
        wrong.model.type = "text_cnn";
        QVERIFY(runTraining(wrong, run("wrong")).error.find("needs token indices") !=
                std::string::npos);
    }

    void earlyStoppingFollowsKeras() {
        EarlyStoppingSpec spec;
        spec.patience = 2;
        spec.minDelta = 0.01;
        EarlyStopping e(spec); // val/loss: minimise
        QVERIFY(!e.update(1.0));
        QVERIFY(!e.update(0.995)); // not better by min_delta
        QVERIFY(e.update(0.999));  // second miss: stop
        QCOMPARE(e.bestEpoch(), 1);
        spec.monitor = "val/accuracy";
        spec.baseline = 0.8;
        spec.patience = 1;
        EarlyStopping acc(spec);
        QVERIFY(!acc.minimising());
        QVERIFY(acc.update(0.7)); // never beat the baseline
        JobSpec s = synthetic("early");
        s.training.epochs = 50;
        s.earlyStopping = EarlyStoppingSpec{};
        s.earlyStopping->patience = 0;
        s.earlyStopping->minDelta = 10; // nothing improves that much after the first epoch
        const TrainOutcome out = runTraining(s, run("early"));
        QCOMPARE(out.state, JobState::Completed);
        QCOMPARE(out.epochs.size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
