// The memory view of a profile: allocated (and reserved) bytes over time per device with the
// peak marked, and the largest allocations live at the peak, from a trace's memory events.
#pragma once

#include "core/profile/memorytimeline.h"

#include "widgets/rowsmodel.h"

#include <QStringList>
#include <QWidget>
#include <memory>
#include <utility>
#include <vector>

class QComboBox;
class QCustomPlot;
class QCPGraph;
class QCPItemText;
class QCPItemTracer;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace trainscope {

struct TraceFile;

// The allocations live at a device's peak: address, size, when allocated and age at the peak.
class LiveAllocationModel : public RowsModel<LiveAllocation> {
    Q_OBJECT
public:
    enum Column { AddressColumn, SizeColumn, AllocatedAtColumn, AgeColumn, ColumnCount };

    explicit LiveAllocationModel(QObject *parent = nullptr);

    using QAbstractTableModel::setData;
    // Times are shown in ms since `originNs`; ages are taken at `peakNs`.
    void setData(const std::vector<LiveAllocation> &allocations, int64_t originNs, int64_t peakNs);
    void clear() { setData(std::vector<LiveAllocation>(), 0, 0); }

private:
    QVariant display(const LiveAllocation &a, int column) const override;
    QVariant sortKey(const LiveAllocation &a, int column) const override;
    bool isText(int) const override { return false; } // the address is a number too
    QVariant toolTip(const LiveAllocation &a, int column) const override;
    QVariant other(const LiveAllocation &a, int column, int role) const override;

    int64_t m_originNs = 0, m_peakNs = 0;
};

class MemoryView : public QWidget {
    Q_OBJECT
public:
    explicit MemoryView(QWidget *parent = nullptr);

    void setTrace(std::shared_ptr<const TraceFile> trace); // nullptr clears
    void clear();

    const MemoryTimeline &timeline() const { return m_timeline; }
    QStringList devices() const;
    QString currentDevice() const;                // "" when there are no memory events
    void setCurrentDevice(const QString &device); // ignored when not in the trace

    // For tests and the screenshot tool.
    QCustomPlot *plot() const { return m_plot; }
    QCPGraph *allocatedGraph() const { return m_allocated; }
    QCPGraph *reservedGraph() const { return m_reserved; }
    QCPItemTracer *peakMarker() const { return m_peakMarker; }
    QCPItemText *peakLabel() const { return m_peakLabel; }
    LiveAllocationModel *allocationModel() const { return m_allocations; }
    QSortFilterProxyModel *allocationProxy() const { return m_allocationProxy; }
    QString titleText() const;
    QString peakText() const;    // "Peak 1.50 MiB at 12.345 ms; …"
    QString summaryText() const; // final bytes, allocation and free counts, unmatched frees
    QString unitName() const { return m_unitName; } // the y axis' unit: "B", "KiB", "MiB", "GiB"

private:
    void showDevice(const DeviceMemory *device);

    MemoryTimeline m_timeline;
    bool m_hasTrace = false;
    int64_t m_originNs = 0; // the trace's first instant: times read as on the timeline
    int64_t m_endNs = 0;    // its last
    std::string m_deviceNote;
    QString m_unitName = "B";

    QLabel *m_title;
    QComboBox *m_deviceCombo;
    QLabel *m_peak;
    QLabel *m_summary;
    QCustomPlot *m_plot;
    QCPGraph *m_allocated;
    QCPGraph *m_reserved;
    QCPItemTracer *m_peakMarker;
    QCPItemText *m_peakLabel;
    LiveAllocationModel *m_allocations;
    QSortFilterProxyModel *m_allocationProxy;
    QTableView *m_table;
};

} // namespace trainscope
