// The bridge from a running sweep to the GUI: SweepObserver calls arrive on worker threads and
// are queued under a lock; the GUI thread drains the queue at most every 40 ms and emits signals.
#pragma once

#include "tune/sweeprunner.h"
#include "tune/trial.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QTimer>
#include <mutex>
#include <variant>
#include <vector>

Q_DECLARE_METATYPE(trainscope::Trial)

namespace trainscope {

// Registers trainscope::Trial by name (queued connections and QSignalSpy need it); idempotent.
void registerTuneMetaTypes();

class SweepBridge : public QObject, public SweepObserver {
    Q_OBJECT
public:
    // Lives on the GUI thread. The sweep must stop calling it before it is destroyed.
    // `sweepDir` only labels the bridge, so one slot can serve the bridges of several sweeps.
    explicit SweepBridge(const QString &sweepDir = {}, QObject *parent = nullptr,
                         int intervalMs = 40);
    ~SweepBridge() override;

    QString sweepDir() const { return m_sweepDir; }

    // SweepObserver, called on worker threads: cheap, thread-safe, never throw.
    void onTrial(const Trial &trial) override;
    void onMessage(const std::string &text) override;

    // Emits everything queued now (GUI thread); the timer calls it.
    void flush();
    int pendingCount() const;

signals:
    // The latest state of a trial (one emission per trial per flush), in order of arrival.
    void trialUpdated(const trainscope::Trial &trial);
    void message(const QString &text); // every message, in order

private:
    using Item = std::variant<Trial, std::string>;
    template <typename F> void enqueue(F &&change) noexcept;

    QString m_sweepDir;
    mutable std::mutex m_mutex;
    std::vector<Item> m_queue; // arrival order, guarded by m_mutex
    bool m_scheduled = false;  // a drain is on its way, guarded by m_mutex
    QTimer m_timer;
};

} // namespace trainscope
