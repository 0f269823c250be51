// The GPU kernel table of a profile: per kernel its calls, time, share of all kernel time and
// launch configuration, replaced whole by each new trace. Numbers sort as numbers via SortRole.
#pragma once

#include "core/profile/kernelstats.h"

#include "widgets/rowsmodel.h"

#include <vector>

namespace trainscope {

class KernelStatsModel : public RowsModel<KernelStats> {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        CallsColumn,
        TotalColumn,
        MeanColumn,
        MinColumn,
        MaxColumn,
        ShareColumn,
        GridColumn,
        BlockColumn,
        RegistersColumn,
        SharedMemoryColumn,
        ColumnCount
    };

    explicit KernelStatsModel(QObject *parent = nullptr);

    using QAbstractTableModel::setData;
    void setData(const std::vector<KernelStats> &kernels) { resetRows(kernels); } // replaces all
    void clear() { setData({}); }

private:
    QVariant display(const KernelStats &k, int column) const override;
    QVariant sortKey(const KernelStats &k, int column) const override;
    QVariant toolTip(const KernelStats &k, int column) const override;
    QVariant headerToolTip(int section) const override;
};

} // namespace trainscope
