// The top-operators table of a profile: name, calls, total, mean, min and max time, replaced
// whole by each new summary. Numbers sort as numbers through SortRole.
#pragma once

#include "profile/stepstats.h"

#include <QAbstractTableModel>
#include <vector>

namespace trainscope {

class OpStatsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        CallsColumn,
        SelfColumn, // without the operators nested inside, as PyTorch's "self CPU"
        TotalColumn,
        MeanColumn,
        MinColumn,
        MaxColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole };

    explicit OpStatsModel(QObject *parent = nullptr);

    using QAbstractTableModel::setData;
    void setData(const std::vector<OpStats> &ops); // replaces every row
    const OpStats &at(int row) const { return m_ops[size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<OpStats> m_ops;
};

} // namespace trainscope
