// The Histograms, Distributions, Images and Text tabs on a logdir written to disk: what each
// card shows, hover, the tag filter, and what the pixels say.
#include "core/events/logdirindex.h"
#include "tests/support/dashboardlogdir.h"
#include "widgets/confusion/confusionview.h"
#include "widgets/dashboard/tagcard.h"
#include "widgets/histograms/distributionchart.h"
#include "widgets/histograms/histogramsview.h"
#include "widgets/images/imagesview.h"
#include "widgets/text/textview.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTextFrame>
#include <QTextTable>
#include <QtTest>

using namespace trainscope;

namespace {

const QColor kRed(220, 50, 32), kBlue(30, 100, 200);

} // namespace

class TestDashboards : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<LogdirIndex> m_index;
    QMap<QString, QColor> m_runs{{"alpha", kRed}, {"beta", kBlue}};

private slots:
    void initTestCase() {
        dashtest::writeLogdir(m_dir.path().toStdString(), {"alpha", "beta"});
        m_index = std::make_unique<LogdirIndex>(m_dir.path().toStdString());
        m_index->refresh();
        QCOMPARE(m_index->runs().size(), size_t(2));
    }

    void histogramsShowEveryStepAsARidge() {
        HistogramsView view;
        view.resize(1200, 800);
        view.setIndex(m_index.get());
        view.setVisibleRuns(m_runs);
        QCOMPARE(view.cards().size(), 4); // 2 tags x 2 runs
        HistogramChart *chart = view.chart("weights/layer1", "alpha");
        QVERIFY(chart);
        QCOMPARE(chart->ridgeCount(), 20);
        QCOMPARE(chart->ridgeStep(0), int64_t(0));
        QCOMPARE(chart->ridgeStep(19), int64_t(19));
        // Values of tag 1 span [s/10, s/10 + 2]: over all steps, [0, 3.9].
        QVERIFY(qAbs(chart->lo() - 0.0) < 1e-9);
        QVERIFY(qAbs(chart->hi() - 3.9) < 1e-9);
        double total = 0;
        for (int b = 0; b < HistogramChart::kBins; ++b)
            total += chart->binCount(19, b);
        QVERIFY(qAbs(total - 500) < 1e-6); // rebinning keeps every value

        // The tag filter, shared with the other tabs.
        view.setTagFilter("layer0");
        QCOMPARE(view.cards().size(), 2);
        view.setTagFilter("");

        view.setMode(HistogramMode::Overlay);
        QCOMPARE(chart->mode(), HistogramMode::Overlay);
        view.setMode(HistogramMode::Offset);
        QCOMPARE(chart->mode(), HistogramMode::Offset);

        // What the pixels say, in both modes, on a chart of a known size.
        HistogramChart solo;
        solo.setHistograms(&m_index->run("alpha")->tag("weights/layer1")->histograms, kRed);
        solo.resize(400, 260);
        chart = &solo;
        for (HistogramMode mode : {HistogramMode::Offset, HistogramMode::Overlay}) {
            chart->setMode(mode);
            // The newest ridge's peak, hovered, is named with its step, range and count.
            int peak = 0;
            for (int b = 0; b < HistogramChart::kBins; ++b)
                if (chart->binCount(19, b) > chart->binCount(19, peak)) peak = b;
            const QPointF top = chart->pointFor(19, peak);
            const HistogramChart::Hover hover = chart->hoverAt(top);
            QCOMPARE(hover.bin, peak);
            if (mode == HistogramMode::Offset) QCOMPARE(hover.ridge, 19);
            QVERIFY2(chart->describe(hover).startsWith(
                         QString("step %1\n[").arg(chart->ridgeStep(hover.ridge))),
                     qPrintable(chart->describe(hover)));
            const QImage image = chart->grab().toImage();
            if (mode == HistogramMode::Offset) {
                // Under the newest ridge's top edge: its fill, in the run's own hue.
                const QColor inside = image.pixelColor((top + QPointF(0, 10)).toPoint());
                QVERIFY2(qAbs(inside.hue() - kRed.hue()) < 8 && inside.saturation() > 150,
                         qPrintable(inside.name()));
                // Above the plot's top: background.
                QCOMPARE(image.pixelColor(QPoint(int(top.x()), 2)), solo.palette().base().color());
            }
        }
        // Step 0 holds nothing in the last bin: there its ridge is on its baseline, the plot's
        // bottom in overlay mode and high above it in offset mode (the oldest at the back).
        QCOMPARE(chart->binCount(0, HistogramChart::kBins - 1), 0.0);
        QCOMPARE(chart->pointFor(0, HistogramChart::kBins - 1).y(), chart->plotRect().bottom());
        chart->setMode(HistogramMode::Offset);
        QVERIFY(chart->pointFor(0, HistogramChart::kBins - 1).y() < chart->plotRect().center().y());
    }

    void manyStepsAreSampledWithFirstAndLast() {
        std::vector<Stamped<HistogramValue>> data;
        for (int s = 0; s < 1000; ++s) {
            HistogramValue h;
            h.min = 0, h.max = 1, h.limits = {1}, h.counts = {double(s)};
            data.push_back({int64_t(999 - s), 0, h}); // written newest first
        }
        HistogramChart chart;
        chart.setHistograms(&data, kRed);
        QCOMPARE(chart.ridgeCount(), HistogramChart::kMaxRidges);
        QCOMPARE(chart.ridgeStep(0), int64_t(0));
        QCOMPARE(chart.ridgeStep(HistogramChart::kMaxRidges - 1), int64_t(999));
        chart.setHistograms(nullptr, kRed);
        QCOMPARE(chart.ridgeCount(), 0);
        chart.resize(300, 200);
        QVERIFY(!chart.grab().isNull()); // "No histograms", no crash
    }

    void distributionsShowPercentileBands() {
        DistributionsView view;
        view.setIndex(m_index.get());
        view.setVisibleRuns(m_runs);
        QCOMPARE(view.cards().size(), 4);
        DistributionChart *chart = view.chart("weights/layer0", "beta");
        QVERIFY(chart);
        QCOMPARE(chart->stepCount(), 20);
        // Step 10 of tag 0: values evenly over [0, 2], so the median is 1 and the ends 0 and 2.
        const auto &p = chart->percentiles(10);
        QVERIFY(qAbs(p[0] - 0.0) < 1e-6);
        QVERIFY2(qAbs(p[4] - 1.0) < 0.05, qPrintable(QString::number(p[4])));
        QVERIFY(qAbs(p[8] - 2.0) < 1e-6);
        for (int k = 1; k < 9; ++k)
            QVERIFY(p[size_t(k)] >= p[size_t(k - 1)]);
        chart->resize(400, 260);
        const QRectF plot = chart->plotRect();
        const int i = chart->stepAt({plot.right(), plot.center().y()});
        QCOMPARE(chart->step(i), int64_t(19));
        QVERIFY(chart->describe(i).contains("median: "));
        QVERIFY(!chart->grab().isNull());
    }

    void imagesShowEverySampleOfAStep() {
        ImagesView view;
        view.resize(1200, 600);
        view.setIndex(m_index.get());
        view.setVisibleRuns({{"alpha", kRed}});
        QCOMPARE(view.cards().size(), 1);
        ImageCard *card = view.imageCard("samples/inputs", "alpha");
        QVERIFY(card);
        QCOMPARE(card->stepCount(), 5);
        QTRY_COMPARE(card->shownStep(), int64_t(4)); // the newest, decoded off the GUI thread
        QCOMPARE(card->shownSizes().size(), 3);
        view.setAdjust({1, 1, false}); // actual size
        QCOMPARE(card->shownSizes().value(2), QSize(8, 8));

        QSignalSpy shown(card, &ImageCard::stepShown);
        card->setStepIndex(0);
        QTRY_COMPARE(card->shownStep(), int64_t(0));
        QVERIFY(card->stepText().startsWith("step 0"));
        // Sample 2 of step 0 is grey 80; brightness 0 makes it black, 2 doubles it.
        QCOMPARE(QColor(adjustImage(QImage(1, 1, QImage::Format_ARGB32), {1, 1, true}).pixel(0, 0))
                     .alpha(),
                 QColor(QImage(1, 1, QImage::Format_ARGB32).pixel(0, 0)).alpha());
        QImage grey(2, 2, QImage::Format_ARGB32);
        grey.fill(QColor(80, 80, 80));
        QCOMPARE(adjustImage(grey, {0, 1, true}).pixelColor(0, 0), QColor(0, 0, 0));
        QCOMPARE(adjustImage(grey, {2, 1, true}).pixelColor(0, 0), QColor(160, 160, 160));
        QCOMPARE(adjustImage(grey, {1, 0, true}).pixelColor(0, 0), QColor(128, 128, 128));
    }

    void textIsMarkdownWithTables() {
        TextView view;
        view.setIndex(m_index.get());
        view.setVisibleRuns(m_runs);
        QCOMPARE(view.cards().size(), 2);
        TextCard *card = view.textCard("notes/summary", "beta");
        QVERIFY(card);
        QCOMPARE(card->stepCount(), 3);
        QCOMPARE(card->markdown(), QString::fromStdString(dashtest::textAt(2)));
        card->setStepIndex(0);
        QCOMPARE(card->markdown(), QString::fromStdString(dashtest::textAt(0)));
        QTextDocument *doc = card->browser()->document();
        QVERIFY(doc->toPlainText().contains("step 0"));
        bool table = false;
        for (QTextFrame *frame : doc->rootFrame()->childFrames())
            if (auto *t = qobject_cast<QTextTable *>(frame))
                table = t->rows() == 2 && t->columns() == 2;
        QVERIFY(table);

        // A 2-D string tensor becomes a table, its '|' escaped.
        TensorValue t;
        t.shape = {2, 2};
        t.strings = {"a", "b|c", "d", "e"};
        QCOMPARE(textMarkdown(t), QString("| 0 | 1 |\n| --- | --- |\n| a | b\\|c |\n| d | e |\n"));
    }

    void longRunNamesAreElidedInTheMiddle() {
        const QString name = "sweep-2026-12-01/trial-0001-with-a-very-long-descriptive-name-0042";
        TagCard card("loss", name, new QWidget);
        card.resize(220, 100);
        card.show();
        QVERIFY(card.shownRunName().contains(QChar(0x2026)));
        QVERIFY(card.shownRunName().endsWith("0042"));
        QVERIFY(card.shownRunName().startsWith("sweep"));
    }

    void confusionMatricesFromDisk() {
        const RunData *run = m_index->run("alpha");
        const TagData *tag = run->tag("val/confusion_matrix");
        QVERIFY(tag);
        QCOMPARE(tag->plugin, std::string("confusion_matrix"));
        auto m = confusionFromTensor(decodeTensor(tag->tensors.front().value).value(), -1, 1);
        QVERIFY(m);
        QCOMPARE(m->classes(), 2);
        QCOMPARE(m->at(1, 0), int64_t(1));
        QCOMPARE(m->at(1, 1), int64_t(9));
        TensorValue notSquare;
        notSquare.shape = {2, 3};
        notSquare.values.assign(6, 1);
        QVERIFY(!confusionFromTensor(notSquare, -1, 1));
    }
};

QTEST_MAIN(TestDashboards)
#include "tst_dashboards.moc"
