#include "widgets/format.h"
#include "widgets/profile/kernelstatsmodel.h"
#include "widgets/profile/opstatsmodel.h"
#include "widgets/profile/statstable.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace trainscope;

namespace {

using Args = std::vector<std::pair<std::string, std::string>>;

TraceEvent kernel(const char *name, double durationUs, Args args) {
    TraceEvent e;
    e.name = name;
    e.category = "kernel";
    e.durationNs = int64_t(durationUs * 1e3);
    e.pid = kGpuPidBase;
    e.args = std::move(args);
    return e;
}

Args launch(const char *grid, const char *block, const char *registers, const char *shared) {
    return {{"grid", grid},
            {"block", block},
            {"registers per thread", registers},
            {"shared memory", shared}};
}

// Calls 100, 9 and 10, so a text sort would put "10" and "100" before "9".
std::vector<KernelStats> kernels() {
    std::vector<TraceEvent> events;
    for (int i = 0; i < 100; ++i)
        events.push_back(kernel("void gemm<float, 128>(float*, int)", 2,
                                launch("[128, 1, 1]", "[256, 1, 1]", "64", "16384")));
    for (int i = 0; i < 9; ++i)
        events.push_back(
            kernel("Relu \"fused\"", 30, launch("[64, 1, 1]", "[512, 1, 1]", "16", "0")));
    for (int i = 0; i < 10; ++i)
        events.push_back(
            kernel("softmax_kernel", 1 + i % 2,
                   launch(i % 2 ? "[8, 1, 1]" : "[16, 1, 1]", "[1024, 1, 1]", "32", "4096")));
    return kernelStats(events);
}

QString readAll(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(file.readAll());
}

} // namespace

class TestStatsTable : public QObject {
    Q_OBJECT
private slots:
    void kernelModelValues() {
        KernelStatsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setData(kernels());
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(KernelStatsModel::ColumnCount));
        auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
            return model.index(row, column).data(role);
        };
        // Largest total first: relu 270 µs, gemm 200 µs, softmax 15 µs (of 485 µs).
        QCOMPARE(cell(0, KernelStatsModel::NameColumn).toString(), QString("Relu \"fused\""));
        QCOMPARE(cell(0, KernelStatsModel::TotalColumn).toString(), QString("270.0"));
        QCOMPARE(cell(0, KernelStatsModel::MeanColumn).toString(), QString("30.00"));
        QCOMPARE(cell(0, KernelStatsModel::ShareColumn).toString(), QString("55.7"));
        QCOMPARE(cell(0, KernelStatsModel::ShareColumn, KernelStatsModel::SortRole).toDouble(),
                 270.0 / 485);
        QCOMPARE(cell(1, KernelStatsModel::CallsColumn).toString(), QString("100"));
        QCOMPARE(cell(1, KernelStatsModel::GridColumn).toString(), QString("[128, 1, 1]"));
        QCOMPARE(cell(1, KernelStatsModel::BlockColumn).toString(), QString("[256, 1, 1]"));
        QCOMPARE(cell(1, KernelStatsModel::BlockColumn, KernelStatsModel::SortRole).toDouble(),
                 256.0);
        QCOMPARE(cell(1, KernelStatsModel::RegistersColumn).toString(), QString("64"));
        QCOMPARE(cell(1, KernelStatsModel::SharedMemoryColumn).toString(), QString("16384"));
        QCOMPARE(cell(2, KernelStatsModel::MinColumn).toString(), QString("1.00"));
        QCOMPARE(cell(2, KernelStatsModel::MaxColumn).toString(), QString("2.00"));
        QCOMPARE(cell(2, KernelStatsModel::GridColumn).toString(), QString("varies"));
        QCOMPARE(cell(2, KernelStatsModel::GridColumn, KernelStatsModel::SortRole).toDouble(),
                 -1.0);
        QVERIFY(cell(2, KernelStatsModel::GridColumn, Qt::ToolTipRole).toString().contains("2 "));
        QCOMPARE(model.headerData(KernelStatsModel::TotalColumn, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 QString("Total (µs)"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void operatorModelShares() {
        OpStatsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setData({{"aten::conv2d", 10, 5100, 410, 620, 100},
                       {"aten::convolution", 10, 5000, 400, 600, 4900}}); // nested: self shares
        QCOMPARE(model.columnCount(), 8);
        QCOMPARE(
            model.headerData(OpStatsModel::ShareColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
            QString("Share (%)"));
        QCOMPARE(model.index(0, OpStatsModel::ShareColumn).data().toString(), QString("2.0"));
        QCOMPARE(model.index(1, OpStatsModel::ShareColumn).data().toString(), QString("98.0"));
        QCOMPARE(model.index(1, OpStatsModel::ShareColumn).data(OpStatsModel::SortRole).toDouble(),
                 0.98);
        QCOMPARE(model.shareAt(0), 0.02);
        QCOMPARE(model.index(0, OpStatsModel::MinColumn).data().toString(), QString("410.0"));
        QCOMPARE(model.index(0, OpStatsModel::MaxColumn).data().toString(), QString("620.0"));
    }

    void filterAndNumericSort() {
        KernelStatsModel model;
        model.setData(kernels());
        StatsTable table;
        table.setSourceModel(&model, KernelStatsModel::NameColumn, KernelStatsModel::SortRole);
        QSortFilterProxyModel *proxy = table.proxy();
        QAbstractItemModelTester tester(proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(table.sourceModel(), &model);
        QCOMPARE(table.view()->model(), proxy);
        auto name = [&](int row) {
            return proxy->index(row, KernelStatsModel::NameColumn).data().toString();
        };

        table.sortByColumn(KernelStatsModel::CallsColumn, Qt::AscendingOrder);
        QCOMPARE(proxy->index(0, KernelStatsModel::CallsColumn).data().toString(), QString("9"));
        QCOMPARE(proxy->index(1, KernelStatsModel::CallsColumn).data().toString(), QString("10"));
        QCOMPARE(proxy->index(2, KernelStatsModel::CallsColumn).data().toString(), QString("100"));
        table.sortByColumn(KernelStatsModel::TotalColumn, Qt::DescendingOrder);
        QCOMPARE(name(0), QString("Relu \"fused\""));
        QCOMPARE(name(2), QString("softmax_kernel"));

        table.filterEdit()->setText("GEMM"); // as typed: case-insensitive substring
        QCOMPARE(proxy->rowCount(), 1);
        QCOMPARE(name(0), QString("void gemm<float, 128>(float*, int)"));
        table.setFilterText("e");
        QCOMPARE(table.filterEdit()->text(), QString("e"));
        QCOMPARE(proxy->rowCount(), 3);
        table.setFilterText("kernel");
        QCOMPARE(proxy->rowCount(), 1);
        table.setFilterText("[128"); // only the name column is searched
        QCOMPARE(proxy->rowCount(), 0);
        table.setFilterText({});
        QCOMPARE(proxy->rowCount(), 3);
    }

    void csvExport() {
        QCOMPARE(csvField("plain"), QString("plain"));
        QCOMPARE(csvField("a,b"), QString("\"a,b\""));
        QCOMPARE(csvField("say \"hi\""), QString("\"say \"\"hi\"\"\""));
        QCOMPARE(csvField("two\nlines"), QString("\"two\nlines\""));

        KernelStatsModel model;
        model.setData(kernels());
        StatsTable table;
        table.setSourceModel(&model, KernelStatsModel::NameColumn, KernelStatsModel::SortRole);
        table.sortByColumn(KernelStatsModel::CallsColumn, Qt::DescendingOrder);
        table.setFilterText("e"); // all three
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("kernels.csv");
        QString error;
        QVERIFY2(table.exportCsv(path, &error), qPrintable(error));
        QVERIFY(error.isEmpty());
        const QStringList lines = readAll(path).split('\n');
        QCOMPARE(lines.size(), 5); // header, three rows, and the final newline
        QCOMPARE(lines[0], QString("Kernel,Calls,Total (µs),Mean (µs),Min (µs),Max (µs),"
                                   "Share (%),Grid,Block,Registers,Shared mem (bytes)"));
        QCOMPARE(lines[1], QString("\"void gemm<float, 128>(float*, int)\",100,200.0,2.00,2.00,"
                                   "2.00,41.2,\"[128, 1, 1]\",\"[256, 1, 1]\",64,16384"));
        QCOMPARE(lines[2], QString("softmax_kernel,10,15.0,1.50,1.00,2.00,3.1,varies,"
                                   "\"[1024, 1, 1]\",32,4096"));
        QCOMPARE(lines[3], QString("\"Relu \"\"fused\"\"\",9,270.0,30.00,30.00,30.00,55.7,"
                                   "\"[64, 1, 1]\",\"[512, 1, 1]\",16,0"));
        QCOMPARE(lines[4], QString());

        // Only the visible rows, and the old file is replaced whole with nothing left beside.
        table.setFilterText("relu");
        QVERIFY(table.exportCsv(path, &error));
        QCOMPARE(readAll(path).count('\n'), 2);
        QVERIFY(readAll(path).contains("Relu"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"kernels.csv"});
    }

    void exportToUnwritablePath() {
        KernelStatsModel model;
        model.setData(kernels());
        StatsTable table;
        table.setSourceModel(&model);
        QTemporaryDir dir;
        // A path under a regular file cannot be created, whoever runs the test (root too).
        const QString blocker = dir.filePath("not-a-dir");
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const QString path = blocker + "/kernels.csv";
        QString error;
        QVERIFY(!table.exportCsv(path, &error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY(error.startsWith("Cannot write"));
        QVERIFY(!QFile::exists(path));
        QVERIFY(!writeCsv(&model, path)); // no error out-parameter: still just false
    }
};

QTEST_MAIN(TestStatsTable)
#include "tst_statstable.moc"
