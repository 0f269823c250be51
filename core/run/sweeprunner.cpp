#include "core/run/sweeprunner.h"

#include "core/events/eventwriter.h"
#include "core/jobs/specfields.h"
#include "core/run/trialrun.h"
#include "core/tune/results.h"
#include "core/tune/studystore.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace trainscope {
namespace {

bool isDone(TrialStatus s) {
    return s != TrialStatus::Running;
}

// The budget counts configurations tried: a retry stands in for the trial it retries.
int budgetUsed(const std::vector<Trial> &all) {
    return int(
        std::count_if(all.begin(), all.end(), [](const Trial &t) { return t.retriedFrom == 0; }));
}

// sweep.json beside the study, written whole or not at all.
void writeSweepJson(const std::string &dir, const std::string &json) {
    const fs::path path = fs::path(dir) / "sweep.json", tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp);
        out << nlohmann::json::parse(json).dump(2) << "\n";
        if (!out) throw std::runtime_error(tmp.string() + ": cannot write");
    }
    fs::rename(tmp, path);
}

// TensorBoard's HParams view: the experiment (what the sweep varies, what it measures) at the
// sweep's root; each trial's run logs its own session.
void writeExperiment(const SweepSpec &spec, const std::string &dir) {
    auto value = [](const ParamValue &v) -> HParamValue {
        if (const auto *s = std::get_if<std::string>(&v)) return *s;
        if (const auto *b = std::get_if<bool>(&v)) return *b;
        if (const auto *i = std::get_if<int64_t>(&v)) return double(*i);
        return std::get<double>(v);
    };
    // Every parameter with its type and domain: ranges as intervals, the rest as values.
    std::map<std::string, HParamDomain> domains;
    for (const Param &p : spec.space.params()) {
        switch (p.kind) {
        case ParamKind::Float:
        case ParamKind::Int:
            domains[p.name] = HParamDomain::interval(p.min, p.max);
            break;
        case ParamKind::Boolean:
            domains[p.name] = HParamDomain::discrete({false, true});
            break;
        case ParamKind::Fixed:
            domains[p.name] = HParamDomain::discrete({value(p.fixed)});
            break;
        case ParamKind::Choice: {
            std::vector<HParamValue> values;
            for (const ParamValue &v : p.choices)
                values.push_back(value(v));
            domains[p.name] = HParamDomain::discrete(std::move(values));
        }
        }
    }
    EventWriter events(dir);
    events.addHParamsExperiment(domains, {spec.objective.metric});
}

class Sweep {
public:
    Sweep(const SweepSpec &spec, const std::string &dir, const SweepOptions &options,
          Observer *observer)
        : m_spec(spec)
        , m_dir(dir)
        , m_options(options)
        , m_observer(observer)
        , m_store(options.storage.empty() ? dir : options.storage,
                  options.study.empty() ? spec.name : options.study,
                  [this](const std::string &text) { message(text); })
        , m_worker(currentWorkerName())
        , m_oracle(makeOracle(spec.oracle, spec.space, spec.objective)) {}

    SweepOutcome run() {
        prepare();
        const int workers = std::max(1, m_options.workers > 0 ? m_options.workers : m_spec.workers);
        const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
        m_threads = std::max(1, cores / workers);
        std::vector<std::thread> threads;
        std::thread heartbeats([this] { beat(); });
        for (int w = 0; w < workers; ++w) {
            const std::vector<std::string> &devices = m_options.devices;
            const std::string device = devices.empty() ? "" : devices[size_t(w) % devices.size()];
            threads.emplace_back([this, device] { work(device); });
        }
        for (std::thread &t : threads)
            t.join();
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_workersDone = true;
        }
        m_beat.notify_all();
        heartbeats.join();
        return outcome();
    }

private:
    void prepare() {
        const std::string json = m_spec.toJson();
        if (const auto stored = m_store.value("spec")) {
            if (!m_options.resume)
                throw SweepInputError(m_dir + ": holds a sweep already; add --resume to "
                                              "continue it, or choose another --dir");
            // The budget may grow (or shrink) on a resume; nothing else may change.
            nlohmann::json before = nlohmann::json::parse(*stored),
                           now = nlohmann::json::parse(json);
            before.erase("max_trials");
            now.erase("max_trials");
            if (before != now)
                throw SweepInputError(m_dir + ": the study was started with a different sweep "
                                              "spec (see its sweep.json); only max_trials may "
                                              "change on a resume");
            if (*stored != json) {
                m_store.setValue("spec", json);
                writeSweepJson(m_dir, json);
            }
        } else {
            // Trial runs with no study: a new sweep would number its trials into theirs.
            if (fs::exists(trialRunDir(m_dir, 1)))
                throw SweepInputError(
                    m_store.path() + " holds no sweep, yet " + trialRunDir(m_dir, 1) +
                    " and maybe more trial runs are beside it (an emptied or replaced study?): "
                    "move them away, or choose another --dir");
            m_store.setValue("spec", json);
            writeSweepJson(m_dir, json);
            writeExperiment(m_spec, m_dir);
        }
        if (m_options.resume)
            for (Trial &t : m_store.reclaimAbandoned(m_worker))
                m_reclaimed.push_back(std::move(t));
        if (!m_reclaimed.empty())
            message("resuming: " + std::to_string(m_reclaimed.size()) +
                    " trial(s) left running by a stopped process run again");
    }

    bool cancelled() const { return m_options.control && m_options.control->stopped(); }
    bool paused() const { return m_options.control && m_options.control->paused(); }

    void message(const std::string &text) {
        if (m_observer) m_observer->onSweepMessage(m_options.id, text);
    }

    // The RUNNING trials of this process carry a heartbeat. One that another worker failed for
    // a lost heartbeat (this process stalled past the grace) is stopped here and not recorded:
    // its retry runs elsewhere.
    void beat() {
        const double grace = m_options.heartbeatGraceSeconds;
        if (grace <= 0) return;
        const auto interval = std::chrono::duration<double>(std::max(0.02, grace / 4));
        std::unique_lock<std::mutex> lock(m_mutex);
        while (!m_beat.wait_for(lock, interval, [this] { return m_workersDone; })) {
            const std::vector<int> ids(m_running.begin(), m_running.end());
            if (ids.empty()) continue;
            lock.unlock();
            std::vector<int> lost;
            try {
                lost = m_store.heartbeat(ids);
            } catch (const std::exception &e) {
                message(std::string("heartbeat not recorded: ") + e.what());
            }
            lock.lock();
            for (int id : lost)
                if (m_running.count(id) && m_lost.insert(id).second) control().cancelTrial(id);
        }
    }

    SweepControl &control() { return m_options.control ? *m_options.control : m_ownControl; }

    // Trials whose worker fell silent past the grace are failed (by any worker), and one that
    // has no retry yet is retried here.
    std::optional<Trial> retryStale() {
        if (m_options.heartbeatGraceSeconds <= 0) return std::nullopt;
        for (const Trial &failed : m_store.failStale(m_options.heartbeatGraceSeconds)) {
            if (m_observer) m_observer->onTrial(m_options.id, failed);
            if (std::optional<Trial> retry = m_store.retryTrial(failed, m_worker)) {
                message("trial " + std::to_string(failed.id) + ": " + failed.error + "; trial " +
                        std::to_string(retry->id) + " retries it");
                return retry;
            }
        }
        return std::nullopt;
    }

    bool stopping() {
        std::lock_guard<std::mutex> lock(m_mutex);
        return cancelled() || !m_stopReason.empty();
    }

    // The next trial for this worker: one left running by a dead process, or a new one.
    std::optional<Trial> next() {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_reclaimed.empty()) {
                Trial t = std::move(m_reclaimed.front());
                m_reclaimed.pop_front();
                return t;
            }
        }
        for (;;) {
            if (stopping()) return std::nullopt;
            if (paused()) { // running trials go on; the next waits
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
            if (std::optional<Trial> retry = retryStale()) return retry;
            bool over = false;
            std::optional<Trial> created =
                m_store.createTrial([&](const std::vector<Trial> &all) -> std::optional<Trial> {
                    if (budgetUsed(all) >= m_spec.maxTrials || m_oracle->finished(all)) {
                        over = true;
                        return std::nullopt;
                    }
                    std::optional<Suggestion> s = m_oracle->suggest(all);
                    if (!s) return std::nullopt;
                    Trial t;
                    t.params = std::move(s->params);
                    t.epochs = s->epochs;
                    t.continueFrom = s->continueFrom;
                    t.bracket = s->bracket;
                    t.rung = s->rung;
                    t.startedAt = unixSeconds();
                    t.worker = m_worker;
                    return t;
                });
            if (created) return created;
            if (over) return std::nullopt;
            // Waiting on running trials (a Hyperband rung): look again shortly.
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }

    // A worker thread: trials until the budget, a stop or a failure of the study (its server
    // gone past the reconnect time); that failure stops the sweep with its reason, the other
    // workers finishing their trials first.
    void work(const std::string &device) {
        try {
            workOn(device);
        } catch (const std::exception &e) {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (m_stopReason.empty()) m_stopReason = std::string("the study failed: ") + e.what();
        }
    }

    void workOn(const std::string &device) {
        while (std::optional<Trial> trial = next()) {
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_running.insert(trial->id);
            }
            if (m_observer) m_observer->onTrial(m_options.id, *trial);
            TrialContext context{
                m_spec, m_dir, m_store, m_threads, &control(), device, [this](const Trial &t) {
                    if (m_observer) m_observer->onTrial(m_options.id, t);
                }};
            Trial done = runTrial(*trial, context);
            bool lost = false;
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_running.erase(done.id);
                lost = m_lost.count(done.id) > 0;
            }
            // Failed elsewhere for a lost heartbeat, maybe just now: recording it would
            // complete it beside its retry. Refreshing the heartbeat first closes the window.
            if (lost ||
                (m_options.heartbeatGraceSeconds > 0 && !m_store.heartbeat({done.id}).empty())) {
                message("trial " + std::to_string(done.id) +
                        " was failed by another worker while it ran here (its heartbeat was "
                        "late); its result is dropped, its retry counts");
                continue;
            }
            const bool cancelledTrial = control().trialCancelled(done.id);
            if (done.status == TrialStatus::Running && cancelledTrial) {
                done.status = TrialStatus::Failed; // the user's choice: not the trial's failure
                done.error = "cancelled";
            }
            if (done.status == TrialStatus::Running) {
                done.worker.clear(); // the sweep stopped: the next --resume runs it again
                m_store.updateTrial(done);
                break;
            }
            m_store.updateTrial(done);
            if (m_observer) m_observer->onTrial(m_options.id, done);
            if (!cancelledTrial) countFailure(done);
        }
    }

    void countFailure(const Trial &t) {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_consecutiveFailures = t.status == TrialStatus::Failed ? m_consecutiveFailures + 1 : 0;
        if (m_spec.maxConsecutiveFailedTrials > 0 &&
            m_consecutiveFailures >= m_spec.maxConsecutiveFailedTrials && m_stopReason.empty())
            m_stopReason = std::to_string(m_consecutiveFailures) +
                           " consecutive trials failed (max_consecutive_failed_trials); the "
                           "last: " +
                           t.error;
    }

    SweepOutcome outcome() {
        SweepOutcome o;
        const std::vector<Trial> all = m_store.trials();
        o.trials = int(all.size());
        for (const Trial &t : all) {
            o.completed += t.status == TrialStatus::Completed;
            o.pruned += t.status == TrialStatus::Pruned;
            o.failed += t.status == TrialStatus::Failed || t.status == TrialStatus::Invalid;
        }
        o.best = bestTrial(all, m_spec.objective);
        const bool running =
            std::any_of(all.begin(), all.end(), [](const Trial &t) { return !isDone(t.status); });
        o.stopReason = !m_stopReason.empty() ? m_stopReason
                       : cancelled()         ? "cancelled (resume with --resume)"
                       : running             ? "other processes are still running trials"
                       : budgetUsed(all) >= m_spec.maxTrials ? "max_trials reached"
                                                             : "the oracle has nothing left";
        return o;
    }

    const SweepSpec &m_spec;
    std::string m_dir;
    SweepOptions m_options;
    Observer *m_observer;
    StudyStore m_store;
    std::string m_worker;
    std::unique_ptr<Oracle> m_oracle;
    int m_threads = 1;
    std::mutex m_mutex;
    std::deque<Trial> m_reclaimed;
    SweepControl m_ownControl;       // when the caller gives none
    std::set<int> m_running, m_lost; // trials running here; those failed elsewhere meanwhile
    bool m_workersDone = false;
    std::condition_variable m_beat;
    int m_consecutiveFailures = 0;
    std::string m_stopReason;
};

} // namespace

SweepOutcome runSweep(const SweepSpec &spec, const std::string &dir, const SweepOptions &options,
                      Observer *observer) {
    if (spec.job) checkChoice("objective.metric", spec.objective.metric, jobMetrics());
    fs::create_directories(dir);
    Sweep sweep(spec, dir, options, observer);
    return sweep.run();
}

SweepRunner::SweepRunner(Observer *observer)
    : m_observer(observer) {}

SweepRunner::~SweepRunner() {
    cancelAll();
    waitAll();
}

int SweepRunner::submit(const SweepSpec &spec, const std::string &dir, SweepOptions options) {
    std::lock_guard<std::mutex> lock(m_mutex);
    const int id = m_nextId++;
    auto sweep = std::make_unique<Running>();
    Running *r = sweep.get();
    r->spec = spec;
    r->dir = dir;
    options.id = id;
    options.control = &r->control;
    r->thread = std::thread([this, r, options] {
        std::string reason;
        try {
            r->outcome = runSweep(r->spec, r->dir, options, m_observer);
            reason = r->outcome.stopReason;
        } catch (const std::exception &e) { // no exception crosses the thread boundary
            reason = std::string("stopped: ") + e.what();
            r->outcome.stopReason = reason;
        }
        r->done = true;
        if (m_observer) m_observer->onSweepEnd(options.id, reason);
    });
    m_sweeps[id] = std::move(sweep);
    return id;
}

void SweepRunner::cancel(int id) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (auto it = m_sweeps.find(id); it != m_sweeps.end()) it->second->control.stop();
}

void SweepRunner::pause(int id) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (auto it = m_sweeps.find(id); it != m_sweeps.end()) it->second->control.pause();
}

void SweepRunner::resume(int id) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (auto it = m_sweeps.find(id); it != m_sweeps.end()) it->second->control.resume();
}

bool SweepRunner::paused(int id) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_sweeps.find(id);
    return it != m_sweeps.end() && it->second->control.paused();
}

void SweepRunner::cancelTrial(int id, int trialId) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (auto it = m_sweeps.find(id); it != m_sweeps.end()) it->second->control.cancelTrial(trialId);
}

void SweepRunner::cancelAll() {
    std::lock_guard<std::mutex> lock(m_mutex);
    for (auto &[id, sweep] : m_sweeps)
        sweep->control.stop();
}

SweepOutcome SweepRunner::wait(int id) {
    Running *r = nullptr;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto it = m_sweeps.find(id);
        if (it == m_sweeps.end()) return {};
        r = it->second.get();
    }
    std::lock_guard<std::mutex> join(r->joinMutex);
    if (r->thread.joinable()) r->thread.join();
    return r->outcome;
}

void SweepRunner::waitAll() {
    std::vector<int> ids;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const auto &[id, sweep] : m_sweeps)
            ids.push_back(id);
    }
    for (int id : ids)
        wait(id);
}

bool SweepRunner::running(int id) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_sweeps.find(id);
    return it != m_sweeps.end() && !it->second->done;
}

std::string SweepRunner::dir(int id) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_sweeps.find(id);
    return it == m_sweeps.end() ? std::string() : it->second->dir;
}

} // namespace trainscope
