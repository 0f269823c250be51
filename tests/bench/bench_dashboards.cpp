// The Histograms and Images tabs at TensorBoard-user scale, offscreen, from files on disk:
// 50 histogram tags x 1,000 steps x 30 buckets (a frame of the tab, a chart's first draw), and
// a run of 10,000 images (moving the step slider until the new step is on screen), and 10,000
// HParams sessions (read, shown, sorted by every column). Prints milliseconds beside the
// targets (16 ms a frame, 50 ms a slider move, 2 s to load, 100 ms a sort); never fails on time.
#include "core/events/eventwriter.h"
#include "core/events/logdirindex.h"
#include "core/events/pngencoder.h"
#include "widgets/dashboard/tagcard.h"
#include "widgets/histograms/histogramsview.h"
#include "widgets/hparams/hparamstablemodel.h"
#include "widgets/hparams/hparamsview.h"
#include "widgets/images/imagesview.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <random>

using namespace trainscope;

class BenchDashboards : public QObject {
    Q_OBJECT

private slots:
    void histograms() {
        QTemporaryDir dir;
        {
            EventWriter w(dir.filePath("run").toStdString(), EventWriterOptions{60, "bench"});
            for (int s = 0; s < 1000; ++s)
                for (int t = 0; t < 50; ++t) {
                    HistogramValue h;
                    h.min = -3 + s * 0.001, h.max = 3 + s * 0.001;
                    for (int b = 0; b < 30; ++b) {
                        const double right = h.min + (b + 1) * 0.2, mid = right - 0.1 - s * 0.001;
                        h.limits.push_back(right);
                        h.counts.push_back(1000 * std::exp(-mid * mid / 2));
                        h.num += h.counts.back();
                    }
                    w.addHistogram("layer" + std::to_string(t / 10) + "/w" + std::to_string(t), s,
                                   h, 1000 + s);
                }
        }
        QElapsedTimer timer;
        timer.start();
        LogdirIndex index(dir.path().toStdString());
        index.refresh();
        const double readMs = timer.nsecsElapsed() / 1e6;

        HistogramsView view;
        view.resize(1440, 900);
        view.show();
        timer.restart();
        view.setIndex(&index);
        view.setVisibleRuns({{"run", QColor(255, 112, 67)}});
        const double layoutMs = timer.nsecsElapsed() / 1e6;
        QCOMPARE(view.cards().size(), 50);

        // A chart's first draw: rebinning is done, the ridges are painted into its cache.
        auto *chart = static_cast<HistogramChart *>(view.cards().front()->content());
        QCOMPARE(chart->ridgeCount(), HistogramChart::kMaxRidges);
        QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
        timer.restart();
        view.render(&image); // the first frame draws every visible chart for the first time
        const double firstFrameMs = timer.nsecsElapsed() / 1e6;
        const int frames = 30;
        timer.restart();
        for (int f = 0; f < frames; ++f) {
            // Hover moves over a chart: one chart's overlay changes, the tab repaints.
            QMouseEvent move(QEvent::MouseMove, QPointF(100 + f * 5, 120), QPointF(), Qt::NoButton,
                             Qt::NoButton, Qt::NoModifier);
            QCoreApplication::sendEvent(chart, &move);
            view.render(&image);
        }
        const double frameMs = timer.nsecsElapsed() / 1e6 / frames;
        timer.restart();
        for (TagCard *card : view.cards()) {
            auto *c = static_cast<HistogramChart *>(card->content());
            c->resize(400, 260);
            c->setMode(HistogramMode::Overlay); // drops the cache
            QImage one(c->size(), QImage::Format_ARGB32_Premultiplied);
            c->render(&one);
        }
        const double coldChartMs = timer.nsecsElapsed() / 1e6 / 50;
        qInfo("histograms: read 50 tags x 1,000 steps x 30 buckets in %.0f ms; tab laid out in "
              "%.0f ms",
              readMs, layoutMs);
        qInfo("histograms: a frame of the tab (1440x900, hover moving) %.2f ms (target < 16); "
              "first frame %.1f ms; a chart's first draw in overlay mode %.2f ms",
              frameMs, firstFrameMs, coldChartMs);
    }

    void hparamsTenThousandSessions() {
        QTemporaryDir dir;
        const int sessions = 10000;
        std::mt19937 rng(5);
        std::uniform_real_distribution<double> unit(0, 1);
        for (int i = 0; i < sessions; ++i) {
            // PyTorch's add_hparams layout: one timestamped folder per session.
            EventWriter w(
                dir.filePath(QString("sweep/%1.%2").arg(1700000000 + i).arg(i % 97)).toStdString(),
                EventWriterOptions{60, "bench"});
            w.addHParamsSessionStart({{"lr", std::pow(10, -5 * unit(rng))},
                                      {"batch", double(16 << (i % 4))},
                                      {"dropout", unit(rng) / 2},
                                      {"optimizer", std::string(i % 3 ? "adam" : "sgd")}});
            w.addScalar("hparam/accuracy", 0, unit(rng));
            w.addScalar("hparam/loss", 0, unit(rng));
            w.addHParamsSessionEnd(1);
        }
        QElapsedTimer timer;
        timer.start();
        LogdirIndex index(dir.path().toStdString());
        index.refresh();
        const double readMs = timer.nsecsElapsed() / 1e6;
        QMap<QString, QColor> runs;
        for (const auto &[name, run] : index.runs())
            runs.insert(QString::fromStdString(name), Qt::blue);
        HParamsView view;
        view.resize(1440, 900);
        view.show();
        timer.restart();
        view.setIndex(&index);
        view.setVisibleRuns(runs);
        QCoreApplication::processEvents();
        const double showMs = timer.nsecsElapsed() / 1e6;
        QCOMPARE(view.model()->rowCount(), sessions);
        double worstSort = 0, totalSort = 0;
        const int columns = view.model()->columnCount();
        for (int c = 0; c < columns; ++c)
            for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                timer.restart();
                view.table()->sortByColumn(c, order);
                const double ms = timer.nsecsElapsed() / 1e6;
                worstSort = std::max(worstSort, ms), totalSort += ms;
            }
        qInfo("hparams: %d sessions read from disk in %.0f ms, into the tab (table, parallel "
              "coordinates, scatter matrix) in %.0f ms: %.0f ms in all (target < 2000)",
              sessions, readMs, showMs, readMs + showMs);
        qInfo("hparams: sort by any of %d columns %.1f ms on average, worst %.1f ms (target < 100)",
              columns, totalSort / (2 * columns), worstSort);
    }

    void imageSlider() {
        QTemporaryDir dir;
        const int steps = 2500, samples = 4;
        {
            EventWriter w(dir.filePath("run").toStdString(), EventWriterOptions{60, "bench"});
            std::mt19937 rng(1);
            std::vector<uint8_t> rgb(28 * 28 * 3);
            for (int s = 0; s < steps; ++s) {
                TensorValue t;
                t.strings = {"28", "28"};
                for (int k = 0; k < samples; ++k) {
                    for (auto &v : rgb)
                        v = uint8_t(rng() % 256);
                    t.strings.push_back(encodePng(28, 28, rgb));
                }
                w.addTensor("inputs", s, t, "images", 1000 + s);
            }
        }
        LogdirIndex index(dir.path().toStdString());
        index.refresh();
        ImagesView view;
        view.resize(1440, 900);
        view.show();
        view.setIndex(&index);
        view.setVisibleRuns({{"run", QColor(255, 112, 67)}});
        ImageCard *card = view.imageCard("inputs", "run");
        QCOMPARE(card->stepCount(), steps);
        QTRY_COMPARE(card->shownStep(), int64_t(steps - 1));

        auto moveTo = [&](int index) {
            QElapsedTimer timer;
            timer.start();
            card->setStepIndex(index);
            while (card->shownStep() != int64_t(index))
                QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
            return timer.nsecsElapsed() / 1e6;
        };
        // Jumps far away (nothing decoded yet) and steps to the next one (decoded ahead).
        std::mt19937 rng(7);
        double jumpTotal = 0, jumpWorst = 0, nextTotal = 0;
        const int moves = 40;
        for (int m = 0; m < moves; ++m) {
            const int target = int(rng() % (steps - 2));
            const double ms = moveTo(target);
            jumpTotal += ms, jumpWorst = std::max(jumpWorst, ms);
            QTest::qWait(20); // the user's pause: neighbours decode meanwhile
            nextTotal += moveTo(target + 1);
        }
        QCOMPARE(card->shownSizes().size(), samples);
        qInfo("images: %d images; slider jump to an undecoded step %.2f ms (worst %.2f), to the "
              "next step %.2f ms (target < 50)",
              steps * samples, jumpTotal / moves, jumpWorst, nextTotal / moves);
    }
};

QTEST_MAIN(BenchDashboards)
#include "bench_dashboards.moc"
