#include "widgets/profile/opstatsmodel.h"

#include "core/profile/kernelstats.h"

namespace trainscope {

OpStatsModel::OpStatsModel(QObject *parent)
    : RowsModel({"Operator", "Calls", "Self (ms)", "Total (ms)", QString::fromUtf8("Mean (µs)"),
                 QString::fromUtf8("Min (µs)"), QString::fromUtf8("Max (µs)"), "Share (%)"},
                parent) {}

void OpStatsModel::setData(const std::vector<OpStats> &ops) {
    const std::vector<double> shares = operatorSelfShares(ops);
    std::vector<OpRow> rows;
    for (size_t i = 0; i < ops.size(); ++i)
        rows.push_back({ops[i], shares[i]});
    resetRows(std::move(rows));
}

QVariant OpStatsModel::display(const OpRow &row, int column) const {
    const OpStats &op = row.op;
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
        return QString::number(100 * row.share, 'f', 1);
    }
    return {};
}

QVariant OpStatsModel::sortKey(const OpRow &row, int column) const {
    const OpStats &op = row.op;
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
        return row.share;
    }
    return {};
}

QVariant OpStatsModel::headerToolTip(int section) const {
    if (section == ShareColumn) return QString("Share of all operator self time");
    return {};
}

} // namespace trainscope
