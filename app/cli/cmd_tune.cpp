// `trainscope tune SWEEP.json --dir DIR [--workers N] [--resume] [--max-trials N] [--devices
// LIST] [--retrain-best]`: a sweep, headless, with a line per finished trial on stderr and Keras
// Tuner's results summary at the end; `--resume` continues a stopped sweep (SWEEP.json may then
// be left out; --max-trials may raise its budget), `--devices` gives each worker its GPU, and
// `--retrain-best` trains the best configuration again with early stopping. SIGINT or SIGTERM
// stops the sweep's trials (exit 128 + the signal), every one left to --resume.
#include "app/cli/commands.h"

#include "core/run/sweeprunner.h"
#include "core/train/trainer.h"
#include "core/tune/results.h"
#include "core/tune/studystore.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <ostream>
#include <utility>

namespace fs = std::filesystem;

namespace trainscope::cli {
namespace {

class TuneProgress : public Observer {
public:
    TuneProgress(std::ostream &err, const Objective &objective)
        : m_err(err)
        , m_objective(objective) {}
    void onTrial(int, const Trial &t) override {
        if (t.status == TrialStatus::Running) return; // one line per trial, when it ends
        std::string params;
        for (const auto &[name, value] : t.params)
            params += (params.empty() ? "" : ", ") + name + "=" + paramText(value);
        char line[160];
        std::snprintf(line, sizeof line, "trial %d %s", t.id, trialStatusName(t.status));
        std::string text = line;
        if (t.score) {
            std::snprintf(line, sizeof line, " %s=%.4f", m_objective.metric.c_str(), *t.score);
            text += line;
        }
        std::snprintf(line, sizeof line, " in %.0f s", t.finishedAt - t.startedAt);
        text += line + std::string(" (") + params + ")";
        if (!t.error.empty()) text += ": " + t.error;
        std::lock_guard<std::mutex> lock(m_mutex);
        m_err << "trainscope: " << text << "\n" << std::flush;
    }
    void onSweepMessage(int, const std::string &text) override {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_err << "trainscope: " << text << "\n" << std::flush;
    }

private:
    std::ostream &m_err;
    Objective m_objective;
    std::mutex m_mutex;
};

// The best configuration trained again with early stopping on the objective.
int retrainBest(const SweepSpec &spec, const Trial &best, const std::string &dir, std::ostream &out,
                std::ostream &err) {
    if (!spec.job) {
        err << "trainscope: --retrain-best needs a sweep of training jobs (this one runs a "
               "command)\n";
        return BadInput;
    }
    const JobSpec job = retrainJob(spec, best);
    const std::string runDir = (fs::path(dir) / "best").string();
    err << "trainscope: retraining trial " << best.id << "'s configuration in " << runDir << "\n";
    const TrainOutcome outcome = runTraining(job, runDir);
    if (outcome.state != JobState::Completed) {
        err << "trainscope: retraining failed: " << outcome.error << "\n";
        return RuntimeFailure;
    }
    const EpochResult &bestEpoch = outcome.epochs[size_t(outcome.bestEpoch - 1)];
    char line[160];
    std::snprintf(line, sizeof line, "retrained best: %s accuracy %.4f (best epoch %d of %zu)\n",
                  bestEpoch.validated ? "val" : "train (no validation examples)",
                  bestEpoch.validated ? bestEpoch.valAccuracy : bestEpoch.trainAccuracy,
                  outcome.bestEpoch, outcome.epochs.size());
    out << "run: " << runDir << "\n" << line;
    if (outcome.test) { // the base job names dataset.test_path
        std::snprintf(line, sizeof line,
                      "best on the test folder: accuracy %.4f, loss %.4f (%lld examples of %s)\n",
                      outcome.test->accuracy, outcome.test->loss,
                      static_cast<long long>(outcome.test->examples), outcome.test->data.c_str());
        out << line;
    }
    return Ok;
}

// SIGINT and SIGTERM stop the sweep: its commands are stopped with their process groups and
// its trials left to --resume. A second signal ends the process at once.
SweepControl *g_control = nullptr;
volatile std::sig_atomic_t g_signal = 0;

extern "C" void onStopSignal(int signal) {
    g_signal = signal;
    if (g_control) g_control->stop(); // an atomic store: safe in a handler
    std::signal(signal, SIG_DFL);
}

class StopOnSignals {
public:
    explicit StopOnSignals(SweepControl &control) {
        g_control = &control;
        g_signal = 0;
        struct sigaction action {};
        action.sa_handler = onStopSignal;
        sigemptyset(&action.sa_mask);
        for (int s : {SIGINT, SIGTERM})
            sigaction(s, &action, &m_previous[s == SIGINT ? 0 : 1]);
    }
    ~StopOnSignals() {
        sigaction(SIGINT, &m_previous[0], nullptr);
        sigaction(SIGTERM, &m_previous[1], nullptr);
        g_control = nullptr;
    }
    int signal() const { return g_signal; }

private:
    struct sigaction m_previous[2]{};
};

// --devices 0,1,…: GPU indices, whole numbers.
bool parseDevices(const std::string &text, std::vector<std::string> &out, std::ostream &err) {
    out.clear();
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        const std::string d = text.substr(start, end - start);
        if (d.empty() || d.size() > 4 || d.find_first_not_of("0123456789") != std::string::npos) {
            err << "trainscope: tune: --devices: expected GPU indices like 0,1,2; got \"" << text
                << "\"\n";
            return false;
        }
        out.push_back(d);
        start = end + 1;
    }
    return true;
}

} // namespace

int runTune(TuneOptions options, std::ostream &out, std::ostream &err) {
    // `tune --resume DIR`: the directory names the sweep.
    std::error_code ec;
    if (options.dir.empty() && options.resume && fs::is_directory(options.sweep, ec))
        options.dir = std::exchange(options.sweep, std::string());
    if (options.dir.empty()) {
        err << "trainscope: tune: --dir DIR is required (where the study and trial runs go)\n";
        return BadInput;
    }
    SweepSpec spec;
    try {
        if (!options.sweep.empty()) {
            spec = SweepSpec::fromFile(options.sweep);
        } else {
            if (!options.resume) {
                err << "trainscope: tune: give SWEEP.json, or --resume with --dir of a sweep\n";
                return BadInput;
            }
            if (!options.storage.empty() && options.study.empty()) {
                err << "trainscope: tune: --resume from --storage without SWEEP.json needs "
                       "--study NAME\n";
                return BadInput;
            }
            const std::optional<std::string> stored =
                StudyStore(options.storage.empty() ? options.dir : options.storage, options.study,
                           [&](const std::string &text) {
                               err << "trainscope: " << text << "\n" << std::flush;
                           })
                    .value("spec");
            if (!stored) {
                err << "trainscope: " << options.dir << ": no sweep to resume\n";
                return BadInput;
            }
            spec = SweepSpec::fromJson(*stored);
        }
        if (options.maxTrials > 0) {
            spec.maxTrials = options.maxTrials;
            spec.validate();
        }
    } catch (const SpecError &e) {
        err << "trainscope: " << e.what() << "\n";
        return BadInput;
    }
    TuneProgress progress(err, spec.objective);
    SweepControl control;
    SweepOptions sweepOptions;
    sweepOptions.workers = options.workers;
    sweepOptions.resume = options.resume;
    sweepOptions.control = &control;
    if (options.heartbeatGrace >= 0) sweepOptions.heartbeatGraceSeconds = options.heartbeatGrace;
    sweepOptions.storage = options.storage;
    sweepOptions.study = options.study;
    if (!options.storage.empty() && !StudyStore::isPostgresLocation(options.storage)) {
        err << "trainscope: tune: --storage " << options.storage
            << ": expected a postgresql:// URI (a directory's study is DIR/study.db)\n";
        return BadInput;
    }
    if (!options.devices.empty() && !parseDevices(options.devices, sweepOptions.devices, err))
        return BadInput;
    SweepOutcome outcome;
    int signal = 0;
    try {
        StopOnSignals stopOnSignals(control);
        outcome = runSweep(spec, options.dir, sweepOptions, &progress);
        signal = stopOnSignals.signal();
    } catch (const SpecError &e) {
        err << "trainscope: " << e.what() << "\n";
        return BadInput;
    } catch (const SweepInputError &e) {
        err << "trainscope: " << e.what() << "\n";
        return BadInput;
    }
    if (signal) {
        err << "trainscope: stopped by " << (signal == SIGINT ? "SIGINT" : "SIGTERM")
            << "; its running trials stopped and are left to resume: trainscope tune --resume "
               "--dir "
            << options.dir << "\n";
        return 128 + signal;
    }
    err << "trainscope: sweep over: " << outcome.stopReason << "; " << outcome.trials << " trials ("
        << outcome.completed << " completed, " << outcome.pruned << " pruned, " << outcome.failed
        << " failed)\n";
    out << resultsSummary(StudyStore(options.storage.empty() ? options.dir : options.storage,
                                     options.study.empty() ? spec.name : options.study)
                              .trials(),
                          spec.objective, 3);
    if (!outcome.best) return RuntimeFailure;
    if (options.retrainBest) return retrainBest(spec, *outcome.best, options.dir, out, err);
    return Ok;
}

} // namespace trainscope::cli
