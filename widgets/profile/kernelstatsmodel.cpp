#include "widgets/profile/kernelstatsmodel.h"

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
    : RowsModel({"Kernel", "Calls", QString::fromUtf8("Total (µs)"), QString::fromUtf8("Mean (µs)"),
                 QString::fromUtf8("Min (µs)"), QString::fromUtf8("Max (µs)"), "Share (%)", "Grid",
                 "Block", "Registers", "Shared mem (bytes)"},
                parent) {}

QVariant KernelStatsModel::display(const KernelStats &k, int column) const {
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
    if (const LaunchField *field = launchField(k, column))
        return QString::fromStdString(field->text);
    return {};
}

QVariant KernelStatsModel::sortKey(const KernelStats &k, int column) const {
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
    // Threads, registers or bytes; -1 if it varies or is unknown.
    if (const LaunchField *field = launchField(k, column)) return field->value;
    return {};
}

QVariant KernelStatsModel::toolTip(const KernelStats &k, int column) const {
    if (column == NameColumn) { // long templated names are elided in the cell
        QString tip = QString::fromStdString(k.name);
        if (k.occupancyPct >= 0)
            tip += QString("\nestimated achieved occupancy: %1%").arg(k.occupancyPct, 0, 'f', 1);
        return tip;
    }
    const LaunchField *field = launchField(k, column);
    if (field && field->distinct > 1)
        return field->varies()
                   ? QString("%1 different values, none most frequent").arg(field->distinct)
                   : QString("%1 different values; the most frequent is shown")
                         .arg(field->distinct);
    return {};
}

QVariant KernelStatsModel::headerToolTip(int section) const {
    switch (section) {
    case ShareColumn:
        return QString("Share of all kernel time");
    case RegistersColumn:
        return QString("Registers per thread");
    case SharedMemoryColumn:
        return QString("Shared memory per block");
    }
    return {};
}

} // namespace trainscope
