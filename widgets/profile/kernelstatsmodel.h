// The GPU kernel table of a profile: per kernel its calls, time, share of all kernel time and
// launch configuration, replaced whole by each new trace. Numbers sort as numbers via SortRole.
#pragma once

#include "profile/kernelstats.h"

#include <QAbstractTableModel>
#include <vector>

namespace trainscope {

class KernelStatsModel : public QAbstractTableModel {
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
    enum Role { SortRole = Qt::UserRole };

    explicit KernelStatsModel(QObject *parent = nullptr);

    using QAbstractTableModel::setData;
    void setData(const std::vector<KernelStats> &kernels); // replaces every row
    void clear() { setData({}); }
    const KernelStats &at(int row) const { return m_kernels[size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<KernelStats> m_kernels;
};

} // namespace trainscope
