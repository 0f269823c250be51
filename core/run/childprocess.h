// A command trial's process: started in a process group of its own, without a shell unless the
// command asks for one, waited on through a pidfd (woken when it ends, never polled), stopped
// with everything it started. Private to core/run.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace trainscope {

class ChildProcess {
public:
    struct Options {
        std::vector<std::string> argv;      // argv[0] looked up in PATH when it has no '/'
        std::vector<std::string> env;       // "NAME=value" set over this process's environment
        std::string stdoutPath, stderrPath; // created or truncated; stdin is /dev/null
    };

    // Starts it; throws std::runtime_error saying why it could not (not found, not executable).
    explicit ChildProcess(const Options &options);
    ~ChildProcess(); // a child still running is killed with its group and reaped
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    // Waits up to `ms` (or until it ends, for ms < 0); true once it has ended.
    bool wait(int ms);
    // SIGTERM to the whole group, SIGKILL to it after `graceSeconds`; returns once it has ended.
    void stopGroup(double graceSeconds);
    // Once ended: "exit status 3", "killed by signal 9", or empty for exit status 0.
    std::string failure() const;
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    int m_pidfd = -1;
    int m_status = 0;
    bool m_ended = false;
};

// Kills, on this host, every process still running for the trial whose run directory is
// `runDir` (they carry TRAINSCOPE_TRIAL_LOGDIR=runDir): the orphans of a killed sweep, so a
// retried trial never runs beside its earlier attempt. Returns how many there were.
int killTrialOrphans(const std::string &runDir);

} // namespace trainscope
