// The one bridge from running jobs and sweeps to the GUI: Observer calls arrive on worker
// threads and are queued under a lock, the latest of a kind kept where only the latest matters;
// the GUI thread drains the queue at most every 40 ms and emits signals.
#pragma once

#include "widgets/metatypes.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <QVector>
#include <mutex>
#include <variant>
#include <vector>

namespace trainscope {

class Bridge : public QObject, public Observer {
    Q_OBJECT
public:
    // Lives on the GUI thread. Jobs and sweeps must stop calling it before it is destroyed.
    explicit Bridge(QObject *parent = nullptr, int intervalMs = 40);
    ~Bridge() override;

    // Observer, called on worker threads: cheap, thread-safe, never throw.
    void onState(int jobId, JobState state, const std::string &message) override;
    void onProgress(const JobProgress &progress) override;
    void onEpoch(const EpochResult &result) override;
    void onSteps(int jobId, const std::vector<StepStats> &steps) override;
    void onProfile(int jobId, const ProfileSummary &summary) override;
    void onConfusion(const ConfusionMatrix &matrix) override;
    bool wantsTrace() const override { return true; }
    void onTrace(int jobId, std::shared_ptr<const TraceFile> trace) override;
    void onTrial(int sweepId, const Trial &trial) override;
    void onSweepMessage(int sweepId, const std::string &text) override;
    void onSweepEnd(int sweepId, const std::string &reason) override;

    // Emits everything queued now (GUI thread); the timer calls it.
    void flush();
    int pendingCount() const;

signals:
    void stateChanged(int jobId, trainscope::JobState state, const QString &message);
    void progressed(const trainscope::JobProgress &progress); // the latest per job only
    void epochFinished(const trainscope::EpochResult &result);
    void stepsProfiled(int jobId, const QVector<trainscope::StepStats> &steps);
    void profileUpdated(int jobId, const trainscope::ProfileSummary &summary); // latest only
    void confusionUpdated(const trainscope::ConfusionMatrix &matrix);
    void traceUpdated(int jobId, std::shared_ptr<const trainscope::TraceFile> trace); // latest only
    // The latest state of a trial (one emission per trial per flush), in order of arrival.
    void trialUpdated(int sweepId, const trainscope::Trial &trial);
    void sweepMessage(int sweepId, const QString &text); // every message, in order
    void sweepEnded(int sweepId, const QString &reason);

private:
    struct State {
        int jobId;
        JobState state;
        std::string message;
    };
    struct Steps {
        int jobId;
        std::vector<StepStats> steps;
    };
    struct Profile {
        int jobId;
        ProfileSummary summary;
    };
    struct Trace {
        int jobId;
        std::shared_ptr<const TraceFile> trace;
    };
    struct SweepTrial {
        int sweepId;
        Trial trial;
    };
    struct SweepText {
        int sweepId;
        std::string text;
        bool end; // the sweep is over; text is why
    };
    using Item = std::variant<State, JobProgress, EpochResult, Steps, Profile, ConfusionMatrix,
                              Trace, SweepTrial, SweepText>;

    template <typename F> void enqueue(F &&change) noexcept;
    void emitItem(const Item &item);

    mutable std::mutex m_mutex;
    std::vector<Item> m_queue; // arrival order, guarded by m_mutex
    bool m_scheduled = false;  // a drain is on its way, guarded by m_mutex
    QTimer m_timer;
};

} // namespace trainscope
