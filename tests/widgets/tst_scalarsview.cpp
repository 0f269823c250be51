// The Scalars tab on a logdir written to disk: runs drawn by group (mean inside a min-max
// band, members on demand, a legend of groups), pinned charts of several tags, the logdir's
// custom_scalars layout, and the mouse: hover highlights, a click names the runs, sync.
#include "core/events/eventwriter.h"
#include "core/events/logdirindex.h"
#include "tests/support/protobytes.h"
#include "widgets/scalars/scalarsview.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

using namespace trainscope;

namespace {

const QStringList kRuns{"lr=0.01/seed1", "lr=0.1/seed1", "lr=0.1/seed2"};

// loss = offset + step, so groups' means are known: seed1 of lr=0.1 at +0, seed2 at +10.
double offsetOf(const QString &run) {
    return run == "lr=0.1/seed2" ? 10 : run == "lr=0.01/seed1" ? 100 : 0;
}

} // namespace

class TestScalarsView : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<LogdirIndex> m_index;
    QMap<QString, QColor> m_visible;

    std::unique_ptr<ScalarsView> makeView() {
        auto view = std::make_unique<ScalarsView>();
        view->resize(1400, 900);
        view->setIndex(m_index.get());
        view->setVisibleRuns(m_visible);
        return view;
    }

    static Grouping byPattern() {
        Grouping g;
        g.by = GroupBy::Pattern;
        g.pattern = R"((.*)/seed\d+)";
        return g;
    }

private slots:
    void initTestCase() {
        const std::filesystem::path root = m_dir.path().toStdString();
        for (const QString &run : kRuns) {
            EventWriter w(root / run.toStdString());
            for (int step = 0; step < 10; ++step) {
                const double v = offsetOf(run) + step;
                w.addScalar("loss", step, v, 1000.0 + step);
                w.addScalar("acc/mean", step, v, 1000.0 + step);
                w.addScalar("acc/lo", step, v - 1, 1000.0 + step);
                w.addScalar("acc/hi", step, v + 2, 1000.0 + step);
            }
            m_visible.insert(run, Qt::darkGray);
        }
        // The layout at the logdir's root, as SummaryWriter(logdir).add_custom_scalars does.
        pbtest::writeRecords(
            (root / "events.out.tfevents.1.host.1.0").string(),
            {pbtest::fileVersionEvent(1000.0),
             pbtest::layoutEvent(
                 1000.0, pbtest::layout({pbtest::layoutCategory(
                             "Overview", {pbtest::multilineChart("everything acc", {"acc/.*"}),
                                          pbtest::marginChart("acc band", "acc/mean", "acc/lo",
                                                              "acc/hi")})}))});
        m_index = std::make_unique<LogdirIndex>(root);
        m_index->setFilesComplete(true);
        m_index->refresh();
        QCOMPARE(m_index->runs().size(), size_t(4));
    }

    void groupsAreDrawnAsTheirMeanInABand() {
        auto view = makeView();
        ChartSettings s;
        s.smoothing = 0; // bands are smoothed as lines are: raw values here
        view->setSettings(s);
        view->setGrouping(byPattern());
        ScalarChart *chart = view->chart("loss");
        QVERIFY(chart);
        chart->replotNow();
        QCOMPARE(chart->groups(), QStringList({"lr=0.01", "lr=0.1"}));
        const CurveLod *mean = chart->groupCenter("lr=0.1");
        QCOMPARE(mean->size(), size_t(10));
        QCOMPARE(mean->y()[3], 8.f); // (3 + 13) / 2
        QCOMPARE(chart->groupBand("lr=0.1", false)->y()[3], 3.f);
        QCOMPARE(chart->groupBand("lr=0.1", true)->y()[3], 13.f);
        QCOMPARE(chart->groupCenter("lr=0.01")->y()[3], 103.f); // a group of one
        QCOMPARE(chart->runsOf("lr=0.1"), QStringList({"lr=0.1/seed1", "lr=0.1/seed2"}));

        // The legend and the tooltip speak of groups.
        QCPLegend *legend = chart->plot()->legend;
        QVERIFY(legend->visible());
        QCOMPARE(legend->itemCount(), 2);
        auto *item = qobject_cast<QCPPlottableLegendItem *>(legend->item(1));
        QVERIFY(item);
        QCOMPARE(item->plottable()->name(), QString("lr=0.1 (2 runs)"));
        const QString tip = chart->toolTipAt(3, 8);
        QVERIFY2(tip.contains("<th align=left>group</th>"), qPrintable(tip));
        QVERIFY2(tip.contains("(2 of 2 runs)"), qPrintable(tip));
        QVERIFY2(tip.contains("3 – 13"), qPrintable(tip)); // the band
        QVERIFY(!tip.contains("seed2"));                   // members are not listed
    }

    void medianStdDevAndMembersOnDemand() {
        auto view = makeView();
        ChartSettings s;
        s.smoothing = 0;
        view->setSettings(s);
        Grouping g = byPattern();
        g.center = GroupCenter::Median;
        g.band = GroupBand::StdDev;
        view->setGrouping(g);
        ScalarChart *chart = view->chart("loss");
        chart->replotNow();
        QCOMPARE(chart->groupCenter("lr=0.1")->y()[0], 5.f);
        QCOMPARE(chart->groupBand("lr=0.1", false)->y()[0], 0.f); // 5 - 5
        QCOMPARE(chart->groupBand("lr=0.1", true)->y()[0], 10.f);
        auto visibleMemberLines = [&] {
            int n = 0;
            for (int i = 0; i < chart->plot()->graphCount(); ++i) {
                QCPGraph *graph = chart->plot()->graph(i);
                if (graph->visible() && graph->name().contains("/seed") &&
                    !graph->data()->isEmpty())
                    ++n;
            }
            return n;
        };
        QCOMPARE(visibleMemberLines(), 0);
        g.showMembers = true;
        view->setGrouping(g);
        chart->replotNow();
        QCOMPARE(visibleMemberLines(), 3); // faint, under their groups
        view->setGrouping(Grouping{});
        chart->replotNow();
        QVERIFY(chart->groups().isEmpty());
        QCOMPARE(chart->runs(), kRuns);
        QVERIFY(!chart->plot()->legend->visible());
    }

    void parentFolderGroupsTheSameWay() {
        auto view = makeView();
        Grouping g;
        g.by = GroupBy::ParentFolder;
        view->setGrouping(g);
        view->chart("loss")->replotNow();
        QCOMPARE(view->chart("loss")->groups(), QStringList({"lr=0.01", "lr=0.1"}));
    }

    void pinnedChartsHoldSeveralTags() {
        auto view = makeView();
        QVERIFY(view->pinnedCharts().isEmpty());
        view->pinTag("loss");
        view->pinTag("acc/hi", 0);
        QCOMPARE(view->pinnedCharts().size(), 1);
        ScalarChart *pinned = view->pinnedCharts()[0];
        QCOMPARE(pinned->tag(), QString("loss, acc/hi"));
        QCOMPARE(pinned->runs().size(), 6); // 3 runs x 2 tags
        QVERIFY(pinned->runs().contains("lr=0.1/seed2 · acc/hi"));
        QCOMPARE(pinned->pointCount("lr=0.1/seed2 · acc/hi"), size_t(10));
        view->pinTag("acc/lo"); // a second pinned chart
        QCOMPARE(view->pinnedCharts().size(), 2);
        // Grouped, a pinned chart draws a group per tag.
        view->setGrouping(byPattern());
        pinned = view->pinnedCharts()[0];
        pinned->replotNow();
        QCOMPARE(pinned->groups(), QStringList({"lr=0.01 · acc/hi", "lr=0.01 · loss",
                                                "lr=0.1 · acc/hi", "lr=0.1 · loss"}));
        view->unpin(0);
        QCOMPARE(view->pinnedCharts().size(), 1);
        QCOMPARE(view->pinnedCharts()[0]->tag(), QString("acc/lo"));
    }

    void customScalarsLayoutIsShown() {
        auto view = makeView();
        QVERIFY(view->layoutProblems().isEmpty());
        const QList<ScalarChart *> custom = view->customCharts();
        QCOMPARE(custom.size(), 2);
        QCOMPARE(custom[0]->tag(), QString("everything acc"));
        QCOMPARE(custom[0]->runs().size(), 9); // acc/mean, acc/lo, acc/hi of 3 runs
        QVERIFY(!custom[0]->runs().contains("lr=0.1/seed1 · loss"));
        ScalarChart *margin = custom[1];
        QCOMPARE(margin->tag(), QString("acc band"));
        QCOMPARE(margin->runs().size(), 3);
        margin->replotNow();
        // Each run's value is drawn inside its band: two filled graphs with points.
        int bands = 0;
        for (int i = 0; i < margin->plot()->graphCount(); ++i) {
            QCPGraph *g = margin->plot()->graph(i);
            if (g->name().endsWith("(band)") && g->visible() && !g->data()->isEmpty()) ++bands;
        }
        QCOMPARE(bands, 6);
        // The band's upper edge reaches the top: the y range holds v + 2 of the largest run.
        QVERIFY(margin->plot()->yAxis->range().upper >= 111);
    }

    // The mouse over a chart: the curve under it is highlighted and a click names its runs.
    void hoverHighlightsAndAClickSelects() {
        auto view = makeView();
        view->setGrouping(byPattern());
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        ScalarChart *chart = view->chart("loss");
        chart->replotNow();
        QCustomPlot *plot = chart->plot();
        const CurveLod *mean = chart->groupCenter("lr=0.01");
        // The drawn line is the smoothed mean; at step 5 it is near 105.
        const QPoint at(int(plot->xAxis->coordToPixel(5)),
                        int(plot->yAxis->coordToPixel(double(mean->y()[5]))));
        QCOMPARE(chart->curveAt(at), QString("lr=0.01"));
        QCOMPARE(chart->curveAt(at + QPoint(0, 60)), QString()); // nothing within reach
        QTest::mouseMove(plot, at);
        QTRY_COMPARE(chart->hovered(), QString("lr=0.01"));
        QSignalSpy clicked(view.get(), &ScalarsView::runsClicked);
        QTest::mouseClick(plot, Qt::LeftButton, {}, at);
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked[0][0].toStringList(), QStringList{"lr=0.01/seed1"});
        // The highlight is drawn: its colour, thick, over a veil.
        const QImage image = plot->toPixmap().toImage();
        const QColor seen = image.pixelColor(at);
        QVERIFY2(seen != QColor(Qt::white), qPrintable(seen.name()));
    }

    void syncedChartsShareTheirXRange() {
        auto view = makeView();
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        view->setSyncCharts(true);
        ScalarChart *loss = view->chart("loss"), *acc = view->chart("acc/mean");
        loss->plot()->xAxis->setRange(2, 6); // as a zoom does
        QCOMPARE(acc->plot()->xAxis->range().lower, 2.0);
        QCOMPARE(acc->plot()->xAxis->range().upper, 6.0);
        view->setSyncCharts(false);
        loss->plot()->xAxis->setRange(0, 9);
        QCOMPARE(acc->plot()->xAxis->range().upper, 6.0);
    }
};

QTEST_MAIN(TestScalarsView)
#include "tst_scalarsview.moc"
