// The input-pipeline table of a profile: each stage's batches, workers and time per batch, both
// CPU time (summed over the workers) and wall time, slowest first, replaced whole by each summary.
#pragma once

#include "core/profile/stepstats.h"
#include "widgets/rowsmodel.h"

#include <vector>

namespace trainscope {

class StageStatsModel : public RowsModel<StageStats> {
    Q_OBJECT
public:
    enum Column {
        StageColumn,
        BatchesColumn,
        WorkersColumn,
        CpuPerBatchColumn,
        WallPerBatchColumn,
        ColumnCount
    };

    explicit StageStatsModel(QObject *parent = nullptr);

    using QAbstractTableModel::setData;
    void setData(const std::vector<StageStats> &stages); // replaces; sorted by total, largest first

private:
    void rowsReset() override;
    QVariant display(const StageStats &s, int column) const override;
    QVariant sortKey(const StageStats &s, int column) const override;
    QVariant toolTip(const StageStats &s, int column) const override;

    double m_totalMs = 0; // of every stage, for each one's share
};

} // namespace trainscope
