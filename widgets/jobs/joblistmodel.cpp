#include "widgets/jobs/joblistmodel.h"

#include <QColor>
#include <algorithm>
#include <cmath>

namespace trainscope {

QColor jobStateColor(JobState state) {
    switch (state) {
    case JobState::Failed:
        return QColor("#c62828");
    case JobState::Completed:
        return QColor("#2e7d32");
    case JobState::Running:
        return QColor("#1565c0");
    default:
        return {};
    }
}

JobListModel::JobListModel(QObject *parent)
    : QAbstractTableModel(parent) {}

int JobListModel::rowOf(int id) const {
    for (int row = 0; row < m_jobs.size(); ++row)
        if (!m_jobs[row].isTrial() && m_jobs[row].id == id) return row;
    return -1;
}

int JobListModel::jobIdAt(int row) const {
    return row >= 0 && row < m_jobs.size() && !m_jobs[row].isTrial() ? m_jobs[row].id : -1;
}

int JobListModel::rowOfTrial(const QString &sweepDir, int trialId) const {
    for (int row = 0; row < m_jobs.size(); ++row)
        if (m_jobs[row].isTrial() && m_jobs[row].sweepDir == sweepDir &&
            m_jobs[row].trialId == trialId)
            return row;
    return -1;
}

std::optional<JobListModel::TrialRef> JobListModel::trialAt(int row) const {
    if (row < 0 || row >= m_jobs.size() || !m_jobs[row].isTrial()) return std::nullopt;
    return TrialRef{m_jobs[row].sweepDir, m_jobs[row].trialId};
}

void JobListModel::setTrial(const QString &sweepDir, const QString &sweepName, const Trial &trial,
                            int defaultEpochs) {
    int row = rowOfTrial(sweepDir, trial.id);
    if (row < 0) {
        row = int(m_jobs.size());
        beginInsertRows({}, row, row);
        Job job;
        job.sweepDir = sweepDir;
        job.trialId = trial.id;
        job.name = QString("%1 / trial %2").arg(sweepName).arg(trial.id);
        m_jobs.append(job);
        endInsertRows();
    }
    Job &job = m_jobs[row];
    job.trialStatus = trial.status;
    job.state = trial.status == TrialStatus::Running     ? JobState::Running
                : trial.status == TrialStatus::Completed ? JobState::Completed
                : trial.error == "cancelled"             ? JobState::Cancelled
                : trial.status == TrialStatus::Failed    ? JobState::Failed
                                                         : JobState::Cancelled; // pruned: grey
    job.epochsDone = int(trial.values.size());
    job.budget = trial.epochs > 0 ? trial.epochs : defaultEpochs;
    job.latest.reset();
    for (auto it = trial.values.rbegin(); it != trial.values.rend() && !job.latest; ++it)
        if (std::isfinite(*it)) job.latest = *it;
    if (trial.score) job.latest = *trial.score;
    job.message =
        !trial.error.empty() ? QString::fromStdString(trial.error)
        : job.latest
            ? QString("%1 %2").arg(trial.score ? "score" : "latest").arg(*job.latest, 0, 'g', 4)
            : QString();
    rowChanged(row);
    if (trial.status != TrialStatus::Running) dropOldFinishedTrials(sweepDir);
}

void JobListModel::dropOldFinishedTrials(const QString &sweepDir) {
    int finished = 0;
    for (int row = int(m_jobs.size()) - 1; row >= 0; --row) {
        const Job &job = m_jobs[row];
        if (job.sweepDir != sweepDir || job.trialStatus == TrialStatus::Running) continue;
        if (++finished <= kFinishedTrialsKept) continue;
        beginRemoveRows({}, row, row);
        m_jobs.remove(row);
        endRemoveRows();
    }
}

void JobListModel::endSweep(const QString &sweepDir) {
    for (int row = 0; row < m_jobs.size(); ++row) {
        Job &job = m_jobs[row];
        if (job.sweepDir != sweepDir || job.trialStatus != TrialStatus::Running || job.stopped)
            continue;
        job.stopped = true;
        job.state = JobState::Cancelled;
        job.message = "stopped with the sweep; a resume runs it again";
        rowChanged(row);
    }
}

QString JobListModel::stateText(const Job &job) {
    if (!job.isTrial()) return QString::fromUtf8(jobStateName(job.state));
    if (job.stopped) return "stopped";
    if (job.trialStatus == TrialStatus::Failed && job.state == JobState::Cancelled)
        return "cancelled";
    return QString::fromLatin1(trialStatusName(job.trialStatus)).toLower();
}

int JobListModel::ensureRow(int id) {
    const int existing = rowOf(id);
    if (existing >= 0) return existing;
    const int row = int(m_jobs.size());
    beginInsertRows({}, row, row);
    Job job;
    job.id = id;
    job.name = QString("job %1").arg(id);
    job.progress.jobId = id;
    m_jobs.append(job);
    endInsertRows();
    return row;
}

void JobListModel::rowChanged(int row, int firstColumn, int lastColumn) {
    emit dataChanged(index(row, firstColumn), index(row, lastColumn));
}

void JobListModel::addJob(int id, const QString &name) {
    const int row = ensureRow(id);
    m_jobs[row].name = name;
    rowChanged(row, NameColumn, NameColumn);
}

void JobListModel::setState(int id, JobState state, const QString &message) {
    const int row = ensureRow(id);
    Job &job = m_jobs[row];
    job.state = state;
    // Keep the run directory once known; a failure's reason replaces it.
    if (!message.isEmpty() || state == JobState::Failed) job.message = message;
    rowChanged(row);
}

void JobListModel::setProgress(const JobProgress &progress) {
    const int row = ensureRow(progress.jobId);
    m_jobs[row].progress = progress;
    rowChanged(row, EpochColumn, LossColumn);
}

void JobListModel::setEpoch(const EpochResult &result) {
    const int row = ensureRow(result.jobId);
    m_jobs[row].lastEpoch = result;
    rowChanged(row);
}

void JobListModel::removeJob(int id) {
    const int row = rowOf(id);
    if (row < 0) return;
    beginRemoveRows({}, row, row);
    m_jobs.remove(row);
    endRemoveRows();
}

void JobListModel::clear() {
    beginResetModel();
    m_jobs.clear();
    endResetModel();
}

JobState JobListModel::state(int id) const {
    const int row = rowOf(id);
    return row < 0 ? JobState::Queued : m_jobs[row].state;
}

double JobListModel::progressPercent(int id) const {
    const int row = rowOf(id);
    return row < 0 ? 0 : percentOf(m_jobs[row]);
}

double JobListModel::percentOf(const Job &job) {
    if (job.isTrial()) {
        if (job.trialStatus == TrialStatus::Completed) return 100;
        return job.budget > 0 ? std::clamp(100.0 * job.epochsDone / job.budget, 0.0, 100.0) : 0;
    }
    if (job.state == JobState::Completed) return 100;
    const JobProgress &p = job.progress;
    if (p.epochs <= 0 || p.batchesPerEpoch <= 0) return 0;
    const double done = double(std::max(p.epoch - 1, 0)) * double(p.batchesPerEpoch) +
                        double(std::min(p.batch, p.batchesPerEpoch));
    return std::clamp(100.0 * done / (double(p.epochs) * double(p.batchesPerEpoch)), 0.0, 100.0);
}

int JobListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobListModel::display(const Job &job, int column) const {
    const JobProgress &p = job.progress;
    const bool started = p.epochs > 0;
    if (job.isTrial()) {
        switch (column) {
        case EpochColumn:
            if (job.budget > 0) return QString("%1/%2").arg(job.epochsDone).arg(job.budget);
            // A command trial without per-epoch values: no epoch to tell.
            return job.epochsDone > 0 ? QString::number(job.epochsDone) : QString();
        case ProgressColumn:
            return job.budget > 0 || job.trialStatus == TrialStatus::Completed
                       ? QString("%1%").arg(percentOf(job), 0, 'f', 0)
                       : QString();
        case SamplesPerSecondColumn:
        case LossColumn:
            return QString();
        }
    }
    switch (column) {
    case NameColumn:
        return job.name;
    case StateColumn:
        return stateText(job);
    case EpochColumn:
        return started ? QString("%1/%2").arg(p.epoch).arg(p.epochs) : QString();
    case ProgressColumn:
        return QString("%1%").arg(percentOf(job), 0, 'f', 0);
    case SamplesPerSecondColumn:
        return p.samplesPerSecond > 0 ? QString::number(p.samplesPerSecond, 'f', 0) : QString();
    case LossColumn:
        return p.step > 0 ? QString::number(p.loss, 'g', 4) : QString();
    case MessageColumn:
        return job.message;
    }
    return {};
}

QVariant JobListModel::value(const Job &job, int column) const {
    switch (column) {
    case NameColumn:
        return job.name;
    case StateColumn:
        return int(job.state);
    case EpochColumn:
        return job.isTrial() ? job.epochsDone : job.progress.epoch;
    case ProgressColumn:
        return percentOf(job);
    case SamplesPerSecondColumn:
        return job.progress.samplesPerSecond;
    case LossColumn:
        return job.progress.loss;
    case MessageColumn:
        return job.message;
    }
    return {};
}

QString JobListModel::toolTip(const Job &job) const {
    QString tip = QString("%1 (%2)").arg(job.name, stateText(job));
    if (job.isTrial())
        tip += job.budget > 0 ? QString("\nepoch %1 of %2").arg(job.epochsDone).arg(job.budget)
                              : QString("\n%1 epochs reported").arg(job.epochsDone);
    if (job.lastEpoch) {
        const EpochResult &e = *job.lastEpoch;
        const QString val = e.validated ? QString("val loss %1, accuracy %2%")
                                              .arg(e.valLoss, 0, 'g', 4)
                                              .arg(100 * e.valAccuracy, 0, 'f', 1)
                                        : QString("no validation examples");
        tip += QString("\nepoch %1: train loss %2, accuracy %3%; %4; %5 s")
                   .arg(e.epoch)
                   .arg(e.trainLoss, 0, 'g', 4)
                   .arg(100 * e.trainAccuracy, 0, 'f', 1)
                   .arg(val)
                   .arg(e.seconds, 0, 'f', 1);
    }
    if (!job.message.isEmpty()) tip += "\n" + job.message;
    return tip;
}

QVariant JobListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Job &job = m_jobs[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(job, index.column());
    case ValueRole:
        return value(job, index.column());
    case JobIdRole:
        return job.id;
    case Qt::ToolTipRole:
        return toolTip(job);
    case Qt::TextAlignmentRole:
        if (index.column() >= EpochColumn && index.column() <= LossColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole: {
        const QColor color = jobStateColor(job.state);
        if (!color.isValid()) return {};
        if (index.column() == StateColumn) return color;
        if (index.column() == MessageColumn && job.state == JobState::Failed)
            return color; // the reason reads as an error
        return {};
    }
    default:
        return {};
    }
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char *const names[ColumnCount] = {"Name",      "State", "Epoch",  "Progress",
                                                   "Samples/s", "Loss",  "Message"};
    return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

} // namespace trainscope
