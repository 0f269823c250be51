#include "widgets/profile/profilediffmodels.h"

#include "widgets/format.h"
#include "widgets/profile/steptimechart.h"

#include <QColor>
#include <QRegularExpression>
#include <cmath>

namespace trainscope {
namespace {

QString fixed(double value, int decimals) {
    return QString::number(value, 'f', decimals);
}

// Sorting a delta column puts the largest change in either direction first.
double magnitude(const Change &c) {
    return std::abs(c.delta());
}

QString presenceText(Presence p) {
    return QString::fromUtf8(presenceName(p));
}

} // namespace

QString signedNumber(double value, int decimals) {
    QString text = fixed(value, decimals);
    static const QRegularExpression nonZero("[1-9]");
    if (!text.contains(nonZero)) return text.startsWith('-') ? text.mid(1) : text; // not "-0.0"
    return (value > 0 ? "+" : "") + text;
}

QString signedPercent(const Change &change) {
    const double p = change.percent();
    if (std::isinf(p)) return "new";
    return (p > 0 ? "+" : "") + fixed(p, 1) + " %";
}

QVariant deltaColor(double delta) {
    if (delta < 0) return QColor("#2e7d32");
    if (delta > 0) return QColor("#c62828");
    return {};
}

// --- categories ---

CategoryDiffModel::CategoryDiffModel(QObject *parent)
    : RowsModel({"Category", "Baseline\nms", "Candidate\nms", "Change\nms", "Change\n%"}, parent) {}

void CategoryDiffModel::setData(const ProfileDiff &diff) {
    std::vector<CategoryChange> rows;
    for (int c = 0; c < kTimeCategories; ++c) {
        const Change &ms = diff.categoryMs[size_t(c)];
        if (ms.baseline != 0 || ms.candidate != 0)
            rows.push_back({timeCategoryLabel(TimeCategory(c)), ms});
    }
    rows.push_back({"step", diff.meanStepMs});
    resetRows(std::move(rows));
}

QVariant CategoryDiffModel::display(const CategoryChange &row, int column) const {
    switch (column) {
    case CategoryColumn:
        return row.category;
    case BaselineColumn:
        return fixed(row.ms.baseline, 3);
    case CandidateColumn:
        return fixed(row.ms.candidate, 3);
    case DeltaColumn:
        return signedNumber(row.ms.delta(), 3);
    case PercentColumn:
        return signedPercent(row.ms);
    }
    return {};
}

QVariant CategoryDiffModel::sortKey(const CategoryChange &row, int column) const {
    switch (column) {
    case CategoryColumn:
        return row.category;
    case BaselineColumn:
        return row.ms.baseline;
    case CandidateColumn:
        return row.ms.candidate;
    case DeltaColumn:
        return magnitude(row.ms);
    case PercentColumn:
        return std::abs(row.ms.percent());
    }
    return {};
}

QVariant CategoryDiffModel::other(const CategoryChange &row, int column, int role) const {
    if (role == Qt::ForegroundRole && (column == DeltaColumn || column == PercentColumn))
        return deltaColor(row.ms.delta());
    if (role == Qt::DecorationRole && column == CategoryColumn && row.category != "step")
        for (int c = 0; c < kTimeCategories; ++c)
            if (timeCategoryLabel(TimeCategory(c)) == row.category)
                return timeCategoryColor(TimeCategory(c));
    return {};
}

// --- stages ---

StageDiffModel::StageDiffModel(QObject *parent)
    : RowsModel({"Stage", "CPU ms\nbaseline", "CPU ms\ncandidate", "Wall ms\nbaseline",
                 "Wall ms\ncandidate", "Wall ms\nchange", "Workers"},
                parent) {}

void StageDiffModel::setData(const std::vector<StageChange> &stages) {
    resetRows(stages);
}

QVariant StageDiffModel::display(const StageChange &row, int column) const {
    switch (column) {
    case StageColumn:
        return QString::fromStdString(row.stage) +
               (row.presence == Presence::Both ? "" : " (" + presenceText(row.presence) + ")");
    case CpuBaselineColumn:
        return fixed(row.cpuMsPerBatch.baseline, 3);
    case CpuCandidateColumn:
        return fixed(row.cpuMsPerBatch.candidate, 3);
    case WallBaselineColumn:
        return fixed(row.wallMsPerBatch.baseline, 3);
    case WallCandidateColumn:
        return fixed(row.wallMsPerBatch.candidate, 3);
    case WallDeltaColumn:
        return signedNumber(row.wallMsPerBatch.delta(), 3);
    case WorkersColumn:
        return QString("%1 → %2").arg(row.workers.baseline).arg(row.workers.candidate);
    }
    return {};
}

QVariant StageDiffModel::sortKey(const StageChange &row, int column) const {
    switch (column) {
    case StageColumn:
        return QString::fromStdString(row.stage);
    case CpuBaselineColumn:
        return row.cpuMsPerBatch.baseline;
    case CpuCandidateColumn:
        return row.cpuMsPerBatch.candidate;
    case WallBaselineColumn:
        return row.wallMsPerBatch.baseline;
    case WallCandidateColumn:
        return row.wallMsPerBatch.candidate;
    case WallDeltaColumn:
        return magnitude(row.wallMsPerBatch);
    case WorkersColumn:
        return row.workers.candidate;
    }
    return {};
}

QVariant StageDiffModel::other(const StageChange &row, int column, int role) const {
    if (role == Qt::ForegroundRole && column == WallDeltaColumn)
        return deltaColor(row.wallMsPerBatch.delta());
    return {};
}

QVariant StageDiffModel::headerToolTip(int section) const {
    if (section == CpuBaselineColumn || section == CpuCandidateColumn)
        return "CPU time a batch, summed over the workers that ran the stage at once";
    if (section == WallBaselineColumn || section == WallCandidateColumn)
        return "Wall time a batch: the CPU time divided by the workers running in parallel";
    return {};
}

// --- operators and kernels ---

NameDiffModel::NameDiffModel(const QString &time, QObject *parent)
    : RowsModel({"Name", "", "Calls\nbaseline", "Calls\ncandidate", time + " µs\nbaseline",
                 time + " µs\ncandidate", "Change\nµs", "Share\nbaseline", "Share\ncandidate",
                 "Share\nchange"},
                parent) {}

void NameDiffModel::setData(std::vector<NameChange> rows) {
    resetRows(std::move(rows));
}

QVariant NameDiffModel::display(const NameChange &row, int column) const {
    switch (column) {
    case NameColumn:
        return QString::fromStdString(row.name);
    case PresenceColumn:
        return presenceText(row.presence);
    case CallsBaselineColumn:
        return fixed(row.calls.baseline, 0);
    case CallsCandidateColumn:
        return fixed(row.calls.candidate, 0);
    case TimeBaselineColumn:
        return fixed(row.timeUs.baseline, 1);
    case TimeCandidateColumn:
        return fixed(row.timeUs.candidate, 1);
    case TimeDeltaColumn:
        return signedNumber(row.timeUs.delta(), 1);
    case ShareBaselineColumn:
        return fixed(100 * row.share.baseline, 1) + " %";
    case ShareCandidateColumn:
        return fixed(100 * row.share.candidate, 1) + " %";
    case ShareDeltaColumn:
        return signedNumber(100 * row.share.delta(), 1) + " pt";
    }
    return {};
}

QVariant NameDiffModel::sortKey(const NameChange &row, int column) const {
    switch (column) {
    case NameColumn:
        return QString::fromStdString(row.name);
    case PresenceColumn:
        return int(row.presence);
    case CallsBaselineColumn:
        return row.calls.baseline;
    case CallsCandidateColumn:
        return row.calls.candidate;
    case TimeBaselineColumn:
        return row.timeUs.baseline;
    case TimeCandidateColumn:
        return row.timeUs.candidate;
    case TimeDeltaColumn:
        return magnitude(row.timeUs);
    case ShareBaselineColumn:
        return row.share.baseline;
    case ShareCandidateColumn:
        return row.share.candidate;
    case ShareDeltaColumn:
        return magnitude(row.share);
    }
    return {};
}

QVariant NameDiffModel::other(const NameChange &row, int column, int role) const {
    if (role == Qt::ForegroundRole && (column == TimeDeltaColumn || column == ShareDeltaColumn))
        return deltaColor(column == TimeDeltaColumn ? row.timeUs.delta() : row.share.delta());
    if (role == Qt::ForegroundRole && column == PresenceColumn)
        return row.presence == Presence::New ? QColor("#1565c0") : QColor("#757575");
    return {};
}

// --- memory ---

MemoryDiffModel::MemoryDiffModel(QObject *parent)
    : RowsModel({"Device", "Peak\nbaseline", "Peak\ncandidate", "Peak\nchange",
                 "Allocations\nbaseline", "Allocations\ncandidate"},
                parent) {}

void MemoryDiffModel::setData(const std::vector<MemoryChange> &memory) {
    resetRows(memory);
}

QVariant MemoryDiffModel::display(const MemoryChange &row, int column) const {
    switch (column) {
    case DeviceColumn:
        return QString::fromStdString(row.device) +
               (row.presence == Presence::Both ? "" : " (" + presenceText(row.presence) + ")");
    case PeakBaselineColumn:
        return formatBytes(row.peakBytes.baseline);
    case PeakCandidateColumn:
        return formatBytes(row.peakBytes.candidate);
    case PeakDeltaColumn:
        return (row.peakBytes.delta() > 0   ? "+"
                : row.peakBytes.delta() < 0 ? "−"
                                            : "") +
               formatBytes(std::abs(row.peakBytes.delta()));
    case AllocsBaselineColumn:
        return fixed(row.allocations.baseline, 0);
    case AllocsCandidateColumn:
        return fixed(row.allocations.candidate, 0);
    }
    return {};
}

QVariant MemoryDiffModel::sortKey(const MemoryChange &row, int column) const {
    switch (column) {
    case DeviceColumn:
        return QString::fromStdString(row.device);
    case PeakBaselineColumn:
        return row.peakBytes.baseline;
    case PeakCandidateColumn:
        return row.peakBytes.candidate;
    case PeakDeltaColumn:
        return magnitude(row.peakBytes);
    case AllocsBaselineColumn:
        return row.allocations.baseline;
    case AllocsCandidateColumn:
        return row.allocations.candidate;
    }
    return {};
}

QVariant MemoryDiffModel::other(const MemoryChange &row, int column, int role) const {
    if (role == Qt::ForegroundRole && column == PeakDeltaColumn)
        return deltaColor(row.peakBytes.delta());
    return {};
}

} // namespace trainscope
