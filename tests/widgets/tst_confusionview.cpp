#include "widgets/confusion/confusionheatmap.h"
#include "widgets/confusion/confusionview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QSlider>
#include <QtTest>

using namespace trainscope;

namespace {

ConfusionMatrix matrix(int job, int epoch, std::vector<int64_t> counts) {
    ConfusionMatrix m;
    m.jobId = job;
    m.epoch = epoch;
    m.classNames = {"T-shirt/top", "Trouser", "Ankle boot"};
    m.counts = std::move(counts);
    return m;
}

// Rows: 10 T-shirts (8 right), 10 trousers (6 right), no ankle boots.
const std::vector<int64_t> kCounts = {8, 1, 1, 2, 6, 2, 0, 0, 0};

} // namespace

class TestConfusionView : public QObject {
    Q_OBJECT
private slots:
    void normalisation() {
        const ConfusionMatrix m = matrix(1, 1, kCounts);
        QCOMPARE(rowNormalized(m, 0, 0), 0.8);
        QCOMPARE(rowNormalized(m, 0, 2), 0.1);
        QCOMPARE(rowNormalized(m, 1, 1), 0.6);
        QCOMPARE(rowNormalized(m, 1, 2), 0.2);
        QCOMPARE(rowNormalized(m, 2, 2), 0.0); // a class never seen: no division by zero
        QCOMPARE(diagonalAccuracy(m), 0.7);
        QCOMPARE(diagonalAccuracy(matrix(1, 1, std::vector<int64_t>(9, 0))), 0.0);

        ConfusionView view;
        view.addMatrix(m);
        ConfusionHeatmap *map = view.heatmap();
        QVERIFY(!view.normalized());
        QCOMPARE(map->value(1, 0), 2.0);
        QCOMPARE(map->cellText(0, 0), QString("8"));
        view.findChild<QCheckBox *>("normalize")->setChecked(true);
        QVERIFY(view.normalized());
        QCOMPARE(map->value(1, 0), 0.2);
        QCOMPARE(map->cellText(0, 0), QString("80%"));
        QCOMPARE(map->cellText(1, 2), QString("20%"));
        QCOMPARE(view.accuracy(), 0.7);
        QCOMPARE(view.accuracyText(), QString("accuracy 70.0% (14 of 20)"));
        view.setNormalized(false);
        QCOMPARE(map->cellText(1, 1), QString("6"));
    }

    void epochSliderFollowsTheNewest() {
        ConfusionView view;
        auto *slider = view.findChild<QSlider *>("epochSlider");
        QVERIFY(!view.currentMatrix());
        QCOMPARE(view.epochText(), QString("no epochs yet"));
        for (int epoch = 1; epoch <= 3; ++epoch)
            view.addMatrix(matrix(1, epoch, {epoch, 1, 0, 0, epoch, 1, 0, 0, 0}));
        QCOMPARE(view.matrixCount(), 3);
        QCOMPARE(slider->maximum(), 2);
        QCOMPARE(view.matrixIndex(), 2);
        QCOMPARE(view.currentMatrix()->epoch, 3);
        QCOMPARE(view.epochText(), QString("epoch 3 (3/3)"));
        QCOMPARE(view.accuracy(), 6.0 / 8.0);

        view.setMatrixIndex(0); // looking back: stays there as epochs arrive
        QCOMPARE(view.currentMatrix()->epoch, 1);
        QCOMPARE(view.accuracy(), 2.0 / 4.0);
        QCOMPARE(view.heatmap()->value(0, 0), 1.0);
        view.addMatrix(matrix(1, 4, {4, 0, 0, 0, 4, 0, 0, 0, 0}));
        QCOMPARE(view.matrixCount(), 4);
        QCOMPARE(view.currentMatrix()->epoch, 1);
        QCOMPARE(view.epochText(), QString("epoch 1 (1/4)"));

        slider->setValue(3); // back on the newest: follows again
        QCOMPARE(view.accuracy(), 1.0);
        view.addMatrix(matrix(1, 5, {5, 0, 0, 0, 4, 1, 0, 0, 0}));
        QCOMPARE(view.currentMatrix()->epoch, 5);
        QCOMPARE(view.matrixIndex(), 4);
        view.addMatrix(matrix(1, 5, {5, 0, 0, 0, 5, 0, 0, 0, 0})); // an epoch sent again
        QCOMPARE(view.matrixCount(), 5);
        QCOMPARE(view.heatmap()->value(1, 1), 5.0);

        ConfusionMatrix bad = matrix(1, 6, {1, 2, 3});
        view.addMatrix(bad); // malformed: ignored
        QCOMPARE(view.matrixCount(), 5);
    }

    void matricesPerJob() {
        ConfusionView view;
        view.addJob(3, "mlp");
        view.addMatrix(matrix(3, 1, kCounts));
        view.addMatrix(matrix(4, 1, {1, 0, 0, 0, 1, 0, 0, 0, 1}));
        view.addMatrix(matrix(4, 2, {1, 0, 0, 0, 1, 0, 0, 0, 1}));
        auto *combo = view.findChild<QComboBox *>("job");
        QCOMPARE(combo->count(), 2);
        QCOMPARE(combo->itemText(0), QString("mlp"));
        QCOMPARE(view.currentJob(), 3);
        QCOMPARE(view.matrixCount(), 1);
        view.setJob(4);
        QCOMPARE(combo->currentIndex(), 1);
        QCOMPARE(view.matrixCount(), 2);
        QCOMPARE(view.currentMatrix()->epoch, 2);
        QCOMPARE(view.accuracy(), 1.0);
        view.clear();
        QCOMPARE(view.currentJob(), -1);
        QVERIFY(!view.currentMatrix());
    }

    void paintsCellsAndNamesThem() {
        ConfusionView view;
        view.resize(640, 520);
        view.addMatrix(matrix(1, 1, kCounts));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        ConfusionHeatmap *map = view.heatmap();
        const QRect dark = map->cellRect(0, 0), empty = map->cellRect(2, 0);
        QVERIFY(dark.width() >= 30);
        QCOMPARE(map->toolTipAt(map->cellRect(1, 2).center()),
                 QString("true Trouser, predicted Ankle boot: 2 (20.0% of Trouser)"));
        QVERIFY(map->toolTipAt(QPoint(1, 1)).isEmpty());
        const QImage image = map->grab().toImage();
        // The largest count is dark blue, an empty cell near white (away from written digits).
        const QColor high = image.pixelColor(dark.topLeft() + QPoint(4, 4));
        const QColor none = image.pixelColor(empty.topLeft() + QPoint(4, 4));
        QVERIFY2(high.blue() > high.red() + 60 && high.lightness() < 100, qPrintable(high.name()));
        QVERIFY2(none.lightness() > 230, qPrintable(none.name()));
    }
};

QTEST_MAIN(TestConfusionView)
#include "tst_confusionview.moc"
