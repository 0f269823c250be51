// The job table: one row per training job with its state, epoch, progress, throughput, last
// loss and a message (the run directory while running, the reason when it failed), and one row
// per trial of a running sweep ("sweep / trial 7") with its epoch of its budget and latest value.
#pragma once

#include "core/jobs/observer.h"
#include "core/tune/trial.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QVector>
#include <optional>

namespace trainscope {

class JobListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StateColumn,
        EpochColumn,
        ProgressColumn,
        SamplesPerSecondColumn,
        LossColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role {
        ValueRole = Qt::UserRole, // numbers as numbers (progress in percent), for sorting
        JobIdRole,
    };

    explicit JobListModel(QObject *parent = nullptr);

    // Jobs appear in the order added; reports for a job never added add it as "job ID".
    void addJob(int id, const QString &name);
    void setState(int id, JobState state, const QString &message = {});
    void setProgress(const JobProgress &progress);
    void setEpoch(const EpochResult &result);
    void removeJob(int id);
    void clear();

    // A sweep's trial, keyed by the sweep's directory: a row while it runs, which keeps its
    // final status after; of a sweep's finished trials only the latest kFinishedTrialsKept stay.
    // `defaultEpochs`: the budget of a trial without its own (0: unknown).
    static constexpr int kFinishedTrialsKept = 3;
    void setTrial(const QString &sweepDir, const QString &sweepName, const Trial &trial,
                  int defaultEpochs);
    // The sweep ended: its trials still running stopped, to be run again by a resume.
    void endSweep(const QString &sweepDir);
    struct TrialRef {
        QString sweepDir;
        int trialId = 0;
    };
    std::optional<TrialRef> trialAt(int row) const; // nothing: a job's row
    int rowOfTrial(const QString &sweepDir, int trialId) const;

    int rowOf(int id) const;    // -1 when unknown
    int jobIdAt(int row) const; // -1 for a trial's row
    JobState state(int id) const;
    double progressPercent(int id) const; // 0..100, over every epoch

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Job {
        int id = 0;
        QString name;
        JobState state = JobState::Queued;
        QString message;
        JobProgress progress;
        std::optional<EpochResult> lastEpoch;
        // A sweep's trial (sweepDir not empty): its status, epochs done and budget, value.
        QString sweepDir;
        int trialId = 0;
        TrialStatus trialStatus = TrialStatus::Running;
        bool stopped = false; // the sweep stopped while it ran
        int epochsDone = 0, budget = 0;
        std::optional<double> latest;
        bool isTrial() const { return !sweepDir.isEmpty(); }
    };
    void dropOldFinishedTrials(const QString &sweepDir);
    static QString stateText(const Job &job);
    int ensureRow(int id);
    void rowChanged(int row, int firstColumn = 0, int lastColumn = ColumnCount - 1);
    static double percentOf(const Job &job);
    QVariant display(const Job &job, int column) const;
    QVariant value(const Job &job, int column) const;
    QString toolTip(const Job &job) const;

    QVector<Job> m_jobs;
};

// Failed red, completed green, running blue; invalid (the palette's text colour) otherwise.
QColor jobStateColor(JobState state);

} // namespace trainscope
