#include "stagestatsmodel.h"

#include <algorithm>

namespace trainscope {

StageStatsModel::StageStatsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void StageStatsModel::setData(const std::vector<StageStats> &stages) {
    beginResetModel();
    m_stages = stages;
    std::stable_sort(
        m_stages.begin(), m_stages.end(),
        [](const StageStats &a, const StageStats &b) { return a.totalMs > b.totalMs; });
    m_totalMs = 0;
    for (const StageStats &s : m_stages)
        m_totalMs += s.totalMs;
    endResetModel();
}

int StageStatsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_stages.size());
}

int StageStatsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StageStatsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StageStats &s = m_stages[size_t(index.row())];
    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case StageColumn:
            return QString::fromStdString(s.stage);
        case BatchesColumn:
            return QString::number(s.batches);
        case TotalColumn:
            return QString::number(s.totalMs, 'f', 1);
        case PerBatchColumn:
            return QString::number(s.msPerBatch(), 'f', 3);
        }
    } else if (role == SortRole) {
        switch (column) {
        case StageColumn:
            return QString::fromStdString(s.stage);
        case BatchesColumn:
            return qulonglong(s.batches);
        case TotalColumn:
            return s.totalMs;
        case PerBatchColumn:
            return s.msPerBatch();
        }
    } else if (role == Qt::TextAlignmentRole && column != StageColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ToolTipRole) {
        return QString("%1: %2% of the input pipeline's time")
            .arg(QString::fromStdString(s.stage))
            .arg(m_totalMs > 0 ? 100 * s.totalMs / m_totalMs : 0, 0, 'f', 1);
    }
    return {};
}

QVariant StageStatsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char *const names[ColumnCount] = {"Stage", "Batches", "Total (ms)", "ms/batch"};
    return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

} // namespace trainscope
