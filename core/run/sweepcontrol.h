// How a running sweep is steered from outside (the GUI's buttons, a signal to the CLI): set
// from any thread, read by the sweep's workers between and during trials.
#pragma once

#include <atomic>
#include <mutex>
#include <set>

namespace trainscope {

class SweepControl {
public:
    // Running trials stop and stay RUNNING for the next --resume; no new trial starts.
    void stop() { m_stop = true; }
    bool stopped() const { return m_stop; }
    // Running trials go on; no new trial starts until resume().
    void pause() { m_pause = true; }
    void resume() { m_pause = false; }
    bool paused() const { return m_pause; }
    // That trial stops and is FAILED ("cancelled"); the sweep goes on with the next.
    void cancelTrial(int trialId);
    bool trialCancelled(int trialId) const;
    // A trial's work stops when the sweep stops or the trial is cancelled.
    bool trialShouldStop(int trialId) const { return stopped() || trialCancelled(trialId); }

private:
    std::atomic<bool> m_stop{false}, m_pause{false};
    mutable std::mutex m_mutex;
    std::set<int> m_cancelled;
};

} // namespace trainscope
