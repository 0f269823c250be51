// The job table: one row per training job with its state, epoch, progress, throughput, last
// loss and a message (the run directory while running, the reason when it failed).
#pragma once

#include "core/jobs/observer.h"

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

    int rowOf(int id) const; // -1 when unknown
    int jobIdAt(int row) const;
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
    };
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
