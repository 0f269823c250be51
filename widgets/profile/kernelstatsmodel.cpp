#include "kernelstatsmodel.h"

namespace trainscope {

namespace {

const LaunchField *launchField(const KernelStats &k, int column) {
    switch (column) {
    case KernelStatsModel::GridColumn:
        return &k.grid;
    case KernelStatsModel::BlockColumn:
        return &k.block;
    case KernelStatsModel::RegistersColumn:
        return &k.registersPerThread;
    case KernelStatsModel::SharedMemoryColumn:
        return &k.sharedMemory;
    }
    return nullptr;
}

} // namespace

KernelStatsModel::KernelStatsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void KernelStatsModel::setData(const std::vector<KernelStats> &kernels) {
    beginResetModel();
    m_kernels = kernels;
    endResetModel();
}

int KernelStatsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_kernels.size());
}

int KernelStatsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KernelStatsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const KernelStats &k = m_kernels[size_t(index.row())];
    const int column = index.column();
    const LaunchField *field = launchField(k, column);
    if (role == Qt::DisplayRole) {
        switch (column) {
        case NameColumn:
            return QString::fromStdString(k.name);
        case CallsColumn:
            return QString::number(k.calls);
        case TotalColumn:
            return QString::number(k.totalUs, 'f', 1);
        case MeanColumn:
            return QString::number(k.meanUs(), 'f', 2);
        case MinColumn:
            return QString::number(k.minUs, 'f', 2);
        case MaxColumn:
            return QString::number(k.maxUs, 'f', 2);
        case ShareColumn:
            return QString::number(100 * k.share, 'f', 1);
        }
        if (field) return QString::fromStdString(field->text);
    } else if (role == SortRole) {
        switch (column) {
        case NameColumn:
            return QString::fromStdString(k.name);
        case CallsColumn:
            return qulonglong(k.calls);
        case TotalColumn:
            return k.totalUs;
        case MeanColumn:
            return k.meanUs();
        case MinColumn:
            return k.minUs;
        case MaxColumn:
            return k.maxUs;
        case ShareColumn:
            return k.share;
        }
        if (field) return field->value; // threads, registers or bytes; -1 if varies or unknown
    } else if (role == Qt::TextAlignmentRole && column != NameColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ToolTipRole) {
        if (column == NameColumn) { // long templated names are elided in the cell
            QString tip = QString::fromStdString(k.name);
            if (k.occupancyPct >= 0)
                tip +=
                    QString("\nestimated achieved occupancy: %1%").arg(k.occupancyPct, 0, 'f', 1);
            return tip;
        }
        if (field && field->distinct > 1)
            return field->varies()
                       ? QString("%1 different values, none most frequent").arg(field->distinct)
                       : QString("%1 different values; the most frequent is shown")
                             .arg(field->distinct);
    }
    return {};
}

QVariant KernelStatsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
    if (role == Qt::DisplayRole) {
        static const char *const names[ColumnCount] = {
            "Kernel",    "Calls", "Total (µs)", "Mean (µs)", "Min (µs)",          "Max (µs)",
            "Share (%)", "Grid",  "Block",      "Registers", "Shared mem (bytes)"};
        return QString::fromUtf8(names[section]);
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ShareColumn:
            return QString("Share of all kernel time");
        case RegistersColumn:
            return QString("Registers per thread");
        case SharedMemoryColumn:
            return QString("Shared memory per block");
        }
    }
    return {};
}

} // namespace trainscope
