// The Tuning tab: pick a sweep, read its objective, progress and best trial, stop, pause or
// resume it and cancel a trial, browse the live trial table, the parallel-coordinates and score
// plots and the parameter importances (with their uncertainty).
#pragma once

#include "core/tune/importance.h"
#include "core/tune/sweepspec.h"
#include "core/tune/trial.h"

#include <QElapsedTimer>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;

namespace trainscope {

class ImportanceBars;
class ParallelCoordinates;
class ScorePlot;
class StatsTable;
class TrialTableModel;

// What the controls may do with a sweep: only one run by this window can be steered.
enum class SweepRunState { Idle, Running, Paused, Stopping };

class TuningView : public QWidget {
    Q_OBJECT
public:
    explicit TuningView(QWidget *parent = nullptr);
    ~TuningView() override;

    // Lists a sweep (or updates the spec of one listed; its trials are kept). The first sweep
    // added becomes the current one; later ones need setCurrentSweep.
    void addSweep(const QString &dir, const SweepSpec &spec);
    // A trial's latest state (one row per id). Unknown sweeps are ignored.
    void updateTrial(const QString &dir, const Trial &trial);
    void setTrials(const QString &dir, const std::vector<Trial> &trials);
    // A sweep's latest message (a stop reason, a failure), shown under the header.
    void showMessage(const QString &dir, const QString &text);
    void setCurrentSweep(const QString &dir);
    // The buttons follow: Stop and Pause/Resume while it runs, Cancel trial for a running trial.
    void setRunState(const QString &dir, SweepRunState state);
    SweepRunState runState(const QString &dir) const;

    QStringList sweepDirs() const;
    QString currentSweep() const; // empty: none
    std::optional<SweepSpec> spec(const QString &dir) const;
    std::vector<Trial> trials(const QString &dir) const;
    std::optional<Trial> bestTrial() const; // of the current sweep
    // A trial's run directory, relative ones resolved against the current sweep's directory.
    QString runDirOf(const Trial &trial) const;

    QString headerText() const;
    QString messageText() const;
    std::vector<ParamImportance> importance() const { return m_importance.params; }
    const ImportanceReport &importanceReport() const { return m_importance; }
    QString importanceText() const; // what the importance box says, one line per parameter
    QString stateText() const;      // "running", "paused: ...", empty when idle
    TrialTableModel *trialModel() const { return m_model; }
    StatsTable *trialTable() const { return m_table; }
    ParallelCoordinates *parallelCoordinates() const { return m_parallel; }
    ScorePlot *scorePlot() const { return m_scores; }
    QComboBox *sweepSelector() const { return m_selector; }
    QPushButton *retrainButton() const { return m_retrain; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *pauseButton() const { return m_pause; } // "Pause" or "Resume"
    QPushButton *cancelTrialButton() const { return m_cancelTrial; }
    int selectedTrialId() const; // 0: none

signals:
    void trialActivated(const QString &runDir);         // a trial was clicked: show its run
    void retrainBestRequested(const QString &sweepDir); // "Retrain best" was pressed
    void currentSweepChanged(const QString &dir);
    void stopRequested(const QString &sweepDir);
    void pauseRequested(const QString &sweepDir);
    void resumeRequested(const QString &sweepDir);
    void cancelTrialRequested(const QString &sweepDir, int trialId);

private:
    struct Sweep {
        QString dir;
        SweepSpec spec;
        std::vector<Trial> trials; // by id
        QString message;
        SweepRunState state = SweepRunState::Idle;
    };
    Sweep *find(const QString &dir);
    const Sweep *find(const QString &dir) const;
    const Sweep *current() const { return find(m_current); }
    void showCurrent();      // everything, after the sweep or its spec changed
    void refreshSummaries(); // header, plots and importances, after trials changed
    void activateTrialId(int trialId);
    void activateRow(int sourceRow);
    void updateControls(); // the buttons and the state line, for the current sweep and trial
    void showTrialMenu(const QPoint &pos);

    QComboBox *m_selector;
    QPushButton *m_retrain;
    QPushButton *m_stop;
    QPushButton *m_pause;
    QPushButton *m_cancelTrial;
    QLabel *m_state;
    QLabel *m_header;
    QLabel *m_message;
    TrialTableModel *m_model;
    StatsTable *m_table;
    ParallelCoordinates *m_parallel;
    ScorePlot *m_scores;
    ImportanceBars *m_importanceBars;
    std::vector<Sweep> m_sweeps; // in the order added
    QString m_current;
    ImportanceReport m_importance;
    QString m_importanceKey; // the sweep and completed trials m_importance was made from
    QString m_lastActivated; // a click and the double-click after it emit once
    QElapsedTimer m_sinceActivated;
};

} // namespace trainscope
