// Runs sweeps: workers (threads) take suggestions from the oracle through the study, run each
// trial (a training job or an external command), report per-epoch values, prune poor trials,
// and record the result; a trial that crashes is FAILED with its error and the sweep goes on.
#pragma once

#include "core/jobs/observer.h"
#include "core/run/sweepcontrol.h"
#include "core/tune/sweepspec.h"
#include "core/tune/trial.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace trainscope {

struct SweepOutcome {
    int trials = 0, completed = 0, pruned = 0, failed = 0;
    std::optional<Trial> best;
    std::string stopReason; // "max_trials reached", "3 consecutive trials failed: ...", ...
};

// Long enough for a loaded machine or a server restart, short enough to retry lost work soon.
constexpr double kDefaultHeartbeatGraceSeconds = 120;

struct SweepOptions {
    int workers = 0;     // 0: the spec's
    bool resume = false; // re-run the trials left RUNNING by a dead process, then continue
    SweepControl *control = nullptr;
    std::vector<std::string> devices; // GPU indices, one per worker in turn ("": none given)
    // Where the study lives: empty for DIR/study.db, or a postgresql:// URI shared by workers
    // on many machines; `study` names it there (default: the sweep's name).
    std::string storage, study;
    // A RUNNING trial whose worker has been silent this long is failed and retried by any
    // live worker sharing the study (0: never); heartbeats go every quarter of it.
    double heartbeatGraceSeconds = kDefaultHeartbeatGraceSeconds;
    int id = 0; // the sweep's id in the Observer's calls
};

// The sweep directory cannot take this sweep (it holds another, or stray trial runs): the
// user's input to fix, not a failure of the run.
struct SweepInputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Writes `spec` to DIR/sweep.json and the study (or, resuming, checks they match) and runs the
// sweep to its end. Throws SpecError for a bad spec, SweepInputError for a DIR that holds
// another sweep (only max_trials may differ on a resume), std::runtime_error when DIR is
// unusable.
SweepOutcome runSweep(const SweepSpec &spec, const std::string &dir, const SweepOptions &options,
                      Observer *observer = nullptr);

// Runs sweeps on background threads, several at once, each cancellable (JobRunner's twin for
// sweeps). Trials, messages and the end of each sweep go to the Observer with the sweep's id.
class SweepRunner {
public:
    explicit SweepRunner(Observer *observer);
    ~SweepRunner(); // cancels what still runs and waits for it

    // Starts the sweep at once on its own thread; returns its id (1, 2, ...).
    int submit(const SweepSpec &spec, const std::string &dir, SweepOptions options = {});
    void cancel(int id); // the running trials stop and stay resumable
    void cancelAll();
    void pause(int id); // no new trial starts; running ones go on
    void resume(int id);
    bool paused(int id) const;
    void cancelTrial(int id, int trialId); // that trial FAILED ("cancelled"), the sweep goes on
    SweepOutcome wait(int id);             // blocks until the sweep ends
    void waitAll();
    bool running(int id) const;
    std::string dir(int id) const;

private:
    struct Running {
        SweepSpec spec;
        std::string dir;
        SweepControl control;
        std::atomic<bool> done{false};
        SweepOutcome outcome; // written by the sweep's thread before done
        std::mutex joinMutex;
        std::thread thread;
    };

    Observer *m_observer;
    mutable std::mutex m_mutex;
    std::map<int, std::unique_ptr<Running>> m_sweeps;
    int m_nextId = 1;
};

} // namespace trainscope
