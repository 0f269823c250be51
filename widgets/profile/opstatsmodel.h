// The top-operators table of a profile: name, calls, self, total, mean, min and max time and
// share of operator time, replaced whole by each new summary. Numbers sort through SortRole.
#pragma once

#include "core/profile/stepstats.h"
#include "widgets/rowsmodel.h"

#include <vector>

namespace trainscope {

struct OpRow {
    OpStats op;
    double share = 0; // of all operator self time, 0..1
};

class OpStatsModel : public RowsModel<OpRow> {
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

    explicit OpStatsModel(QObject *parent = nullptr);

    using QAbstractTableModel::setData;
    void setData(const std::vector<OpStats> &ops); // replaces every row
    double shareAt(int row) const { return at(row).share; }

private:
    QVariant display(const OpRow &row, int column) const override;
    QVariant sortKey(const OpRow &row, int column) const override;
    QVariant headerToolTip(int section) const override;
};

} // namespace trainscope
