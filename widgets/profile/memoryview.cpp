#include "widgets/profile/memoryview.h"

#include "widgets/profile/sectionparts.h"

#include "widgets/format.h"

#include "core/profile/tracefile.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

namespace trainscope {

namespace {

constexpr double kNsPerMs = 1e6; // the chart's x axis is in ms

const QColor kAllocatedColor("#1565c0");
const QColor kReservedColor("#8e8e8e");
const QColor kPeakColor("#c62828");

} // namespace

// LiveAllocationModel -----------------------------------------------------------------------

LiveAllocationModel::LiveAllocationModel(QObject *parent)
    : RowsModel({"Address", "Size", "Allocated at (ms)", "Age at peak (ms)"}, parent) {}

void LiveAllocationModel::setData(const std::vector<LiveAllocation> &allocations, int64_t originNs,
                                  int64_t peakNs) {
    m_originNs = originNs;
    m_peakNs = peakNs;
    resetRows(allocations);
}

QVariant LiveAllocationModel::display(const LiveAllocation &a, int column) const {
    switch (column) {
    case AddressColumn:
        return QString("0x%1").arg(qulonglong(a.address), 0, 16);
    case SizeColumn:
        return formatBytes(double(a.bytes));
    case AllocatedAtColumn:
        return formatMs(a.allocatedNs - m_originNs);
    case AgeColumn:
        return formatMs(m_peakNs - a.allocatedNs);
    }
    return {};
}

QVariant LiveAllocationModel::sortKey(const LiveAllocation &a, int column) const {
    switch (column) {
    case AddressColumn:
        return qulonglong(a.address);
    case SizeColumn:
        return qlonglong(a.bytes);
    case AllocatedAtColumn:
        return qlonglong(a.allocatedNs);
    case AgeColumn:
        return qlonglong(m_peakNs - a.allocatedNs);
    }
    return {};
}

QVariant LiveAllocationModel::toolTip(const LiveAllocation &a, int column) const {
    if (column == SizeColumn) return QString("%1 bytes").arg(a.bytes);
    return {};
}

QVariant LiveAllocationModel::other(const LiveAllocation &, int column, int role) const {
    if (role == Qt::FontRole && column == AddressColumn)
        return QFontDatabase::systemFont(QFontDatabase::FixedFont);
    return {};
}

// MemoryView --------------------------------------------------------------------------------

MemoryView::MemoryView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_deviceCombo(new QComboBox(this))
    , m_peak(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_plot(new QCustomPlot(this))
    , m_allocations(new LiveAllocationModel(this))
    , m_allocationProxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this)) {
    m_title->setObjectName("title");
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_deviceCombo->setObjectName("device");
    m_deviceCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_deviceCombo, &QComboBox::activated, this,
            [this](int index) { setCurrentDevice(m_deviceCombo->itemText(index)); });
    m_peak->setObjectName("peak");
    m_peak->setWordWrap(true);
    m_peak->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName("summary");
    m_summary->setWordWrap(true);
    m_summary->setStyleSheet("color: #616161;");

    m_plot->xAxis->setLabel("time (ms)");
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_allocated = m_plot->addGraph();
    m_allocated->setName("allocated");
    m_allocated->setLineStyle(QCPGraph::lsStepLeft); // the value holds until the next event
    m_allocated->setPen(QPen(kAllocatedColor, 1.5));
    QColor fill = kAllocatedColor;
    fill.setAlpha(40);
    m_allocated->setBrush(fill);
    m_reserved = m_plot->addGraph();
    m_reserved->setName("reserved");
    m_reserved->setLineStyle(QCPGraph::lsStepLeft);
    m_reserved->setPen(QPen(kReservedColor, 1.5, Qt::DashLine));
    // The legend in a row of its own above the chart: inside it, the peak's label (above the
    // highest point, often near the top right) landed on it.
    putLegendAbove(m_plot, 4);

    m_peakMarker = new QCPItemTracer(m_plot);
    m_peakMarker->setStyle(QCPItemTracer::tsCircle);
    m_peakMarker->setSize(9);
    m_peakMarker->setPen(QPen(kPeakColor, 2));
    m_peakMarker->setBrush(Qt::white);
    m_peakLabel = new QCPItemText(m_plot);
    m_peakLabel->setColor(kPeakColor);
    m_peakLabel->setBrush(QColor(255, 255, 255, 210)); // readable over the reserved line
    m_peakLabel->setPadding(QMargins(2, 0, 2, 0));
    m_peakLabel->setClipToAxisRect(false); // may reach into the margin above a tall peak
    m_peakLabel->position->setParentAnchor(m_peakMarker->position);
    m_peakLabel->position->setType(QCPItemPosition::ptAbsolute);
    m_peakLabel->position->setCoords(0, -8); // pixels above the marker
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this,
            [this] { showDevice(m_timeline.find(currentDevice().toStdString())); });

    m_allocationProxy->setSourceModel(m_allocations);
    m_allocationProxy->setSortRole(LiveAllocationModel::SortRole);
    m_table->setObjectName("allocations");
    m_table->setModel(m_allocationProxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(LiveAllocationModel::SizeColumn, Qt::DescendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_deviceCombo);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_plot);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({3, 2}); // proportions: the chart gets the larger share from the start
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_peak);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    m_plot->setMinimumHeight(180);
    clear();
}

void MemoryView::setTrace(std::shared_ptr<const TraceFile> trace) {
    if (!trace) {
        clear();
        return;
    }
    m_timeline = buildMemoryTimeline(trace->memory);
    m_hasTrace = true;
    m_deviceNote = trace->deviceInfo.note;
    // Times count from the trace's first instant, as the timeline view shows them.
    m_originNs = m_timeline.firstNs;
    m_endNs = m_timeline.lastNs;
    for (const TraceEvent &e : trace->events) {
        m_originNs = std::min(m_originNs, e.startNs);
        m_endNs = std::max(m_endNs, e.endNs());
    }

    m_deviceCombo->clear();
    for (const DeviceMemory &d : m_timeline.devices)
        m_deviceCombo->addItem(QString::fromStdString(d.device));
    m_deviceCombo->setVisible(m_timeline.devices.size() > 1);
    // A GPU's memory is what usually runs out: show it first when there is one.
    const DeviceMemory *first = nullptr;
    for (const DeviceMemory &d : m_timeline.devices)
        if (!first || (first->device == "cpu" && d.device != "cpu")) first = &d;
    if (first) m_deviceCombo->setCurrentText(QString::fromStdString(first->device));
    showDevice(first);
}

void MemoryView::clear() {
    m_timeline = {};
    m_hasTrace = false;
    m_deviceNote.clear();
    m_originNs = m_endNs = 0;
    m_deviceCombo->clear();
    m_deviceCombo->hide();
    showDevice(nullptr);
}

QStringList MemoryView::devices() const {
    QStringList out;
    for (const DeviceMemory &d : m_timeline.devices)
        out << QString::fromStdString(d.device);
    return out;
}

QString MemoryView::currentDevice() const {
    return m_timeline.empty() ? QString() : m_deviceCombo->currentText();
}

void MemoryView::setCurrentDevice(const QString &device) {
    const DeviceMemory *d = m_timeline.find(device.toStdString());
    if (!d) return;
    m_deviceCombo->setCurrentText(device);
    showDevice(d);
}

QString MemoryView::titleText() const {
    return m_title->text();
}

QString MemoryView::peakText() const {
    return m_peak->text();
}

QString MemoryView::summaryText() const {
    return m_summary->text();
}

void MemoryView::showDevice(const DeviceMemory *device) {
    QVector<QCPGraphData> allocated, reserved;
    double top = 0;
    if (device) {
        top = double(std::max<int64_t>(device->summary.peakBytes, 0));
        for (const MemoryPoint &p : device->reserved)
            top = std::max(top, double(p.bytes));
    }
    const auto [unit, unitBytes] = byteUnitFor(top);
    m_unitName = unit;
    const double endX = double(m_endNs - m_originNs) / kNsPerMs;
    auto toPlot = [&](const std::vector<MemoryPoint> &points, QVector<QCPGraphData> &out) {
        out.reserve(int(points.size()) + 1);
        for (const MemoryPoint &p : points)
            out.append({double(p.tsNs - m_originNs) / kNsPerMs, double(p.bytes) / unitBytes});
        // The last value holds until the trace ends.
        if (!out.isEmpty() && out.constLast().key < endX) out.append({endX, out.constLast().value});
    };
    if (device) {
        toPlot(device->allocated, allocated);
        toPlot(device->reserved, reserved);
    }
    m_allocated->data()->set(allocated, true);
    m_reserved->data()->set(reserved, true);
    if (reserved.isEmpty())
        m_reserved->removeFromLegend();
    else
        m_reserved->addToLegend();
    m_plot->yAxis->setLabel(
        QString("%1 (%2)").arg(reserved.isEmpty() ? "allocated" : "memory", unit));

    if (!device) {
        m_title->setText(m_hasTrace ? QString("No memory events in this trace: memory profiling "
                                              "was off, or the allocator reported nothing.")
                                    : QString("No trace loaded."));
        m_peak->clear();
        m_summary->clear();
        m_peakMarker->setVisible(false);
        m_peakLabel->setVisible(false);
        m_allocations->clear();
        m_plot->xAxis->setRange(0, 1);
        m_plot->yAxis->setRange(0, 1);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }

    const QString name = QString::fromStdString(device->device);
    const bool cpuOnly = std::all_of(m_timeline.devices.begin(), m_timeline.devices.end(),
                                     [](const DeviceMemory &d) { return d.device == "cpu"; });
    if (device->device == "cpu") {
        // Without a GPU these are all the figures there are: say whose they are.
        QString title = "Host memory: the CPU allocator's figures";
        if (cpuOnly)
            title += m_deviceNote.empty()
                         ? QString(" (no GPU memory in this trace)")
                         : QString(" (%1)").arg(QString::fromStdString(m_deviceNote));
        m_title->setText(title);
    } else {
        m_title->setText(QString("Device memory on %1%2")
                             .arg(name, device->reserved.empty()
                                            ? QString()
                                            : QString(": allocated and reserved by the caching "
                                                      "allocator")));
    }

    const DeviceMemorySummary &s = device->summary;
    QString peak = QString("Peak %1 at %2 ms; %3 allocation%4 made in the trace live at the peak, "
                           "%5 in all")
                       .arg(formatBytes(double(s.peakBytes)), formatMs(s.peakNs - m_originNs))
                       .arg(device->liveCountAtPeak)
                       .arg(device->liveCountAtPeak == 1 ? "" : "s")
                       .arg(formatBytes(double(device->liveBytesAtPeak)));
    if (device->liveAtPeak.size() < device->liveCountAtPeak)
        peak += QString(", the %1 largest listed").arg(device->liveAtPeak.size());
    m_peak->setText(peak + '.');
    QString summary = QString("Final %1 · %2 allocation%3 · %4 free%5")
                          .arg(formatBytes(double(s.finalBytes)))
                          .arg(s.allocs)
                          .arg(s.allocs == 1 ? "" : "s")
                          .arg(s.frees)
                          .arg(s.frees == 1 ? "" : "s");
    if (s.unmatchedFrees)
        summary += QString(" · %1 unmatched free%2 ignored (memory allocated before the trace "
                           "began)")
                       .arg(s.unmatchedFrees)
                       .arg(s.unmatchedFrees == 1 ? "" : "s");
    m_summary->setText(summary);

    const double peakX = double(s.peakNs - m_originNs) / kNsPerMs;
    const double peakY = double(s.peakBytes) / unitBytes;
    // The whole trace, from its first instant: every device on the same axis.
    double lastX = endX;
    double firstX = 0;
    if (lastX <= firstX) { // one instant: give it some room
        firstX -= 1;
        lastX += 1;
    }
    const double pad = (lastX - firstX) * 0.02;
    m_plot->xAxis->setRange(firstX - pad, lastX + pad);
    m_plot->yAxis->setRange(0, top > 0 ? top / unitBytes * 1.2 : 1);
    m_peakMarker->position->setCoords(peakX, peakY);
    m_peakMarker->setVisible(true);
    m_peakLabel->setText(QString("peak %1").arg(formatBytes(double(s.peakBytes))));
    // Near an edge the label grows inward so it is never cut off.
    const double at = (peakX - firstX) / (lastX - firstX);
    const Qt::Alignment horizontal =
        at > 0.85 ? Qt::AlignRight : (at < 0.15 ? Qt::AlignLeft : Qt::AlignHCenter);
    m_peakLabel->setPositionAlignment(Qt::AlignBottom | horizontal);
    m_peakLabel->setVisible(true);
    m_allocations->setData(device->liveAtPeak, m_originNs, s.peakNs);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace trainscope
