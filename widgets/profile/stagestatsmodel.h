// The input-pipeline table of a profile: each stage's batches, total time and time per batch,
// slowest first, replaced whole by each new summary.
#pragma once

#include "profile/stepstats.h"

#include <QAbstractTableModel>
#include <vector>

namespace trainscope {

class StageStatsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { StageColumn, BatchesColumn, TotalColumn, PerBatchColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole };

    explicit StageStatsModel(QObject *parent = nullptr);

    using QAbstractTableModel::setData;
    void setData(const std::vector<StageStats> &stages); // replaces; sorted by total, largest first
    const StageStats &at(int row) const { return m_stages[size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<StageStats> m_stages;
    double m_totalMs = 0; // of every stage, for each one's share
};

} // namespace trainscope
