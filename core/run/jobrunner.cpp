#include "core/run/jobrunner.h"

#include "core/jobs/rundir.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace trainscope {

JobRunner::JobRunner(std::string logdir, Observer *observer)
    : m_logdir(std::move(logdir))
    , m_observer(observer) {}

JobRunner::~JobRunner() {
    cancelAll();
    waitAll();
}

int JobRunner::submit(const JobSpec &spec) {
    std::lock_guard lock(m_mutex);
    const int id = m_nextId++;
    auto job = std::make_unique<Job>();
    job->spec = spec;
    // Taken: on disk, or claimed by a job submitted earlier (which creates it right away).
    job->runDir = uniqueRunDir(m_logdir, spec.name, [this](const std::string &dir) {
        for (const auto &[id, other] : m_jobs)
            if (other->runDir == dir) return true;
        return false;
    });
    fs::create_directories(job->runDir); // claims the name before the thread starts
    Job *j = job.get();
    m_jobs.emplace(id, std::move(job));
    if (m_observer) m_observer->onState(id, JobState::Queued, j->runDir);
    j->thread = std::thread([this, j, id] {
        j->state = JobState::Running;
        j->outcome = runTraining(j->spec, j->runDir, id, m_observer, &j->cancel);
        j->state = j->outcome.state;
    });
    return id;
}

void JobRunner::cancel(int id) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_jobs.find(id); it != m_jobs.end()) it->second->cancel = true;
}

void JobRunner::cancelAll() {
    std::lock_guard lock(m_mutex);
    for (auto &[id, job] : m_jobs)
        job->cancel = true;
}

TrainOutcome JobRunner::wait(int id) {
    Job *job;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_jobs.find(id);
        if (it == m_jobs.end()) return {};
        job = it->second.get();
    }
    if (job->thread.joinable()) job->thread.join();
    return job->outcome;
}

void JobRunner::waitAll() {
    std::vector<int> ids;
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[id, job] : m_jobs)
            ids.push_back(id);
    }
    for (int id : ids)
        wait(id);
}

JobState JobRunner::state(int id) const {
    std::lock_guard lock(m_mutex);
    auto it = m_jobs.find(id);
    return it == m_jobs.end() ? JobState::Failed : it->second->state.load();
}

std::string JobRunner::runDir(int id) const {
    std::lock_guard lock(m_mutex);
    auto it = m_jobs.find(id);
    return it == m_jobs.end() ? std::string() : it->second->runDir;
}

} // namespace trainscope
