#include "core/run/trialrun.h"

#include "core/run/childprocess.h"

#include "core/events/logdirindex.h"
#include "core/jobs/specfields.h"
#include "core/train/trainer.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace fs = std::filesystem;

namespace trainscope {
namespace {

std::optional<double> bestOf(const std::vector<double> &values, const Objective &objective) {
    std::optional<double> best;
    for (double v : values)
        if (std::isfinite(v) && (!best || objective.better(v, *best))) best = v;
    return best;
}

std::string timeoutText(const SweepSpec &spec) {
    return "timed out after " + specNumber(spec.trialTimeoutSeconds) + " s (trial_timeout_s)";
}

// Reports a training job's epochs to the study, and stops the job when the pruner says so
// or the sweep is cancelled.
class TrialObserver : public Observer {
public:
    TrialObserver(Trial &trial, const TrialContext &c, bool report)
        : m_trial(trial)
        , m_c(c)
        , m_report(report) {}

    void onEpoch(const EpochResult &r) override {
        const std::optional<double> value = epochMetric(r, m_c.spec.objective.metric);
        if (!value) return;
        std::lock_guard<std::mutex> lock(m_mutex);
        m_values.resize(size_t(std::max<int>(r.epoch, int(m_values.size()))), NAN);
        m_values[size_t(r.epoch - 1)] = *value;
        if (!m_report) return;
        m_trial.values = m_values;
        try {
            m_c.store.reportValue(m_trial.id, r.epoch, *value);
            if (m_c.progress) m_c.progress(m_trial);
            if (shouldPrune(m_c.spec.pruner, m_c.spec.objective, m_trial, m_c.store.trials())) {
                m_pruned = true;
                m_stop = true;
            }
        } catch (const std::exception &) {
            // The study is busy or gone: the value is lost, the trial goes on.
        }
    }
    void onProgress(const JobProgress &) override {
        if (m_c.control && m_c.control->trialShouldStop(m_trial.id)) m_stop = true;
        if (m_c.spec.trialTimeoutSeconds > 0 &&
            unixSeconds() - m_trial.startedAt > m_c.spec.trialTimeoutSeconds) {
            m_timedOut = true;
            m_stop = true;
        }
    }
    bool timedOut() const { return m_timedOut; }

    const std::atomic<bool> *stopFlag() const { return &m_stop; }
    bool pruned() const { return m_pruned; }
    std::vector<double> values() {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_values;
    }

private:
    Trial &m_trial;
    const TrialContext &m_c;
    bool m_report;
    std::mutex m_mutex;
    std::vector<double> m_values;
    std::atomic<bool> m_stop{false}, m_pruned{false}, m_timedOut{false};
};

std::map<std::string, HParamValue> hparamsOf(const Assignment &params) {
    std::map<std::string, HParamValue> out;
    for (const auto &[name, value] : params) {
        if (const auto *b = std::get_if<bool>(&value))
            out[name] = *b;
        else if (const auto *i = std::get_if<int64_t>(&value))
            out[name] = double(*i);
        else if (const auto *d = std::get_if<double>(&value))
            out[name] = *d;
        else
            out[name] = std::get<std::string>(value);
    }
    return out;
}

Trial runJobTrial(Trial trial, const TrialContext &c) {
    JobSpec job;
    try {
        job = c.spec.trialJob(trial.params, trial.epochs);
    } catch (const std::exception &e) {
        trial.status = TrialStatus::Invalid; // the space allows what the job refuses
        trial.error = e.what();
        return trial;
    }
    job.name = fs::path(trialRunDir(c.dir, trial.id)).filename().string();
    job.profile.enabled = false; // trials are measured, not profiled
    if (c.threads > 0 && job.training.threads == 0) job.training.threads = c.threads;
    if (!c.device.empty() && job.training.device != "cpu") job.training.device = "cuda:" + c.device;
    if (trial.continueFrom > 0) {
        // Hyperband's promotion: the earlier trial's model, and its curve so far.
        const std::optional<Trial> earlier = c.store.trial(trial.continueFrom);
        const std::string weights = trialRunDir(c.dir, trial.continueFrom) + "/checkpoints/last.pt";
        if (earlier && fs::exists(weights) &&
            earlier->values.size() < size_t(job.training.epochs)) {
            job.training.initialWeights = weights;
            job.training.initialEpoch = int(earlier->values.size());
            for (size_t e = 0; e < earlier->values.size(); ++e)
                if (std::isfinite(earlier->values[e]))
                    c.store.reportValue(trial.id, int(e + 1), earlier->values[e]);
            trial.values = earlier->values;
        }
    }
    const auto hparams = hparamsOf(trial.params);
    std::vector<double> scores;
    const int executions = std::max(1, c.spec.executionsPerTrial);
    for (int e = 0; e < executions; ++e) {
        JobSpec run = job;
        run.training.seed = job.training.seed + e; // repeats differ only by their seed
        TrialObserver observer(trial, c, e == 0);
        const TrainOutcome out = runTraining(run, trialRunDir(c.dir, trial.id, e), trial.id,
                                             &observer, observer.stopFlag(), &hparams);
        if (e == 0) trial.runDir = out.runDir;
        std::vector<double> values = observer.values();
        if (!trial.values.empty() && e == 0) // a promotion's earlier epochs
            for (size_t i = 0; i < values.size() && i < trial.values.size(); ++i)
                if (!std::isfinite(values[i])) values[i] = trial.values[i];
        if (e == 0) trial.values = values;
        if (out.state == JobState::Failed) {
            trial.status = TrialStatus::Failed;
            trial.error = out.error;
            return trial;
        }
        if (observer.pruned()) {
            trial.status = TrialStatus::Pruned;
            trial.score = bestOf(trial.values, c.spec.objective);
            return trial;
        }
        if (observer.timedOut()) {
            trial.status = TrialStatus::Failed;
            trial.error = timeoutText(c.spec);
            return trial;
        }
        if (out.state == JobState::Cancelled) return trial; // the sweep stopped: re-run later
        if (const auto best = bestOf(values, c.spec.objective)) scores.push_back(*best);
    }
    if (scores.empty()) {
        trial.status = TrialStatus::Failed;
        trial.error = "the job reported no " + c.spec.objective.metric;
        return trial;
    }
    double sum = 0;
    for (double s : scores)
        sum += s;
    trial.score = sum / double(scores.size());
    trial.status = TrialStatus::Completed;
    return trial;
}

// The objective from the command's event files: the metric's scalars in step order.
std::vector<double> metricFromEvents(const std::string &runDir, const std::string &metric) {
    LogdirIndex index(runDir);
    index.refresh();
    for (const auto &[name, run] : index.runs())
        if (const TagData *tag = run.tag(metric)) {
            std::vector<double> values;
            for (size_t i = 0; i < tag->scalars.size(); ++i)
                values.push_back(double(tag->scalars.value(i)));
            return values;
        }
    return {};
}

std::string lastLine(const std::string &path) {
    std::ifstream in(path);
    std::string line, last;
    while (std::getline(in, line))
        if (!line.empty()) last = line;
    return last;
}

// The objective a command printed: its last "objective=<number>" line, read strictly. Nothing
// when it printed none; throws naming the line when the number is not one (or is NaN).
std::optional<double> objectiveLine(const std::string &stdoutPath) {
    std::ifstream in(stdoutPath);
    std::optional<std::string> last;
    int lastNumber = 0, number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        if (line.rfind("objective=", 0) != 0) continue;
        last = line;
        lastNumber = number;
    }
    if (!last) return std::nullopt;
    std::string text = last->substr(10);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.pop_back();
    const std::string where = "stdout line " + std::to_string(lastNumber) + " `" + *last + "`";
    char *end = nullptr;
    errno = 0;
    const double v = text.empty() ? 0 : std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() ||
        std::isspace(static_cast<unsigned char>(text.front())))
        throw std::runtime_error(where + ": not a number");
    if (std::isnan(v)) throw std::runtime_error(where + ": the objective is NaN (diverged?)");
    if (std::isinf(v) || errno == ERANGE)
        throw std::runtime_error(where + ": the objective is out of range");
    return v;
}

// How long to sleep in one wait: until the deadline, and short enough to see a stop request.
constexpr int kControlCheckMs = 100;
// A stopped command gets this long after SIGTERM before its group is killed.
constexpr double kStopGraceSeconds = 3;

Trial runCommandTrial(Trial trial, const TrialContext &c) {
    CommandLine command;
    try {
        command = c.spec.trialCommand(trial.params);
    } catch (const std::exception &e) {
        trial.status = TrialStatus::Invalid;
        trial.error = e.what();
        return trial;
    }
    const std::string runDir = trialRunDir(c.dir, trial.id);
    if (fs::exists(runDir)) killTrialOrphans(runDir); // an earlier attempt's, on this host
    fs::create_directories(runDir);
    trial.runDir = runDir;
    ChildProcess::Options options;
    options.argv = command.argv;
    options.env = {"TRAINSCOPE_TRIAL_LOGDIR=" + runDir,
                   "TRAINSCOPE_TRIAL_ID=" + std::to_string(trial.id)};
    if (!c.device.empty()) options.env.push_back("CUDA_VISIBLE_DEVICES=" + c.device);
    options.stdoutPath = runDir + "/stdout.log";
    options.stderrPath = runDir + "/stderr.log";
    std::optional<ChildProcess> child;
    try {
        child.emplace(options);
    } catch (const std::exception &e) {
        trial.status = TrialStatus::Failed;
        trial.error = e.what();
        return trial;
    }
    const double timeout = c.spec.trialTimeoutSeconds;
    for (;;) {
        int ms = kControlCheckMs;
        if (timeout > 0) {
            const double left = trial.startedAt + timeout - unixSeconds();
            if (left <= 0) {
                child->stopGroup(kStopGraceSeconds);
                trial.status = TrialStatus::Failed;
                trial.error = "`" + command.text() + "`: " + timeoutText(c.spec);
                return trial;
            }
            ms = std::min(ms, int(std::ceil(left * 1000)));
        }
        if (child->wait(ms)) break;
        if (c.control && c.control->trialShouldStop(trial.id)) {
            child->stopGroup(kStopGraceSeconds);
            return trial; // still RUNNING: the caller tells a stop from a cancel
        }
    }
    if (const std::string why = child->failure(); !why.empty()) {
        trial.status = TrialStatus::Failed;
        const std::string tail = lastLine(options.stderrPath);
        trial.error = "`" + command.text() + "`: " + why + (tail.empty() ? "" : ": " + tail);
        return trial;
    }
    // A final "objective=<number>" line wins; otherwise the event files' scalars.
    std::optional<double> objective;
    try {
        objective = objectiveLine(options.stdoutPath);
    } catch (const std::exception &e) {
        trial.status = TrialStatus::Failed;
        trial.error = e.what();
        return trial;
    }
    trial.values = metricFromEvents(runDir, c.spec.objective.metric);
    for (size_t e = 0; e < trial.values.size(); ++e)
        c.store.reportValue(trial.id, int(e + 1), trial.values[e]);
    trial.score = objective ? objective : bestOf(trial.values, c.spec.objective);
    if (!trial.score) {
        trial.status = TrialStatus::Failed;
        trial.error = "no objective: print a final line objective=<number>, or write " +
                      c.spec.objective.metric + " scalars under $TRAINSCOPE_TRIAL_LOGDIR";
        return trial;
    }
    trial.status = TrialStatus::Completed;
    return trial;
}

} // namespace

std::string trialRunDir(const std::string &dir, int id, int execution) {
    char name[32];
    std::snprintf(name, sizeof name, "trial-%04d", id);
    return (fs::path(dir) / name).string() +
           (execution > 0 ? "-r" + std::to_string(execution + 1) : "");
}

Trial runTrial(Trial trial, const TrialContext &context) {
    trial.startedAt = unixSeconds();
    try {
        trial = context.spec.job ? runJobTrial(trial, context) : runCommandTrial(trial, context);
    } catch (const std::exception &e) {
        trial.status = TrialStatus::Failed;
        trial.error = e.what();
    }
    trial.finishedAt = unixSeconds();
    return trial;
}

} // namespace trainscope
