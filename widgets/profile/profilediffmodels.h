// The tables of the Compare view, one per part of a ProfileDiff: the step-time categories, the
// input pipeline's stages, operators or kernels joined by name, and memory per device. Each
// shows baseline, candidate and the change; numbers sort through SortRole by their raw value.
#pragma once

#include "core/profile/profilediff.h"
#include "widgets/rowsmodel.h"

#include <vector>

namespace trainscope {

struct CategoryChange {
    QString category; // "input", ..., "step" for the whole mean step
    Change ms;
};

class CategoryDiffModel : public RowsModel<CategoryChange> {
    Q_OBJECT
public:
    enum Column { CategoryColumn, BaselineColumn, CandidateColumn, DeltaColumn, PercentColumn };
    explicit CategoryDiffModel(QObject *parent = nullptr);
    using QAbstractTableModel::setData;
    void setData(const ProfileDiff &diff); // categories either side spent time in, then "step"

private:
    QVariant display(const CategoryChange &row, int column) const override;
    QVariant sortKey(const CategoryChange &row, int column) const override;
    QVariant other(const CategoryChange &row, int column, int role) const override;
};

class StageDiffModel : public RowsModel<StageChange> {
    Q_OBJECT
public:
    enum Column {
        StageColumn,
        CpuBaselineColumn,
        CpuCandidateColumn,
        WallBaselineColumn,
        WallCandidateColumn,
        WallDeltaColumn,
        WorkersColumn
    };
    explicit StageDiffModel(QObject *parent = nullptr);
    using QAbstractTableModel::setData;
    void setData(const std::vector<StageChange> &stages);

private:
    QVariant display(const StageChange &row, int column) const override;
    QVariant sortKey(const StageChange &row, int column) const override;
    QVariant other(const StageChange &row, int column, int role) const override;
    QVariant headerToolTip(int section) const override;
};

// Operators (time = self time) or kernels (time = total time), joined by name.
class NameDiffModel : public RowsModel<NameChange> {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        PresenceColumn,
        CallsBaselineColumn,
        CallsCandidateColumn,
        TimeBaselineColumn,
        TimeCandidateColumn,
        TimeDeltaColumn,
        ShareBaselineColumn,
        ShareCandidateColumn,
        ShareDeltaColumn
    };
    // `time`: "Self" or "Time", the header's word for the joined time.
    explicit NameDiffModel(const QString &time, QObject *parent = nullptr);
    using QAbstractTableModel::setData;
    void setData(std::vector<NameChange> rows); // in order (diffOperators: largest |Δ| first)

private:
    bool isText(int column) const override { return column <= PresenceColumn; }
    QVariant display(const NameChange &row, int column) const override;
    QVariant sortKey(const NameChange &row, int column) const override;
    QVariant other(const NameChange &row, int column, int role) const override;
};

class MemoryDiffModel : public RowsModel<MemoryChange> {
    Q_OBJECT
public:
    enum Column {
        DeviceColumn,
        PeakBaselineColumn,
        PeakCandidateColumn,
        PeakDeltaColumn,
        AllocsBaselineColumn,
        AllocsCandidateColumn
    };
    explicit MemoryDiffModel(QObject *parent = nullptr);
    using QAbstractTableModel::setData;
    void setData(const std::vector<MemoryChange> &memory);

private:
    QVariant display(const MemoryChange &row, int column) const override;
    QVariant sortKey(const MemoryChange &row, int column) const override;
    QVariant other(const MemoryChange &row, int column, int role) const override;
};

// "+1.25", "-0.40" with `decimals`; "+12.5 %" ("new" when only the candidate has it).
QString signedNumber(double value, int decimals);
QString signedPercent(const Change &change);
// Green for a drop (faster, smaller), red for a rise; nothing when unchanged. For times and
// bytes, where lower is better.
QVariant deltaColor(double delta);

} // namespace trainscope
