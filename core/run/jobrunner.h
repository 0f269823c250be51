// Runs training jobs on background threads, several at once, each cancellable. Each job gets a
// run directory under the logdir (its name, made unique). Reports go to the Observer.
#pragma once

#include "core/jobs/jobspec.h"
#include "core/jobs/observer.h"
#include "core/train/trainer.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace trainscope {

class JobRunner {
public:
    JobRunner(std::string logdir, Observer *observer);
    ~JobRunner(); // cancels what still runs and waits for it

    // Starts `spec` at once on its own thread; returns the job's id (1, 2, ...).
    int submit(const JobSpec &spec);
    void cancel(int id);
    void cancelAll();
    // Blocks until the job ends; returns how it ended.
    TrainOutcome wait(int id);
    void waitAll();

    JobState state(int id) const;
    std::string runDir(int id) const;
    const std::string &logdir() const { return m_logdir; }

private:
    struct Job {
        JobSpec spec;
        std::string runDir;
        std::atomic<bool> cancel{false};
        std::atomic<JobState> state{JobState::Queued};
        TrainOutcome outcome;
        std::thread thread;
    };

    std::string m_logdir;
    Observer *m_observer;
    mutable std::mutex m_mutex;
    std::map<int, std::unique_ptr<Job>> m_jobs;
    int m_nextId = 1;
};

} // namespace trainscope
