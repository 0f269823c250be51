#include "widgets/jobs/joblistmodel.h"

#include <QColor>
#include <algorithm>

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
        if (m_jobs[row].id == id) return row;
    return -1;
}

int JobListModel::jobIdAt(int row) const {
    return row >= 0 && row < m_jobs.size() ? m_jobs[row].id : -1;
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
    switch (column) {
    case NameColumn:
        return job.name;
    case StateColumn:
        return QString::fromUtf8(jobStateName(job.state));
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
        return job.progress.epoch;
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
    QString tip = QString("%1 (%2)").arg(job.name, QString::fromUtf8(jobStateName(job.state)));
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
