#include "core/profile/tracefile.h"
#include "widgets/format.h"
#include "widgets/profile/memoryview.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QSortFilterProxyModel>
#include <QtTest>
#include <qcustomplot.h>

using namespace trainscope;

namespace {

constexpr int64_t kMs = 1000000;
constexpr int64_t kMiB = 1024 * 1024;

MemoryEvent mem(int64_t tsNs, uint64_t address, int64_t bytes, const char *device = "cpu",
                int64_t totalAllocated = -1, int64_t totalReserved = -1) {
    MemoryEvent e;
    e.tsNs = tsNs;
    e.address = address;
    e.bytes = bytes;
    e.totalAllocated = totalAllocated;
    e.totalReserved = totalReserved;
    e.device = device;
    return e;
}

TraceEvent step(int64_t startNs, int64_t durationNs) {
    TraceEvent e;
    e.name = "ProfilerStep#0";
    e.category = "step";
    e.startNs = startNs;
    e.durationNs = durationNs;
    return e;
}

// A CPU-only run: the trace starts at 1 ms; the peak (3 MiB) is at 5 ms.
std::shared_ptr<TraceFile> cpuTrace() {
    auto t = std::make_shared<TraceFile>();
    t->events = {step(1 * kMs, 9 * kMs)};
    t->memory = {mem(2 * kMs, 0x1000, 4096),  mem(3 * kMs, 0x2000, kMiB),
                 mem(4 * kMs, 0x1000, -4096), mem(5 * kMs, 0x3000, 2 * kMiB),
                 mem(6 * kMs, 0x2000, -kMiB), mem(7 * kMs, 0x9999, -10)};
    t->deviceInfo.device = "cpu";
    t->deviceInfo.note = "no GPU: host and operator tracing only";
    return t;
}

} // namespace

class TestMemoryView : public QObject {
    Q_OBJECT
private slots:
    void bytesFormatting() {
        QCOMPARE(formatBytes(512), QString("512 B"));
        QCOMPARE(formatBytes(1536), QString("1.50 KiB"));
        QCOMPARE(formatBytes(3.0 * kMiB), QString("3.00 MiB"));
        QCOMPARE(formatBytes(1.25 * 1024 * kMiB), QString("1.25 GiB"));
        QCOMPARE(byteUnitFor(1023).first, QString("B"));
        QCOMPARE(byteUnitFor(2.0 * kMiB).second, double(kMiB));
    }

    void emptyStates() {
        MemoryView view;
        QAbstractItemModelTester tester(view.allocationModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(view.titleText(), QString("No trace loaded."));
        auto noMemory = std::make_shared<TraceFile>();
        noMemory->events = {step(0, kMs)};
        view.setTrace(noMemory);
        QVERIFY(view.titleText().startsWith("No memory events in this trace"));
        QVERIFY(view.devices().isEmpty());
        QCOMPARE(view.currentDevice(), QString());
        QCOMPARE(view.allocatedGraph()->dataCount(), 0);
        QVERIFY(!view.peakMarker()->visible());
        QVERIFY(view.peakText().isEmpty());
        QCOMPARE(view.allocationModel()->rowCount(), 0);
        QVERIFY(view.findChild<QComboBox *>("device")->isHidden());
    }

    void cpuOnlyTrace() {
        MemoryView view;
        view.resize(800, 600);
        QAbstractItemModelTester tester(view.allocationModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            view.allocationProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setTrace(cpuTrace());

        QCOMPARE(view.titleText(), QString("Host memory: the CPU allocator's figures (no GPU: "
                                           "host and operator tracing only)"));
        QCOMPARE(view.devices(), QStringList{"cpu"});
        QCOMPARE(view.currentDevice(), QString("cpu"));
        QVERIFY(view.findChild<QComboBox *>("device")->isHidden()); // one device: no selector

        QCOMPARE(view.unitName(), QString("MiB"));
        QCOMPARE(view.plot()->yAxis->label(), QString("allocated (MiB)"));
        const QCPGraph *allocated = view.allocatedGraph();
        QCOMPARE(allocated->lineStyle(), QCPGraph::lsStepLeft);
        QCOMPARE(allocated->dataCount(), 7);
        QCOMPARE(allocated->data()->at(0)->key, 1.0); // ms since the trace's first instant
        QCOMPARE(allocated->data()->at(0)->value, 4096.0 / kMiB);
        QCOMPARE(allocated->data()->at(3)->key, 4.0);
        QCOMPARE(allocated->data()->at(3)->value, 3.0);
        QCOMPARE(allocated->data()->at(5)->value, 2.0); // the unmatched free changes nothing
        QCOMPARE(allocated->data()->at(6)->key, 9.0);   // the last value holds to the trace's end
        QCOMPARE(allocated->data()->at(6)->value, 2.0);
        QCOMPARE(view.reservedGraph()->dataCount(), 0);
        QCOMPARE(view.plot()->legend->itemCount(), 1); // no "reserved" entry without data

        QVERIFY(view.peakMarker()->visible());
        QCOMPARE(view.peakMarker()->position->coords(), QPointF(4.0, 3.0));
        QCOMPARE(view.peakLabel()->text(), QString("peak 3.00 MiB"));
        QCOMPARE(view.peakLabel()->position->parentAnchor(), view.peakMarker()->position);
        QVERIFY(view.plot()->yAxis->range().upper > 3.0); // the marker and label fit
        QVERIFY(view.plot()->xAxis->range().contains(1.0));
        QVERIFY(view.plot()->xAxis->range().contains(0.0));
        QVERIFY(view.plot()->xAxis->range().contains(9.0));
        // The legend sits in a row above the chart, where the peak's label never lands.
        view.plot()->replot();
        QCOMPARE(view.plot()->plotLayout()->element(0, 0), view.plot()->legend);
        QVERIFY(view.plot()->legend->outerRect().bottom() <=
                view.plot()->axisRect()->outerRect().top());
        QCOMPARE(view.plot()->axisRect()->insetLayout()->elementCount(), 0);
        QCOMPARE(view.peakText(), QString("Peak 3.00 MiB at 4.000 ms; 2 allocations made in the "
                                          "trace live at the peak, 3.00 MiB in all."));
        QCOMPARE(view.summaryText(),
                 QString("Final 2.00 MiB · 3 allocations · 2 frees · 1 unmatched free ignored "
                         "(memory allocated before the trace began)"));

        // The freed 4 KiB block is not live at the peak; the largest comes first.
        LiveAllocationModel *model = view.allocationModel();
        QCOMPARE(model->rowCount(), 2);
        QSortFilterProxyModel *proxy = view.allocationProxy();
        auto cell = [&](int row, int column) {
            return proxy->index(row, column).data().toString();
        };
        QCOMPARE(cell(0, LiveAllocationModel::AddressColumn), QString("0x3000"));
        QCOMPARE(cell(0, LiveAllocationModel::SizeColumn), QString("2.00 MiB"));
        QCOMPARE(cell(0, LiveAllocationModel::AllocatedAtColumn), QString("4.000"));
        QCOMPARE(cell(0, LiveAllocationModel::AgeColumn), QString("0.000"));
        QCOMPARE(cell(1, LiveAllocationModel::AddressColumn), QString("0x2000"));
        QCOMPARE(cell(1, LiveAllocationModel::AllocatedAtColumn), QString("2.000"));
        QCOMPARE(cell(1, LiveAllocationModel::AgeColumn), QString("2.000"));
        proxy->sort(LiveAllocationModel::AgeColumn, Qt::DescendingOrder); // numerically
        QCOMPARE(cell(0, LiveAllocationModel::AddressColumn), QString("0x2000"));
        QCOMPARE(model->headerData(LiveAllocationModel::AgeColumn, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 QString("Age at peak (ms)"));

        view.clear();
        QCOMPARE(view.titleText(), QString("No trace loaded."));
        QCOMPARE(model->rowCount(), 0);
        QCOMPARE(view.allocatedGraph()->dataCount(), 0);
    }

    void severalDevices() {
        auto t = cpuTrace();
        t->deviceInfo = {};
        t->deviceInfo.device = "cuda:0";
        // The caching allocator reports its totals; 1 GiB was in use before the trace began.
        const int64_t gib = 1024 * kMiB;
        t->memory.push_back(mem(3 * kMs, 0xa0, 512 * kMiB, "cuda:0", gib + 512 * kMiB, 2 * gib));
        t->memory.push_back(mem(8 * kMs, 0xb0, 256 * kMiB, "cuda:0", gib + 768 * kMiB, 2 * gib));
        t->memory.push_back(mem(9 * kMs, 0xa0, -512 * kMiB, "cuda:0", gib + 256 * kMiB, 2 * gib));
        MemoryView view;
        view.setTrace(t);
        QCOMPARE(view.devices(), (QStringList{"cpu", "cuda:0"}));
        QCOMPARE(view.currentDevice(), QString("cuda:0")); // the GPU first
        auto *combo = view.findChild<QComboBox *>("device");
        QVERIFY(!combo->isHidden());
        QCOMPARE(combo->count(), 2);
        QCOMPARE(view.titleText(), QString("Device memory on cuda:0: allocated and reserved by "
                                           "the caching allocator"));
        QCOMPARE(view.unitName(), QString("GiB"));
        QCOMPARE(view.plot()->yAxis->label(), QString("memory (GiB)"));
        QCOMPARE(view.allocatedGraph()->dataCount(), 4);
        QCOMPARE(view.allocatedGraph()->data()->at(1)->value, 1.75);
        const QCPGraph *reserved = view.reservedGraph();
        QCOMPARE(reserved->dataCount(), 4);
        QCOMPARE(reserved->data()->at(0)->value, 2.0);
        QCOMPARE(reserved->pen().style(), Qt::DashLine);
        QCOMPARE(view.plot()->legend->itemCount(), 2);
        QCOMPARE(view.peakMarker()->position->coords(), QPointF(7.0, 1.75));
        QCOMPARE(view.peakLabel()->text(), QString("peak 1.75 GiB"));
        QVERIFY(view.plot()->yAxis->range().upper > 2.0); // the reserved line fits too
        QCOMPARE(view.allocationModel()->rowCount(), 2);
        QCOMPARE(view.allocationModel()->at(0).bytes, 512 * kMiB);

        view.setCurrentDevice("cpu");
        QCOMPARE(combo->currentText(), QString("cpu"));
        QCOMPARE(view.titleText(), QString("Host memory: the CPU allocator's figures"));
        QCOMPARE(view.unitName(), QString("MiB"));
        QCOMPARE(view.allocatedGraph()->dataCount(), 7);
        QCOMPARE(view.reservedGraph()->dataCount(), 0);
        QCOMPARE(view.peakMarker()->position->coords(), QPointF(4.0, 3.0));
        view.setCurrentDevice("cuda:7"); // not in the trace: nothing changes
        QCOMPARE(view.currentDevice(), QString("cpu"));
        combo->setCurrentIndex(1);
        emit combo->activated(1); // as a user's pick
        QCOMPARE(view.peakLabel()->text(), QString("peak 1.75 GiB"));
    }
};

QTEST_MAIN(TestMemoryView)
#include "tst_memoryview.moc"
