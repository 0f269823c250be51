#include "opstatsmodel.h"

#include "profile/kernelstats.h"

namespace trainscope {

OpStatsModel::OpStatsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void OpStatsModel::setData(const std::vector<OpStats> &ops) {
    beginResetModel();
    m_ops = ops;
    m_shares = operatorSelfShares(m_ops);
    endResetModel();
}

int OpStatsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_ops.size());
}

int OpStatsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OpStatsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const OpStats &op = m_ops[size_t(index.row())];
    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case NameColumn:
            return QString::fromStdString(op.name);
        case CallsColumn:
            return QString::number(op.calls);
        case SelfColumn:
            return QString::number(op.selfUs / 1000, 'f', 2);
        case TotalColumn:
            return QString::number(op.totalUs / 1000, 'f', 2);
        case MeanColumn:
            return QString::number(op.meanUs(), 'f', 1);
        case MinColumn:
            return QString::number(op.minUs, 'f', 1);
        case MaxColumn:
            return QString::number(op.maxUs, 'f', 1);
        case ShareColumn:
            return QString::number(100 * m_shares[size_t(index.row())], 'f', 1);
        }
    } else if (role == SortRole) {
        switch (column) {
        case NameColumn:
            return QString::fromStdString(op.name);
        case CallsColumn:
            return qulonglong(op.calls);
        case SelfColumn:
            return op.selfUs;
        case TotalColumn:
            return op.totalUs;
        case MeanColumn:
            return op.meanUs();
        case MinColumn:
            return op.minUs;
        case MaxColumn:
            return op.maxUs;
        case ShareColumn:
            return m_shares[size_t(index.row())];
        }
    } else if (role == Qt::TextAlignmentRole && column != NameColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ToolTipRole && column == NameColumn) {
        return QString::fromStdString(op.name); // long names are elided in the cell
    }
    return {};
}

QVariant OpStatsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
    if (role == Qt::ToolTipRole && section == ShareColumn)
        return QString("Share of all operator self time");
    if (role != Qt::DisplayRole) return {};
    static const char *const names[ColumnCount] = {"Operator",   "Calls",     "Self (ms)",
                                                   "Total (ms)", "Mean (µs)", "Min (µs)",
                                                   "Max (µs)",   "Share (%)"};
    return QString::fromUtf8(names[section]);
}

} // namespace trainscope
