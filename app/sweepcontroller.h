// The GUI's sweeps: the New sweep dialog, sweeps run on background threads (reported through a
// SweepBridge to the Tuning tab), sweeps found in the open logdir (refreshed from their
// study.db, since another process may be running them), and retraining the best trial.
#pragma once

#include "jobs/jobspec.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <thread>

class QWidget;

namespace trainscope {

class TuningView;

class SweepController : public QObject {
    Q_OBJECT
public:
    // `root`: where new sweeps go (the open logdir); `startJob`: runs a training job (retrain).
    SweepController(TuningView *view, std::function<QString()> root,
                    std::function<int(const JobSpec &)> startJob, QWidget *dialogParent);
    ~SweepController() override; // cancels running sweeps and waits for them

    void showNewSweepForm();
    // Starts `sweepJson` (a sweep spec) in a new directory under the root; returns it.
    QString startSweep(const std::string &sweepJson);
    // A sweep directory (with study.db) found on disk: listed and kept up to date.
    void addExisting(const QString &dir);
    void retrainBest(const QString &dir);
    bool running(const QString &dir) const { return m_running.count(dir) > 0; }

signals:
    void sweepFinished(const QString &dir, const QString &reason);

private:
    struct Running {
        std::atomic<bool> cancel{false};
        std::thread thread;
    };
    void refreshExisting();

    TuningView *m_view;
    std::function<QString()> m_root;
    std::function<int(const JobSpec &)> m_startJob;
    QWidget *m_dialogParent;
    std::map<QString, std::unique_ptr<Running>> m_running;
    QSet<QString> m_known; // sweeps listed in the view
    QTimer m_refresh;
};

} // namespace trainscope
