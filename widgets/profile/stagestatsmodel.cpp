#include "widgets/profile/stagestatsmodel.h"

#include <algorithm>

namespace trainscope {

StageStatsModel::StageStatsModel(QObject *parent)
    : RowsModel({"Stage", "Batches", "Total (ms)", "ms/batch"}, parent) {}

void StageStatsModel::setData(const std::vector<StageStats> &stages) {
    std::vector<StageStats> sorted = stages;
    std::stable_sort(sorted.begin(), sorted.end(), [](const StageStats &a, const StageStats &b) {
        return a.totalMs > b.totalMs;
    });
    resetRows(std::move(sorted));
}

void StageStatsModel::rowsReset() {
    m_totalMs = 0;
    for (const StageStats &s : rows())
        m_totalMs += s.totalMs;
}

QVariant StageStatsModel::display(const StageStats &s, int column) const {
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
    return {};
}

QVariant StageStatsModel::sortKey(const StageStats &s, int column) const {
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
    return {};
}

QVariant StageStatsModel::toolTip(const StageStats &s, int) const {
    return QString("%1: %2% of the input pipeline's time")
        .arg(QString::fromStdString(s.stage))
        .arg(m_totalMs > 0 ? 100 * s.totalMs / m_totalMs : 0, 0, 'f', 1);
}

} // namespace trainscope
