#include "core/train/trainer.h"

#include "core/jobs/specerror.h"

#include "core/data/dataset.h"
#include "core/data/pipeline.h"
#include "core/events/eventwriter.h"
#include "core/events/pngencoder.h"
#include "core/profile/chrometrace.h"
#include "core/profile/stepanalysis.h"
#include "core/profile/torch/profilesession.h"
#include "core/train/earlystopping.h"
#include "core/train/evaluation.h"
#include "core/train/internal/models.h"
#include "core/train/internal/scoring.h"
#include "core/train/learningrate.h"

#include <ATen/autocast_mode.h>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <thread>

namespace fs = std::filesystem;

namespace trainscope {
namespace {

class NullObserver : public Observer {};

// Appends timestamped lines to <run>/trainscope.log.
class RunLog {
public:
    explicit RunLog(const std::string &runDir)
        : m_out(runDir + "/trainscope.log", std::ios::app) {}
    void line(const std::string &text) {
        const auto t = std::time(nullptr);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", std::localtime(&t));
        m_out << stamp << "  " << text << std::endl;
    }

private:
    std::ofstream m_out;
};

struct Metrics {
    double loss = 0, accuracy = 0;
};

torch::Device chooseDevice(const TrainingSpec &t) {
    const bool cuda = torch::cuda::is_available();
    if (t.device == "cuda" && !cuda)
        throw std::runtime_error("training.device is \"cuda\" but no CUDA device is available");
    if (t.mixedPrecision != "none" && !(cuda && t.device != "cpu"))
        throw std::runtime_error(
            "training.mixed_precision \"" + t.mixedPrecision +
            "\" needs a CUDA device; this job runs on the CPU (set it to \"none\")");
    if (isCudaIndex(t.device)) {
        const int index = std::stoi(t.device.substr(5));
        const int count = cuda ? int(torch::cuda::device_count()) : 0;
        if (index >= count)
            throw std::runtime_error("training.device is \"" + t.device + "\" but " +
                                     std::to_string(count) + " CUDA device(s) are available");
        return torch::Device(torch::kCUDA, torch::DeviceIndex(index));
    }
    return (t.device != "cpu" && cuda) ? torch::Device(torch::kCUDA, 0)
                                       : torch::Device(torch::kCPU);
}

std::vector<int64_t> batchShape(const Batch &b) {
    std::vector<int64_t> shape{int64_t(b.size())};
    shape.insert(shape.end(), b.exampleShape.begin(), b.exampleShape.end());
    return shape;
}

// The heatmap TensorBoard shows: one cell per (true, predicted) pair, row-normalised.
std::string confusionPng(const ConfusionMatrix &m) {
    const int k = m.classes(), cell = 24;
    std::vector<uint8_t> rgb(size_t(k * cell) * size_t(k * cell) * 3, 255);
    for (int r = 0; r < k; ++r) {
        int64_t total = 0;
        for (int c = 0; c < k; ++c)
            total += m.at(r, c);
        for (int c = 0; c < k; ++c) {
            const double share = total ? double(m.at(r, c)) / double(total) : 0;
            const auto shade = uint8_t(255 - 200 * share);
            for (int y = r * cell; y < (r + 1) * cell - 1; ++y)
                for (int x = c * cell; x < (c + 1) * cell - 1; ++x) {
                    uint8_t *p = &rgb[(size_t(y) * size_t(k * cell) + size_t(x)) * 3];
                    p[0] = shade, p[1] = shade, p[2] = 255;
                }
        }
    }
    return encodePng(k * cell, k * cell, rgb);
}

// Mixed precision on CUDA: the forward pass (and loss) under autocast, as torch.autocast does.
class AutocastScope {
public:
    explicit AutocastScope(const std::string &precision)
        : m_on(precision != "none") {
        if (!m_on) return;
        at::autocast::set_autocast_gpu_dtype(precision == "bf16" ? at::kBFloat16 : at::kHalf);
        at::autocast::set_enabled(true);
    }
    ~AutocastScope() {
        if (!m_on) return;
        at::autocast::set_enabled(false);
        at::autocast::clear_cache();
    }

private:
    bool m_on;
};

class TrainingRun {
public:
    TrainingRun(const JobSpec &spec, std::string runDir, int jobId, Observer &observer,
                const std::atomic<bool> *cancel)
        : m_spec(spec)
        , m_runDir(std::move(runDir))
        , m_jobId(jobId)
        , m_observer(observer)
        , m_cancel(cancel)
        , m_log(m_runDir)
        , m_profile(ProfileSchedule{spec.profile.skipFirst, spec.profile.wait, spec.profile.warmup,
                                    spec.profile.active, spec.profile.repeat},
                    spec.profile.enabled, jobId, observer) {}

    TrainOutcome run();
    void setHParams(std::map<std::string, HParamValue> hparams) { m_hparams = std::move(hparams); }

private:
    void setUp();
    void loadInitialWeights();
    void trainEpochs();
    EpochResult runEpoch(int epoch);
    void saveCheckpoints(const EpochResult &r);
    bool stopEarly(EarlyStopping &stopper, const EpochResult &r);
    void summarizeSteps();
    Metrics trainEpoch(int epoch);
    Metrics validate(int epoch);
    void logHistograms(int epoch);
    void finishProfile();
    void saveCheckpoint(const std::string &name);
    void saveRunInputs();
    void saveModel();
    void scoreTestSet();
    void setLearningRate(double rate);
    void checkImageOps() const;
    bool cancelled() const { return m_cancel && m_cancel->load(); }
    // Page-locked host memory lets the copy run asynchronously (pipeline.pin_memory).
    torch::Tensor toDevice(const torch::Tensor &host) const {
        if (!m_device.is_cuda()) return host;
        return m_spec.pipeline.pinMemory ? host.pin_memory().to(m_device, /*non_blocking=*/true)
                                         : host.to(m_device);
    }

    JobSpec m_spec;
    std::string m_runDir;
    int m_jobId;
    Observer &m_observer;
    const std::atomic<bool> *m_cancel;
    RunLog m_log;
    ProfileSession m_profile;
    std::map<std::string, HParamValue> m_hparams; // for TensorBoard's HParams view
    std::unique_ptr<EventWriter> m_events;
    DatasetSplits m_data;
    std::unique_ptr<Pipeline> m_train, m_val;
    torch::Device m_device{torch::kCPU};
    torch::jit::Module m_model;
    std::vector<torch::Tensor> m_trainable; // the parameters the optimizer moves
    std::unique_ptr<torch::optim::Optimizer> m_optimizer;
    std::optional<LearningRateSchedule> m_schedule;
    double m_rate = 0; // the learning rate of the latest step
    int64_t m_step = 0;
    double m_bestAccuracy = -1;               // validation accuracy of checkpoints/best.pt
    std::optional<torch::jit::Module> m_best; // early stopping's restore_best_weights
    TrainOutcome m_outcome;
};

Metrics TrainingRun::trainEpoch(int epoch) {
    m_model.train();
    m_train->startEpoch(epoch);
    const int64_t batches = int64_t(m_train->batchesPerEpoch());
    double lossSum = 0;
    int64_t correct = 0, seen = 0;
    Batch batch;
    for (int64_t b = 0;; ++b) {
        if (cancelled()) throw std::runtime_error("cancelled");
        setLearningRate(m_schedule->rate(epoch, b));
        const bool recorded = m_profile.beginStep(m_step);
        const auto t0 = std::chrono::steady_clock::now();
        {
            Tracer::Range r(m_profile.tracer(), "input", "input");
            if (!m_train->next(batch)) {
                m_profile.discardStep();
                break;
            }
        }
        torch::Tensor x, y;
        {
            Tracer::Range r(m_profile.tracer(), "to_device", "h2d");
            x = toDevice(
                torch::from_blob(batch.features.data(), batchShape(batch), torch::kFloat32));
            y = toDevice(
                torch::from_blob(batch.labels.data(), {int64_t(batch.size())}, torch::kInt64));
        }
        torch::Tensor logits, loss;
        {
            Tracer::Range r(m_profile.tracer(), "forward", "host_compute");
            AutocastScope amp(m_spec.training.mixedPrecision); // refused on the CPU by chooseDevice
            logits = m_model.forward({x}).toTensor();
            loss = torch::nn::functional::cross_entropy(
                logits.to(torch::kFloat32), y,
                torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(
                    m_spec.training.labelSmoothing));
        }
        {
            Tracer::Range r(m_profile.tracer(), "backward", "host_compute");
            m_optimizer->zero_grad();
            loss.backward();
            if (m_spec.optimizer.clipNorm > 0)
                torch::nn::utils::clip_grad_norm_(m_trainable, m_spec.optimizer.clipNorm);
        }
        {
            Tracer::Range r(m_profile.tracer(), "optimizer.step", "host_compute");
            m_optimizer->step();
        }
        double lossValue;
        int64_t hits;
        {
            Tracer::Range r(m_profile.tracer(), "loss.item", "d2h");
            lossValue = loss.item<double>();
            hits = logits.argmax(1).eq(y).sum().item<int64_t>();
        }
        m_profile.endStep(); // counted in the step's time: it is profiling's cost
        if (!std::isfinite(lossValue))
            throw std::runtime_error("loss is " + std::to_string(lossValue) + " at step " +
                                     std::to_string(m_step) + " (epoch " + std::to_string(epoch) +
                                     "): lower optimizer.learning_rate (now " +
                                     std::to_string(m_spec.optimizer.learningRate) + ")");
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        (recorded ? m_outcome.profiledStepMs : m_outcome.unprofiledStepMs).push_back(float(ms));
        m_outcome.samplesTrained += int64_t(batch.size());
        lossSum += lossValue * double(batch.size());
        correct += hits;
        seen += int64_t(batch.size());
        if (!recorded && m_profile.pending()) finishProfile();
        if (m_step % 10 == 0) {
            m_events->addScalar("batch/loss", m_step, lossValue);
            m_events->addScalar("perf/step_time_ms", m_step, ms);
            m_events->addScalar("perf/samples_per_second", m_step,
                                double(batch.size()) * 1000.0 / ms);
            if (m_spec.optimizer.schedule.type != "none")
                m_events->addScalar("batch/learning_rate", m_step, m_rate);
        }
        JobProgress p{m_jobId,
                      epoch,
                      m_spec.training.epochs,
                      m_step,
                      b + 1,
                      batches,
                      double(batch.size()) * 1000.0 / ms,
                      lossValue};
        m_observer.onProgress(p);
        ++m_step;
    }
    return {seen ? lossSum / double(seen) : 0, seen ? double(correct) / double(seen) : 0};
}

Metrics TrainingRun::validate(int epoch) {
    const Evaluation e = scoreModel(m_model, *m_val, m_device, m_data.validation.classNames);
    if (m_spec.confusionMatrix && e.examples) {
        const ConfusionMatrix cm{m_jobId, epoch, e.classNames, e.confusion};
        const int k = cm.classes();
        TensorValue t;
        t.shape = {k, k};
        for (int64_t c : cm.counts)
            t.values.push_back(double(c));
        m_events->addTensor("val/confusion_matrix", epoch, t, "confusion_matrix");
        ImageValue img;
        img.encoded = confusionPng(cm);
        img.width = img.height = k * 24;
        img.colorspace = 3;
        m_events->addImage("val/confusion_matrix_image", epoch, img);
        m_observer.onConfusion(cm);
    }
    return {e.loss, e.accuracy};
}

void TrainingRun::logHistograms(int epoch) {
    for (const auto &p : m_model.named_parameters()) {
        auto values = [](const torch::Tensor &t) {
            auto flat = t.detach().to(torch::kCPU, torch::kDouble).flatten().contiguous();
            return std::vector<double>(flat.data_ptr<double>(),
                                       flat.data_ptr<double>() + flat.numel());
        };
        m_events->addHistogram("weights/" + p.name, epoch, values(p.value));
        if (p.value.grad().defined())
            m_events->addHistogram("gradients/" + p.name, epoch, values(p.value.grad()));
    }
}

void TrainingRun::finishProfile() {
    if (!m_profile.pending()) return;
    AdviceContext ctx;
    ctx.mapWorkers = m_train->workers();
    ctx.prefetch = m_train->prefetch();
    ctx.cache = m_spec.pipeline.cache;
    ctx.hasPreprocess = !m_spec.pipeline.preprocess.empty();
    ctx.batchSize = m_spec.training.batchSize;
    ctx.device = m_device.is_cuda() ? "cuda" : "cpu";
    ctx.mixedPrecision = m_spec.training.mixedPrecision;
    ctx.pinMemory = m_spec.pipeline.pinMemory;
    ctx.cores = int(std::max(1u, std::thread::hardware_concurrency()));
    std::string error;
    std::optional<ProfileSummary> summary =
        m_profile.finish(ctx, m_train->stageStats(), m_runDir, error);
    if (!error.empty()) m_log.line("profile not saved: " + error);
    if (!summary) return;
    m_log.line("profile: " + std::string(inputVerdictName(summary->verdict)) + ": " +
               summary->verdictText);
    m_outcome.profile = std::move(*summary);
}

void TrainingRun::saveCheckpoint(const std::string &name) {
    const fs::path dir = fs::path(m_runDir) / "checkpoints";
    fs::create_directories(dir);
    const fs::path tmp = dir / (name + ".pt.tmp");
    m_model.save(tmp.string());
    fs::rename(tmp, dir / (name + ".pt")); // a reader never sees half a checkpoint
}

// The colour ops need RGB images; every image op needs images.
void TrainingRun::checkImageOps() const {
    const std::vector<int64_t> &shape = m_data.train.shape;
    for (const auto &[ops, path] : {std::pair{&m_spec.pipeline.preprocess, "pipeline.preprocess"},
                                    std::pair{&m_spec.pipeline.augment, "pipeline.augment"}})
        for (size_t i = 0; i < ops->size(); ++i) {
            const std::string &op = (*ops)[i].op,
                              field = std::string(path) + "[" + std::to_string(i) + "].op";
            if (shape.size() != 3 && op != "noise" && op != "brightness")
                throw SpecError(field, op + " needs images [channels, height, width]; the "
                                            "examples are flat");
            if ((op == "saturation" || op == "hue") && shape[0] != 3)
                throw SpecError(field, op + " needs RGB images (dataset.channels 3); these have " +
                                           std::to_string(shape[0]) + " channel");
        }
}

void TrainingRun::setLearningRate(double rate) {
    m_rate = rate;
    for (auto &group : m_optimizer->param_groups())
        group.options().set_lr(rate);
}

// What `trainscope evaluate` needs to read a held-out folder as this run read its data.
void TrainingRun::saveRunInputs() {
    const fs::path run(m_runDir);
    auto write = [&](const char *name, const std::string &text) {
        const fs::path tmp = run / (std::string(name) + ".tmp");
        std::ofstream(tmp) << text;
        fs::rename(tmp, run / name);
    };
    write(kRunSpecFile, m_spec.toJson() + "\n");
    nlohmann::json data = {{"classes", m_data.train.classNames},
                           {"example_shape", m_data.train.shape}};
    if (!m_data.vocabulary.empty()) data["vocabulary"] = m_data.vocabulary;
    write(kRunDataFile, data.dump() + "\n");
}

// <run>/model.pt: the trained model (best weights when early stopping restored them), in eval
// mode on the CPU, as Python's torch.jit.load opens it.
void TrainingRun::saveModel() {
    const fs::path tmp = fs::path(m_runDir) / (std::string(kRunModelFile) + ".tmp");
    m_model.eval();
    m_model.to(torch::kCPU);
    m_model.save(tmp.string());
    m_model.to(m_device);
    fs::rename(tmp, fs::path(m_runDir) / kRunModelFile);
}

// dataset.test_path: the best weights on the held-out folder, logged as test/ scalars.
void TrainingRun::scoreTestSet() {
    if (m_spec.dataset.testPath.empty()) return;
    const Evaluation e = evaluateRun(m_runDir, m_spec.dataset.testPath);
    const int epoch = m_outcome.epochs.empty() ? 0 : m_outcome.epochs.back().epoch;
    m_events->addScalar("test/accuracy", epoch, e.accuracy);
    m_events->addScalar("test/loss", epoch, e.loss);
    m_outcome.test = e;
    char line[160];
    std::snprintf(line, sizeof line, "test: accuracy %.4f, loss %.4f on %lld examples of %s",
                  e.accuracy, e.loss, static_cast<long long>(e.examples), e.data.c_str());
    m_log.line(line);
}

// Events, device, data, pipelines, model and optimizer: everything before the first epoch.
void TrainingRun::setUp() {
    m_events = std::make_unique<EventWriter>(m_runDir);
    if (m_hparams.empty()) m_hparams = m_spec.hparams();
    m_events->addHParamsSessionStart(m_hparams);
    m_device = chooseDevice(m_spec.training);
    m_profile.setGpu(m_device.is_cuda());
    if (m_spec.training.threads > 0) torch::set_num_threads(m_spec.training.threads);
    torch::manual_seed(uint64_t(m_spec.training.seed));
    try {
        m_data = loadDataset(m_spec.dataset);
    } catch (const SpecError &) {
        throw;
    } catch (const std::exception &e) { // a missing or corrupt file the spec names
        throw SpecError("dataset.path", e.what());
    }
    if (m_data.train.size() == 0) throw std::runtime_error("dataset: no training examples");
    if (m_data.validation.size() == 0 && m_spec.earlyStopping &&
        needsValidation(m_spec.earlyStopping->monitor))
        throw SpecError("early_stopping.monitor",
                        m_spec.earlyStopping->monitor +
                            " needs validation examples; the dataset has none (validation_split " +
                            std::to_string(m_spec.dataset.validationSplit) + ")");
    m_train = std::make_unique<Pipeline>(m_data.train, m_spec.pipeline, m_spec.training.batchSize,
                                         true, uint64_t(m_spec.training.seed));
    PipelineSpec valSpec = m_spec.pipeline;
    valSpec.augment.clear();
    valSpec.prefetch = 0;
    m_val = std::make_unique<Pipeline>(m_data.validation, valSpec, 512, false, 0);
    const bool text = m_data.train.name == "text_folder";
    if (text && !(m_spec.pipeline.preprocess.empty() && m_spec.pipeline.augment.empty()))
        throw std::runtime_error(
            "pipeline.preprocess and pipeline.augment are image transforms: a text_folder "
            "dataset takes none");
    if (!m_spec.dataset.testPath.empty() && !fs::is_directory(m_spec.dataset.testPath))
        throw SpecError("dataset.test_path", m_spec.dataset.testPath + ": no such folder");
    const int classes = int(m_data.train.classNames.size());
    checkImageOps();
    const std::vector<int64_t> &exampleShape = m_train->exampleShape(); // once preprocessed
    m_model = buildModel(m_spec.model, exampleShape, classes, m_data.train.vocabularySize);
    { // the contract, on a few real examples, before any time is spent
        std::vector<float> sample = m_train->preprocessed(8);
        std::vector<int64_t> shape{int64_t(sample.size() / m_train->exampleSize())};
        shape.insert(shape.end(), exampleShape.begin(), exampleShape.end());
        checkLogits(m_model, m_spec.model, torch::from_blob(sample.data(), shape), classes);
    }
    m_model.to(m_device);
    m_trainable = trainableParameters(m_model);
    if (m_trainable.empty())
        throw SpecError("model.freeze", "freezes every parameter: nothing is left to train");
    m_optimizer = buildOptimizer(m_spec.optimizer, m_trainable);
    m_schedule.emplace(m_spec.optimizer.schedule, m_spec.optimizer.learningRate,
                       m_spec.training.epochs, int64_t(m_train->batchesPerEpoch()));
    m_rate = m_spec.optimizer.learningRate;
    saveRunInputs();
}

// training.initial_weights: continue from a checkpoint at training.initial_epoch.
void TrainingRun::loadInitialWeights() {
    if (m_spec.training.initialWeights.empty()) return;
    try {
        copyWeights(torch::jit::load(m_spec.training.initialWeights, m_device), m_model);
    } catch (const std::exception &e) {
        const std::string what = e.what();
        throw SpecError("training.initial_weights", "cannot load " +
                                                        m_spec.training.initialWeights + ": " +
                                                        what.substr(0, what.find('\n')));
    }
    m_step = int64_t(m_spec.training.initialEpoch) * int64_t(m_train->batchesPerEpoch());
}

// One epoch trained and validated, its figures written, reported and logged.
EpochResult TrainingRun::runEpoch(int epoch) {
    const auto start = std::chrono::steady_clock::now();
    const Metrics train = trainEpoch(epoch);
    const Metrics val = validate(epoch);
    const EpochResult r{
        m_jobId,
        epoch,
        train.loss,
        train.accuracy,
        val.loss,
        val.accuracy,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
        m_data.validation.size() > 0};
    m_outcome.epochs.push_back(r);
    for (const std::string &metric : jobMetrics())
        if (const auto value = epochMetric(r, metric)) m_events->addScalar(metric, epoch, *value);
    m_events->addScalar("learning_rate", epoch, m_rate);
    if (const auto monitored = epochMetric(r, m_spec.optimizer.schedule.monitor);
        m_schedule->epochEnded(monitored)) {
        m_log.line("reduce_on_plateau: learning rate " + std::to_string(m_rate) + " -> " +
                   std::to_string(m_schedule->rate(epoch + 1, 0)));
    }
    if (m_spec.histogramsEvery > 0 && epoch % m_spec.histogramsEvery == 0) logHistograms(epoch);
    m_observer.onEpoch(r);
    char line[200];
    std::snprintf(line, sizeof line, "epoch %d: train loss %.4f acc %.4f, %s (%.1f s)", epoch,
                  train.loss, train.accuracy, validationText(r).c_str(), r.seconds);
    m_log.line(line);
    return r;
}

// checkpoints/best.pt when validation accuracy improved (training accuracy, as Keras'
// ModelCheckpoint monitors "accuracy", when there are no validation examples),
// checkpoints/last.pt always.
void TrainingRun::saveCheckpoints(const EpochResult &r) {
    const double accuracy = r.validated ? r.valAccuracy : r.trainAccuracy;
    if (accuracy > m_bestAccuracy) {
        m_bestAccuracy = accuracy;
        m_outcome.bestEpoch = r.epoch;
        if (m_spec.checkpoint) saveCheckpoint("best");
    }
    if (m_spec.checkpoint) saveCheckpoint("last");
}

// Keras' EarlyStopping: whether to stop after `r`, keeping the best weights when asked to.
bool TrainingRun::stopEarly(EarlyStopping &stopper, const EpochResult &r) {
    const std::string &monitor = m_spec.earlyStopping->monitor;
    const bool stop = stopper.update(*epochMetric(r, monitor)); // validated: one of jobMetrics()
    if (stopper.improvedLastEpoch() && m_spec.earlyStopping->restoreBestWeights)
        m_best = m_model.deepcopy(); // parameters and buffers (batch norm's statistics)
    if (stop)
        m_log.line("early stopping after epoch " + std::to_string(r.epoch) + ": " + monitor +
                   " has not improved since epoch " + std::to_string(stopper.bestEpoch()));
    return stop;
}

void TrainingRun::trainEpochs() {
    std::optional<EarlyStopping> stopper;
    if (m_spec.earlyStopping) stopper.emplace(*m_spec.earlyStopping);
    for (int epoch = m_spec.training.initialEpoch + 1; epoch <= m_spec.training.epochs; ++epoch) {
        const EpochResult r = runEpoch(epoch);
        saveCheckpoints(r);
        if (stopper && stopEarly(*stopper, r)) break;
    }
    if (m_best) copyWeights(*m_best, m_model);
}

// The whole run's mean step (profiled and unprofiled steps alike) and throughput.
void TrainingRun::summarizeSteps() {
    const auto &in = m_outcome.profiledStepMs, &out = m_outcome.unprofiledStepMs;
    const size_t steps = in.size() + out.size();
    const double totalMs =
        std::accumulate(in.begin(), in.end(), 0.0) + std::accumulate(out.begin(), out.end(), 0.0);
    m_outcome.runMeanStepMs = steps ? totalMs / double(steps) : 0;
    // The samples the steps took, not batch_size per step: a last, short batch (or a dataset
    // smaller than one batch) holds fewer.
    m_outcome.samplesPerSecond =
        totalMs > 0 ? double(m_outcome.samplesTrained) * 1000.0 / totalMs : 0;
}

TrainOutcome TrainingRun::run() {
    m_outcome.runDir = m_runDir;
    m_log.line("job '" + m_spec.name + "' starting");
    m_observer.onState(m_jobId, JobState::Running, m_runDir);
    try {
        setUp();
        loadInitialWeights();
        trainEpochs();
        finishProfile();
        saveModel();
        scoreTestSet();
        m_outcome.state = JobState::Completed;
    } catch (const std::exception &e) {
        m_profile.stopCollectors();
        const bool wasCancelled = cancelled();
        m_outcome.state = wasCancelled ? JobState::Cancelled : JobState::Failed;
        m_outcome.error = wasCancelled ? "cancelled" : e.what();
        m_outcome.badInput = !wasCancelled && dynamic_cast<const SpecError *>(&e);
        // LibTorch's messages carry a C++ backtrace after the first line: keep the reason.
        if (const size_t nl = m_outcome.error.find('\n'); nl != std::string::npos)
            m_outcome.error.resize(nl);
    }
    summarizeSteps();
    if (m_events) {
        m_events->addHParamsSessionEnd(m_outcome.state == JobState::Completed ? 1 : 2);
        m_events->close();
    }
    m_log.line(std::string("job ") + jobStateName(m_outcome.state) +
               (m_outcome.error.empty() ? "" : ": " + m_outcome.error));
    m_observer.onState(m_jobId, m_outcome.state,
                       m_outcome.state == JobState::Completed ? m_runDir : m_outcome.error);
    return m_outcome;
}

} // namespace

TrainOutcome runTraining(const JobSpec &spec, const std::string &runDir, int jobId,
                         Observer *observer, const std::atomic<bool> *cancel,
                         const std::map<std::string, HParamValue> *hparams) {
    NullObserver none;
    try {
        fs::create_directories(runDir);
        TrainingRun run(spec, runDir, jobId, observer ? *observer : none, cancel);
        if (hparams) run.setHParams(*hparams);
        return run.run();
    } catch (const std::exception &e) { // the run directory itself could not be made
        TrainOutcome out;
        out.runDir = runDir;
        out.error = e.what();
        if (observer) observer->onState(jobId, JobState::Failed, out.error);
        return out;
    }
}

} // namespace trainscope
