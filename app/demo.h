// The demo logdir: three synthetic training runs (learning-rate variants) written with the
// real EventWriter, live, so a first look at Trainscope shows curves growing. The training
// demo (a real Fashion-MNIST job) replaces the synthetic curves when jobs land.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace trainscope {

class DemoRuns {
public:
    explicit DemoRuns(std::string logdir);
    ~DemoRuns();

    // Writes the runs on a background thread over about `seconds`, or all at once for 0.
    void start(double seconds);
    void stop();
    const std::string &logdir() const { return m_logdir; }
    static constexpr int kSteps = 3000;

private:
    void write(double seconds);

    std::string m_logdir;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace trainscope
