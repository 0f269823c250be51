// The GUI's sweeps: the New sweep dialog, sweeps run by a SweepRunner (reported through the
// window's Bridge to the Tuning tab, steered by its Stop, Pause/Resume and Cancel trial), sweeps
// found in the open logdir (refreshed from their study.db off the GUI thread, since another
// process may be running them), and retraining the best trial.
#pragma once

#include "core/jobs/jobspec.h"
#include "core/run/sweeprunner.h"
#include "widgets/background.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <functional>
#include <map>

class QWidget;

namespace trainscope {

class Bridge;
class TuningView;

class SweepController : public QObject {
    Q_OBJECT
public:
    // `bridge` hears the sweeps (it must outlive them: see stopAll); `root`: where new sweeps
    // go (the open logdir); `startJob`: runs a training job (retrain).
    SweepController(TuningView *view, Bridge *bridge, std::function<QString()> root,
                    std::function<int(const JobSpec &)> startJob, QWidget *dialogParent);
    ~SweepController() override;

    void showNewSweepForm();
    // Starts `spec` in a new directory under the root; returns it.
    QString startSweep(const SweepSpec &spec);
    // A sweep directory (with study.db) found on disk: listed and kept up to date.
    void addExisting(const QString &dir);
    // A study in PostgreSQL (workers anywhere): listed and followed live like a directory's.
    void addStudy(const QString &uri, const QString &name);
    void retrainBest(const QString &dir);
    bool running(const QString &dir) const;
    // Cancels the running sweeps and waits for them (their trials stay resumable).
    void stopAll();
    // A sweep this window runs, by its directory (others are ignored): stop it (running trials
    // stay RUNNING for --resume), start no new trial until resumed, or end one trial.
    void stop(const QString &dir);
    void pause(const QString &dir);
    void resume(const QString &dir);
    bool paused(const QString &dir) const;
    void cancelTrial(const QString &dir, int trialId);

signals:
    void sweepFinished(const QString &dir, const QString &reason);
    // A running sweep's trial changed (the Jobs panel lists them). `defaultEpochs`: the base
    // job's training.epochs (0: a command sweep).
    void trialChanged(const QString &dir, const QString &sweepName, const trainscope::Trial &trial,
                      int defaultEpochs);

private:
    void refreshExisting();
    int idOf(const QString &dir) const; // 0: not running here

    TuningView *m_view;
    std::function<QString()> m_root;
    std::function<int(const JobSpec &)> m_startJob;
    QWidget *m_dialogParent;
    SweepRunner m_runner;
    std::map<int, QString> m_dirs;    // running sweeps by id
    std::map<int, SweepSpec> m_specs; // ... and their specs
    QSet<QString> m_known;            // sweeps listed in the view
    QSet<QString> m_found;            // found on disk, not yet read
    QTimer m_refresh;
    Background m_reads;
    Background m_retrain;
};

} // namespace trainscope
