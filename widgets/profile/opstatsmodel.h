// The top-operators table of a profile: name, calls, self, total, mean, min and max time and
// share of operator time, replaced whole by each new summary. Numbers sort through SortRole.
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
        ShareColumn, // of all operator self time, so the column sums to 100 % despite nesting
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole };

    explicit OpStatsModel(QObject *parent = nullptr);

    using QAbstractTableModel::setData;
    void setData(const std::vector<OpStats> &ops); // replaces every row
    const OpStats &at(int row) const { return m_ops[size_t(row)]; }
    double shareAt(int row) const { return m_shares[size_t(row)]; } // 0..1

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<OpStats> m_ops;
    std::vector<double> m_shares; // by row
};

} // namespace trainscope
