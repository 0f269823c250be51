#include "widgets/runs/runlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QtTest>

using namespace trainscope;

class TestRunListModel : public QObject {
    Q_OBJECT
private slots:
    void runsKeepColourAndStateAsTheLogdirGrows() {
        RunListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addRuns({"b", "a"});
        QCOMPARE(model.runs(), QStringList({"a", "b"}));
        const QColor b = model.color("b");
        QVERIFY(b.isValid());
        QVERIFY(model.color("a") != b);
        QSignalSpy spy(&model, &RunListModel::selectionChanged);
        QVERIFY(model.setData(model.index(1), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(spy.count(), 1);
        model.addRuns({"a", "c", "aa"});
        QCOMPARE(model.runs(), QStringList({"a", "aa", "b", "c"}));
        QCOMPARE(model.color("b"), b);
        QCOMPARE(model.checkedRuns(), QStringList({"a", "aa", "c"}));
        QCOMPARE(model.index(2).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QCOMPARE(model.index(0).data(RunListModel::ColorRole).value<QColor>(), model.color("a"));
        model.setAllChecked(true);
        QCOMPARE(model.checkedRuns().size(), 4);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
    void filterByRegex() {
        RunListModel model;
        model.addRuns({"mnist/lr_0.1", "mnist/lr_0.01", "cifar/base"});
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setFilterRegularExpression("^mnist");
        QCOMPARE(proxy.rowCount(), 2);
    }
    // Colours come from the name: the same whenever the run is shown, spread over every hue
    // and band at any run count, and none dark enough to read as black.
    void coloursAreStableSpreadAndNeverBlack() {
        QCOMPARE(runColor("sweep/trial-0001"), runColor(QString("sweep/") + "trial-0001"));
        QVERIFY(runColor("a") != runColor("b"));
        QSet<QRgb> seen;
        int darkest = 255;
        for (int i = 0; i < 10000; ++i) {
            const QColor c = runColor(QString("run-%1").arg(i));
            seen.insert(c.rgb());
            darkest = std::min(darkest, c.lightness());
        }
        QCOMPARE(seen.size(), kRunHues * kRunLightnessBands); // every colour is used
        QVERIFY2(darkest >= 90, qPrintable(QString::number(darkest)));
    }
};

QTEST_MAIN(TestRunListModel)
#include "tst_runlistmodel.moc"
