#include "core/run/jobrunner.h"

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

std::string JobRunner::uniqueRunDir(const std::string &name) {
    std::string safe;
    for (char c : name)
        safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
                    ? c
                    : '_';
    // Taken: on disk, or claimed by a job submitted earlier (which creates it right away).
    const auto taken = [this](const fs::path &dir) {
        if (fs::exists(dir)) return true;
        for (const auto &[id, job] : m_jobs)
            if (job->runDir == dir.string()) return true;
        return false;
    };
    fs::path dir = fs::path(m_logdir) / safe;
    for (int n = 2; taken(dir); ++n)
        dir = fs::path(m_logdir) / (safe + "-" + std::to_string(n));
    return dir.string();
}

int JobRunner::submit(const JobSpec &spec) {
    std::lock_guard lock(m_mutex);
    const int id = m_nextId++;
    auto job = std::make_unique<Job>();
    job->spec = spec;
    job->runDir = uniqueRunDir(spec.name);
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
