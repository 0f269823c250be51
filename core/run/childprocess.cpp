#include "core/run/childprocess.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <map>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace trainscope {
namespace {

std::string errnoText(const std::string &what) {
    return what + ": " + std::strerror(errno);
}

// argv[0] as execve needs it: a path, looked up in PATH when it names no directory.
std::string programPath(const std::string &name) {
    if (name.find('/') != std::string::npos) {
        if (access(name.c_str(), X_OK) != 0) throw std::runtime_error(errnoText("`" + name + "`"));
        return name;
    }
    const char *path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    for (size_t start = 0; start <= dirs.size();) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        const std::string dir = end > start ? dirs.substr(start, end - start) : ".";
        const std::string candidate = dir + "/" + name;
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
        start = end + 1;
    }
    throw std::runtime_error("`" + name + "`: command not found in PATH");
}

// This process's environment with `overrides` set over it.
std::vector<std::string> environmentWith(const std::vector<std::string> &overrides) {
    std::map<std::string, std::string> vars;
    for (char **e = environ; e && *e; ++e) {
        const std::string entry = *e;
        vars[entry.substr(0, entry.find('='))] = entry;
    }
    for (const std::string &entry : overrides)
        vars[entry.substr(0, entry.find('='))] = entry;
    std::vector<std::string> out;
    for (auto &[name, entry] : vars)
        out.push_back(std::move(entry));
    return out;
}

std::vector<char *> pointers(std::vector<std::string> &strings) {
    std::vector<char *> out;
    for (std::string &s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

int openForChild(const std::string &path, int flags) {
    const int fd = open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error(errnoText(path));
    return fd;
}

} // namespace

ChildProcess::ChildProcess(const Options &options) {
    if (options.argv.empty()) throw std::runtime_error("no command to run");
    std::string program = programPath(options.argv.front());
    std::vector<std::string> args = options.argv, env = environmentWith(options.env);
    std::vector<char *> argv = pointers(args), envp = pointers(env);
    const int in = openForChild("/dev/null", O_RDONLY);
    const int out = openForChild(options.stdoutPath, O_WRONLY | O_CREAT | O_TRUNC);
    const int err = openForChild(options.stderrPath, O_WRONLY | O_CREAT | O_TRUNC);
    // vfork: no copy of this (large, threaded) process; the child only makes system calls
    // until execve. Its own group, so a stop reaches what it starts; killed if we die.
    const pid_t pid = vfork();
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
        execve(program.c_str(), argv.data(), envp.data());
        _exit(127);
    }
    const int forkErrno = errno;
    close(in);
    close(out);
    close(err);
    if (pid < 0) {
        errno = forkErrno;
        throw std::runtime_error(errnoText("cannot start `" + options.argv.front() + "`"));
    }
    m_pid = pid;
    setpgid(pid, pid); // the same in the parent, so the group exists whoever runs first
    m_pidfd = int(syscall(SYS_pidfd_open, pid, 0));
}

ChildProcess::~ChildProcess() {
    if (!m_ended && m_pid > 0) stopGroup(0);
    if (m_pidfd >= 0) close(m_pidfd);
}

bool ChildProcess::wait(int ms) {
    if (m_ended) return true;
    if (m_pidfd >= 0) {
        pollfd p{m_pidfd, POLLIN, 0};
        const int ready = poll(&p, 1, ms);
        if (ready == 0) return false;
        if (ready < 0 && errno == EINTR) return false;
    } else if (ms >= 0) { // no pidfd (an old kernel): look every few ms
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (waitpid(m_pid, &m_status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() >= until) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        m_ended = true;
        return true;
    }
    while (waitpid(m_pid, &m_status, 0) < 0 && errno == EINTR) {
    }
    m_ended = true;
    return true;
}

void ChildProcess::stopGroup(double graceSeconds) {
    if (m_pid <= 0) return;
    kill(-m_pid, SIGTERM);
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(long(graceSeconds * 1000));
    while (!wait(50))
        if (std::chrono::steady_clock::now() >= until) kill(-m_pid, SIGKILL);
    // The leader is gone; what it started in its group may linger.
    kill(-m_pid, SIGKILL);
}

std::string ChildProcess::failure() const {
    if (WIFEXITED(m_status))
        return WEXITSTATUS(m_status) == 0 ? std::string()
                                          : "exit status " + std::to_string(WEXITSTATUS(m_status));
    if (WIFSIGNALED(m_status)) return "killed by signal " + std::to_string(WTERMSIG(m_status));
    return "ended with wait status " + std::to_string(m_status);
}

int killTrialOrphans(const std::string &runDir) {
    const std::string mark = "TRAINSCOPE_TRIAL_LOGDIR=" + runDir;
    std::vector<pid_t> found;
    if (DIR *proc = opendir("/proc")) {
        while (dirent *e = readdir(proc)) {
            char *end = nullptr;
            const long pid = std::strtol(e->d_name, &end, 10);
            if (pid <= 0 || *end || pid == getpid()) continue;
            std::ifstream in(std::string("/proc/") + e->d_name + "/environ", std::ios::binary);
            const std::string environ((std::istreambuf_iterator<char>(in)), {});
            for (size_t at = 0; at < environ.size();) {
                const size_t next = environ.find('\0', at);
                if (environ.compare(at, (next == std::string::npos ? environ.size() : next) - at,
                                    mark) == 0) {
                    found.push_back(pid_t(pid));
                    break;
                }
                if (next == std::string::npos) break;
                at = next + 1;
            }
        }
        closedir(proc);
    }
    for (pid_t pid : found)
        kill(pid, SIGKILL);
    // Gone before the retry starts (a zombie whose parent is gone is reaped by init at once).
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (pid_t pid : found)
        while (kill(pid, 0) == 0 && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return int(found.size());
}

} // namespace trainscope
