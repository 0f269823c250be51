#include "widgets/profile/stagestatsmodel.h"

#include <algorithm>

namespace trainscope {

StageStatsModel::StageStatsModel(QObject *parent)
    : RowsModel({"Stage", "Batches", "Workers", "CPU ms/batch", "Wall ms/batch"}, parent) {}

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
    case WorkersColumn:
        return QString::number(s.workers);
    case CpuPerBatchColumn:
        return QString::number(s.msPerBatch(), 'f', 3);
    case WallPerBatchColumn:
        return QString::number(s.wallMsPerBatch(), 'f', 3);
    }
    return {};
}

QVariant StageStatsModel::sortKey(const StageStats &s, int column) const {
    switch (column) {
    case StageColumn:
        return QString::fromStdString(s.stage);
    case BatchesColumn:
        return qulonglong(s.batches);
    case WorkersColumn:
        return s.workers;
    case CpuPerBatchColumn:
        return s.msPerBatch();
    case WallPerBatchColumn:
        return s.wallMsPerBatch();
    }
    return {};
}

QVariant StageStatsModel::toolTip(const StageStats &s, int) const {
    return QString("%1: %2% of the input pipeline's time; %3 ms of CPU time a batch, summed over "
                   "%4 worker%5 running at once, so about %6 ms of wall time")
        .arg(QString::fromStdString(s.stage))
        .arg(m_totalMs > 0 ? 100 * s.totalMs / m_totalMs : 0, 0, 'f', 1)
        .arg(s.msPerBatch(), 0, 'f', 3)
        .arg(s.workers)
        .arg(s.workers == 1 ? "" : "s")
        .arg(s.wallMsPerBatch(), 0, 'f', 3);
}

} // namespace trainscope
