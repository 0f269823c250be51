// The HParams tab on logdirs laid out as PyTorch's add_hparams (a session per timestamped
// subfolder, metrics beside it) and Keras' callback (metrics in train/ and validation/ below
// the session) lay them out: sessions, typed columns, sort, filter, columns, selection, and
// the parallel coordinates and scatter matrix over the same sessions.
#include "core/events/eventwriter.h"
#include "core/events/logdirindex.h"
#include "widgets/hparams/hparamstablemodel.h"
#include "widgets/hparams/hparamsview.h"
#include "widgets/hparams/scattermatrix.h"
#include "widgets/tune/parallelcoordinates.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace trainscope;

class TestHParamsView : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<LogdirIndex> m_index;
    QMap<QString, QColor> m_all;

private slots:
    void initTestCase() {
        const std::string root = m_dir.path().toStdString();
        const int batches[] = {9, 10, 100};
        for (int i = 0; i < 12; ++i) { // PyTorch: SummaryWriter.add_hparams
            EventWriter w(root + "/pt/17000000" + std::to_string(10 + i) + ".5", {60, "t"});
            w.addHParamsSessionStart({{"lr", std::pow(10.0, -1 - i % 4)},
                                      {"batch", double(batches[i % 3])},
                                      {"opt", std::string(i % 2 ? "adam" : "sgd")},
                                      {"bn", i % 2 == 0}});
            w.addScalar("hparam/accuracy", 0, 0.5 + i * 0.01);
            w.addHParamsSessionEnd(1);
        }
        { // Keras: the session in run-0, its metrics in run-0/train and run-0/validation
            EventWriter s(root + "/keras/run-0", {60, "t"});
            s.addHParamsSessionStart({{"lr", 0.001}, {"units", 64.0}});
            EventWriter v(root + "/keras/run-0/validation", {60, "t"});
            v.addScalar("epoch_accuracy", 0, 0.6);
            v.addScalar("epoch_accuracy", 1, 0.8); // the last step is the metric
            EventWriter t(root + "/keras/run-0/train", {60, "t"});
            t.addScalar("epoch_loss", 0, 0.9);
            t.addScalar("epoch_loss", 1, 0.4);
        }
        m_index = std::make_unique<LogdirIndex>(root);
        m_index->refresh();
        for (const auto &[name, run] : m_index->runs())
            m_all.insert(QString::fromStdString(name), Qt::blue);
    }

    void sessionsAndTheirMetrics() {
        const HParamSessions s = hparamSessions(m_index->runs());
        QCOMPARE(s.sessions.size(), size_t(13));
        QCOMPARE(s.hparams, (std::vector<std::string>{"batch", "bn", "lr", "opt", "units"}));
        QCOMPARE(s.metrics, (std::vector<std::string>{"hparam/accuracy", "train/epoch_loss",
                                                      "validation/epoch_accuracy"}));
        const HParamSession &keras = s.sessions.front();
        QCOMPARE(keras.run, std::string("keras/run-0"));
        QCOMPARE(keras.metrics.at("validation/epoch_accuracy"), 0.8f);
        QCOMPARE(keras.metrics.at("train/epoch_loss"), 0.4f);
        QCOMPARE(s.sessions.back().status, 1);
        QCOMPARE(std::get<double>(s.sessions.back().hparams.at("batch")), 100.0); // a number
        // Only the runs asked for.
        const HParamSessions one = hparamSessions(
            m_index->runs(), [](const std::string &run) { return run == "keras/run-0"; });
        QCOMPARE(one.sessions.size(), size_t(1));
    }

    void tableSortsNumbersAsNumbers() {
        HParamsView view;
        new QAbstractItemModelTester(view.model(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest, &view);
        view.setIndex(m_index.get());
        view.setVisibleRuns(m_all);
        HParamsTableModel *model = view.model();
        QCOMPARE(model->rowCount(), 13);
        QCOMPARE(model->columnCount(), 2 + 5 + 3);
        QCOMPARE(model->columnName(2), QString("batch"));
        QCOMPARE(model->columnKind(7), HParamsTableModel::Column::Metric);
        QSortFilterProxyModel *proxy = view.proxy();
        view.table()->sortByColumn(2, Qt::AscendingOrder); // batch: 9 < 10 < 100, not "10" < "9"
        QCOMPARE(proxy->index(0, 2).data().toString(), QString("9"));
        QCOMPARE(proxy->index(4, 2).data().toString(), QString("10"));
        QCOMPARE(proxy->index(11, 2).data().toString(), QString("100"));
        QVERIFY(!proxy->index(12, 2).data().isValid() ||
                proxy->index(12, 2).data().toString().isEmpty()); // keras has no batch
        view.table()->sortByColumn(4, Qt::DescendingOrder);       // lr
        QCOMPARE(proxy->index(0, 4).data(HParamsTableModel::SortRole).toDouble(), 0.1);
        QCOMPARE(proxy->index(0, 1).data().toString(), QString("SUCCESS"));

        view.setSessionFilter("adam");
        QCOMPARE(proxy->rowCount(), 6);
        view.setSessionFilter("");
        view.setColumnShown(3, false);
        QVERIFY(!view.isColumnShown(3));
        view.setTagFilter("validation");
        QVERIFY(view.isColumnShown(9) && !view.isColumnShown(7)); // metric columns only
        QVERIFY(view.isColumnShown(2));
        view.setTagFilter("");
        QVERIFY(view.isColumnShown(7) && !view.isColumnShown(3));
    }

    void selectingSessionsSaysWhichRuns() {
        HParamsView view;
        view.resize(1200, 800);
        view.setIndex(m_index.get());
        view.setVisibleRuns(m_all);
        QSignalSpy selected(&view, &HParamsView::runsSelected);
        view.selectRuns({"keras/run-0", "pt/1700000010.5"});
        QCOMPARE(selected.last().first().toStringList().size(), 2);
        QCOMPARE(view.selectedRuns().size(), 2);

        // Parallel coordinates: an axis per hparam and the metric last.
        view.setScoreMetric("hparam/accuracy");
        ParallelCoordinates *pc = view.parallelCoordinates();
        pc->resize(800, 300);
        QCOMPARE(pc->axisCount(), 6);
        const int ptRow = view.model()->rowOf("pt/1700000010.5");
        QVERIFY(pc->pointFor(ptRow + 1, 0)); // batch
        QCOMPARE(pc->axisName(0), QString("batch"));
        // batch is a number axis (9 < 10 < 100 upwards), not three categories.
        const int b9 = view.model()->rowOf("pt/1700000010.5"),
                  b10 = view.model()->rowOf("pt/1700000011.5"),
                  b100 = view.model()->rowOf("pt/1700000012.5");
        QVERIFY(pc->pointFor(b9 + 1, 0)->y() > pc->pointFor(b10 + 1, 0)->y());
        QVERIFY(pc->pointFor(b10 + 1, 0)->y() > pc->pointFor(b100 + 1, 0)->y());
        QVERIFY(!pc->pointFor(view.model()->rowOf("keras/run-0") + 1, 0)); // no accuracy there

        // The scatter matrix: a click on a dot selects its session.
        ScatterMatrix *scatter = view.scatterMatrix();
        scatter->resize(scatter->sizeHint());
        const auto dot = scatter->pointFor(ptRow, 2, 0); // lr against accuracy
        QVERIFY(dot);
        QCOMPARE(scatter->sessionAt(*dot), ptRow);
        QTest::mouseClick(scatter, Qt::LeftButton, {}, dot->toPoint());
        QCOMPARE(view.selectedRuns(), QStringList{"pt/1700000010.5"});
        QVERIFY(!scatter->grab().isNull());
    }
};

QTEST_MAIN(TestHParamsView)
#include "tst_hparamsview.moc"
