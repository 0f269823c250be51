#include "core/profile/gpucollector.h"

#include <QtTest>

using namespace trainscope;

class TestGpuCollectorStub : public QObject {
    Q_OBJECT

private slots:
    void saysItWasBuiltWithoutCupti() {
        std::unique_ptr<GpuCollector> collector = GpuCollector::create();
        QVERIFY(collector);
        QVERIFY(!collector->start([] { return int64_t(42); }));
        QCOMPARE(collector->note(), std::string("no GPU collector: built without CUPTI"));
        const DeviceTraceInfo info = collector->info();
        QCOMPARE(info.device, std::string("cpu"));
        QCOMPARE(info.note, collector->note());
        QCOMPARE(info.records, uint64_t(0));
        collector->pushExternalId(7);
        collector->popExternalId();
        const GpuTrace trace = collector->take();
        QVERIFY(trace.events.empty() && trace.flows.empty() && trace.memory.empty());
        collector->stop();
    }
};

QTEST_GUILESS_MAIN(TestGpuCollectorStub)
#include "tst_gpucollectorstub.moc"
