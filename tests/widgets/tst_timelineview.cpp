#include "widgets/timeline/selectionsummarymodel.h"
#include "widgets/timeline/timelinestyle.h"
#include "widgets/timeline/timelineview.h"
#include "widgets/timeline/tracedetails.h"
#include "widgets/timeline/traceview.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QTableWidget>
#include <QtTest>

using namespace trainscope;

namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int kGpu = kGpuPidBase;

TraceEvent ev(const char *name, const char *cat, double startMs, double durMs, int pid = 1,
              int tid = 1) {
    TraceEvent e;
    e.name = name;
    e.category = cat;
    e.startNs = int64_t(startMs * kMs);
    e.durationNs = int64_t(durMs * kMs);
    e.pid = pid;
    e.tid = tid;
    return e;
}

// One step on the main thread with a launch whose kernel runs on GPU 0 stream 7, five relus on
// a second thread, and a flow from the launch to the kernel.
std::shared_ptr<TraceFile> gpuTrace() {
    auto trace = std::make_shared<TraceFile>();
    trace->events = {
        ev("ProfilerStep#1", "step", 0, 10),              // 0
        ev("forward", "host_compute", 1, 5),              // 1
        ev("aten::mm", "cpu_op", 2, 1),                   // 2
        ev("cudaLaunchKernel", "cuda_runtime", 2.2, 0.1), // 3
        ev("sgemm_128x64", "kernel", 2.5, 0.3, kGpu, 7),  // 4
    };
    trace->events[2].args = {{"Input Dims", "[[64, 128], [128, 32]]"}, {"External id", "42"}};
    for (int i = 0; i < 5; ++i)
        trace->events.push_back(ev("aten::relu", "cpu_op", 1 + 1.5 * i, 0.5, 1, 2)); // 5..9
    trace->flows = {{1, int64_t(2.25 * kMs), 1, 1, int64_t(2.5 * kMs), kGpu, 7}};
    trace->threadNames[{1, 1}] = "main";
    trace->threadNames[{1, 2}] = "loader";
    trace->processNames[1] = "python";
    return trace;
}

std::shared_ptr<TraceFile> hostTrace(const std::string &note) {
    auto trace = std::make_shared<TraceFile>();
    trace->events = {ev("ProfilerStep#1", "step", 0, 4), ev("aten::add", "cpu_op", 1, 1)};
    trace->deviceInfo.note = note;
    return trace;
}

void send(QWidget *w, QEvent::Type type, QPoint pos, Qt::MouseButton button,
          Qt::MouseButtons buttons, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QMouseEvent e(type, QPointF(pos), QPointF(w->mapToGlobal(pos)), button, buttons, mods);
    QApplication::sendEvent(w, &e);
}

void drag(QWidget *w, QPoint from, QPoint to, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    send(w, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton, mods);
    send(w, QEvent::MouseMove, (from + to) / 2, Qt::NoButton, Qt::LeftButton, mods);
    send(w, QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton, mods);
    send(w, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton, mods);
}

void click(QWidget *w, QPoint at) {
    send(w, QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton);
    send(w, QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton);
}

void wheel(QWidget *w, QPoint at, int delta, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QWheelEvent e(QPointF(at), QPointF(w->mapToGlobal(at)), QPoint(), QPoint(0, delta),
                  Qt::NoButton, mods, Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &e);
}

// The middle of `event`'s box in the timeline.
QPoint pointOf(const TimelineView *tl, uint32_t event) {
    const TraceEvent &e = tl->index()->event(event);
    const int lane = tl->index()->laneOf(event), row = tl->index()->rowOf(event);
    return QPoint(int(tl->xForTime(double(e.startNs) + double(e.durationNs) / 2)),
                  tl->rowTop(lane, row) + TimelineView::kRowHeight / 2);
}

bool near(double a, double b, double tolerance) {
    return std::abs(a - b) <= tolerance;
}

} // namespace

class TestTimelineView : public QObject {
    Q_OBJECT
    std::unique_ptr<TraceView> m_view;

    TimelineView *shown(std::shared_ptr<TraceFile> trace) {
        m_view = std::make_unique<TraceView>();
        m_view->resize(1400, 800);
        m_view->show();
        m_view->setTrace(std::move(trace));
        return m_view->timeline();
    }

private slots:
    void cleanup() { m_view.reset(); }

    void keysZoomAroundTheCursorAndPan() {
        TimelineView *tl = shown(gpuTrace());
        QCOMPARE(tl->visibleStartNs(), 0.0); // fitted
        QCOMPARE(tl->visibleEndNs(), 10.0 * kMs);
        tl->setVisibleRange(2 * kMs, 4 * kMs);
        const int x = tl->trackLeft() + tl->trackWidth() / 4;
        send(tl, QEvent::MouseMove, QPoint(x, 60), Qt::NoButton, Qt::NoButton);
        const double anchor = tl->timeAtX(x);
        QTest::keyClick(tl, Qt::Key_W);
        QVERIFY(near(tl->visibleEndNs() - tl->visibleStartNs(), 2 * kMs * 0.8, 1));
        QVERIFY(near(tl->timeAtX(x), anchor, 1)); // the time under the cursor stays put
        QTest::keyClick(tl, Qt::Key_S);
        QVERIFY(near(tl->visibleEndNs() - tl->visibleStartNs(), 2 * kMs, 1));
        QVERIFY(near(tl->visibleStartNs(), 2 * kMs, 1));

        QEvent leave(QEvent::Leave); // off the tracks: zoom about the centre
        QApplication::sendEvent(tl, &leave);
        QTest::keyClick(tl, Qt::Key_W);
        QVERIFY(near(tl->visibleStartNs(), 3 * kMs - 0.8 * kMs, 1));
        QVERIFY(near(tl->visibleEndNs(), 3 * kMs + 0.8 * kMs, 1));

        tl->setVisibleRange(2 * kMs, 4 * kMs);
        QTest::keyClick(tl, Qt::Key_D);
        QVERIFY(near(tl->visibleStartNs(), 2.4 * kMs, 1));
        QVERIFY(near(tl->visibleEndNs(), 4.4 * kMs, 1));
        QTest::keyClick(tl, Qt::Key_A);
        QTest::keyClick(tl, Qt::Key_A);
        QVERIFY(near(tl->visibleStartNs(), 1.6 * kMs, 1));
        QCOMPARE(m_view->visibleStartNs(), tl->visibleStartNs());
    }

    void wheelZoomsAtTheCursorAndShiftWheelScrollsLanes() {
        auto trace = gpuTrace();
        for (int t = 3; t < 40; ++t) // enough lanes to scroll
            trace->events.push_back(ev("idle", "cpu_op", 0, 1, 1, t));
        TimelineView *tl = shown(trace);
        tl->setVisibleRange(0, 8 * kMs);
        const QPoint at(tl->trackLeft() + 3 * tl->trackWidth() / 4, 80);
        const double anchor = tl->timeAtX(at.x());
        wheel(tl, at, 120);
        QVERIFY(near(tl->visibleEndNs() - tl->visibleStartNs(), 8 * kMs * 0.85, 1));
        QVERIFY(near(tl->timeAtX(at.x()), anchor, 1));
        wheel(tl, at, -240);
        QVERIFY(near(tl->visibleEndNs() - tl->visibleStartNs(), 8 * kMs / 0.85, 1));
        // Zooming out around the anchor would start the view before the trace: it stops there.
        QCOMPARE(tl->visibleStartNs(), 0.0);
        tl->panBy(-0.5);
        QCOMPARE(tl->visibleStartNs(), 0.0);
        tl->panBy(5);
        QCOMPARE(tl->visibleEndNs(), 10.0 * kMs); // nor past its end

        QCOMPARE(tl->verticalOffset(), 0);
        const double span = tl->visibleEndNs() - tl->visibleStartNs();
        wheel(tl, at, -120, Qt::ShiftModifier);
        QCOMPARE(tl->verticalOffset(), 3 * TimelineView::kRowHeight);
        QCOMPARE(tl->visibleEndNs() - tl->visibleStartNs(), span); // no zoom
        wheel(tl, at, 240, Qt::ShiftModifier);
        QCOMPARE(tl->verticalOffset(), 0); // clamped at the top
        wheel(tl, QPoint(50, 80), -240);   // over the lane titles the wheel scrolls too
        QCOMPARE(tl->verticalOffset(), 6 * TimelineView::kRowHeight);
        QCOMPARE(tl->visibleEndNs() - tl->visibleStartNs(), span);
    }

    void dragPans() {
        TimelineView *tl = shown(gpuTrace());
        tl->setVisibleRange(2 * kMs, 4 * kMs);
        const double perPixel = tl->nsPerPixel();
        QSignalSpy selected(tl, &TimelineView::eventSelected);
        const QPoint from(tl->trackLeft() + 400, 60);
        drag(tl, from, from - QPoint(100, 0));
        QVERIFY(near(tl->visibleStartNs(), 2 * kMs + 100 * perPixel, 1));
        QVERIFY(near(tl->visibleEndNs(), 4 * kMs + 100 * perPixel, 1));
        drag(tl, from, from + QPoint(250, 0));
        QVERIFY(near(tl->visibleStartNs(), 2 * kMs - 150 * perPixel, 1));
        QCOMPARE(selected.count(), 0); // a drag is not a click
        QVERIFY(!tl->hasRangeSelection());
    }

    void clickSelectsAndDetailsShowTheEvent() {
        TimelineView *tl = shown(gpuTrace());
        tl->setVisibleRange(0, 10 * kMs);
        tl->index()->prepareLookups(); // flows are drawn once their table exists
        QSignalSpy selected(tl, &TimelineView::eventSelected);
        click(tl, pointOf(tl, 2));
        QCOMPARE(tl->selectedEvent(), std::optional<uint32_t>(2));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).toLongLong(), qint64(2));
        TraceDetails *details = m_view->details();
        QCOMPARE(details->nameText(), QString("aten::mm"));
        QCOMPARE(details->fieldText("category"), QString("cpu_op"));
        QCOMPARE(details->fieldText("lane"), QString("python · main"));
        QCOMPARE(details->fieldText("start"), QString("2.000 ms"));
        QCOMPARE(details->fieldText("duration"), QString("1.000 ms"));
        QTableWidget *args = details->argsTable();
        QCOMPARE(args->rowCount(), 2);
        QCOMPARE(args->item(0, 0)->text(), QString("Input Dims"));
        QCOMPARE(args->item(0, 1)->text(), QString("[[64, 128], [128, 32]]"));
        QCOMPARE(args->item(1, 1)->text(), QString("42"));
        QCOMPARE(details->flowsList()->count(), 0);

        QTest::keyClick(tl, Qt::Key_F); // zoom to fit the selection
        QVERIFY(near(tl->visibleEndNs() - tl->visibleStartNs(), 1 * kMs / 0.8, 1));
        QVERIFY(near(tl->visibleStartNs(), 2 * kMs - 0.125 * kMs, 1));

        tl->setVisibleRange(0, 10 * kMs);
        click(tl, pointOf(tl, 3)); // the launch: its flow goes to the kernel
        QCOMPARE(m_view->selectedEvent(), std::optional<uint32_t>(3));
        QCOMPARE(details->flowsList()->count(), 1);
        QVERIFY(details->flowsList()->item(0)->text().startsWith("launches sgemm_128x64"));
        QVERIFY(details->flowsList()->item(0)->text().contains("GPU 0 · stream 7"));
        tl->grab();
        QCOMPARE(tl->lastFlowCount(), size_t(1));
        // Following the flow selects the kernel, which was launched by the launch.
        emit details->flowsList()->itemActivated(details->flowsList()->item(0));
        QCOMPARE(tl->selectedEvent(), std::optional<uint32_t>(4));
        QCOMPARE(details->nameText(), QString("sgemm_128x64"));
        QVERIFY(details->flowsList()->item(0)->text().startsWith("launched by cudaLaunchKernel"));

        click(tl, QPoint(tl->trackLeft() + 10, tl->height() - 5)); // empty space
        QCOMPARE(tl->selectedEvent(), std::nullopt);
        QCOMPARE(selected.last().at(0).toLongLong(), qint64(-1));
        QCOMPARE(details->nameText(), QString());
    }

    void shiftDragSummarizesTheArea() {
        TimelineView *tl = shown(gpuTrace());
        QAbstractItemModelTester tester(m_view->summaryModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        tl->setVisibleRange(0, double(tl->trackWidth()) * 10'000); // 10 µs per pixel
        const int main = tl->index()->findLane(1, 1);
        const int y = tl->rowTop(main, 1) + 4;
        QSignalSpy ranges(tl, &TimelineView::rangeSelected);
        // 1.5 ms .. 3.5 ms on the main thread only.
        drag(tl, QPoint(tl->trackLeft() + 150, y), QPoint(tl->trackLeft() + 350, y),
             Qt::ShiftModifier);
        QCOMPARE(ranges.count(), 1);
        QCOMPARE(ranges.at(0).at(0).toLongLong(), 3 * kMs / 2);
        QCOMPARE(ranges.at(0).at(1).toLongLong(), 7 * kMs / 2);
        QCOMPARE(tl->rangeLanes(), std::vector<int>{main});
        SelectionSummaryModel *summary = m_view->summaryModel();
        QCOMPARE(summary->rowCount(), 4);
        auto cell = [&](int row, int column) {
            return summary->index(row, column).data().toString();
        };
        QCOMPARE(cell(0, SelectionSummaryModel::NameColumn), QString("ProfilerStep#1"));
        QCOMPARE(cell(0, SelectionSummaryModel::TotalColumn), QString("2.000 ms"));
        QCOMPARE(cell(1, SelectionSummaryModel::NameColumn), QString("forward")); // 2 ms too
        QCOMPARE(cell(1, SelectionSummaryModel::TotalColumn), QString("2.000 ms"));
        QCOMPARE(cell(2, SelectionSummaryModel::NameColumn), QString("aten::mm"));
        QCOMPARE(cell(2, SelectionSummaryModel::CountColumn), QString("1"));
        QCOMPARE(cell(3, SelectionSummaryModel::TotalColumn), QString("100.0 µs"));
        QCOMPARE(summary->totalNs(), int64_t(5.1 * kMs));
        QCOMPARE(cell(2, SelectionSummaryModel::ShareColumn), QString("19.6%"));
        QCOMPARE(summary->caption(), QString("2.000 ms on 1 lane: 4 events"));

        // From the ruler: every lane, with the kernel and a relu (the one ending at 1.5 ms only
        // touches the range).
        drag(tl, QPoint(tl->trackLeft() + 150, 5), QPoint(tl->trackLeft() + 350, 300),
             Qt::ShiftModifier);
        QCOMPARE(int(tl->rangeLanes().size()), tl->index()->laneCount());
        QCOMPARE(summary->rowCount(), 6);
        const auto &rows = summary->rows();
        auto relu = std::find_if(rows.begin(), rows.end(),
                                 [](const NameTotal &r) { return r.name == "aten::relu"; });
        QVERIFY(relu != rows.end());
        QCOMPARE(relu->count, uint64_t(1));
        QCOMPARE(relu->totalNs, int64_t(0.5 * kMs));
        QTest::keyClick(tl, Qt::Key_Escape);
        QVERIFY(!tl->hasRangeSelection());
        QCOMPARE(summary->rowCount(), 0);
    }

    void searchJumpsToMatches() {
        TimelineView *tl = shown(gpuTrace());
        tl->setVisibleRange(0, 1 * kMs);
        m_view->setSearchText("RELU");
        m_view->findNext();
        QCOMPARE(m_view->searchResultCount(), 5);
        QCOMPARE(m_view->selectedEvent(), std::optional<uint32_t>(5));
        QCOMPARE(m_view->searchStatus(), QString("1 / 5"));
        auto *status = m_view->findChild<QLabel *>("searchStatus");
        QCOMPARE(status->text(), QString("1 / 5"));
        // Centred on the match, zoom kept.
        QVERIFY(near((tl->visibleStartNs() + tl->visibleEndNs()) / 2, 1.25 * kMs, 1));
        QVERIFY(near(tl->visibleEndNs() - tl->visibleStartNs(), 1 * kMs, 1));
        auto *box = m_view->findChild<QLineEdit *>("traceSearch");
        QTest::keyClick(box, Qt::Key_Return);
        QTest::keyClick(box, Qt::Key_Return);
        QCOMPARE(m_view->selectedEvent(), std::optional<uint32_t>(7));
        QCOMPARE(status->text(), QString("3 / 5"));
        QVERIFY(near((tl->visibleStartNs() + tl->visibleEndNs()) / 2, 4.25 * kMs, 1));
        m_view->findPrevious();
        QCOMPARE(m_view->searchPosition(), 2);
        QCOMPARE(m_view->details()->nameText(), QString("aten::relu"));
        m_view->setSearchText("sgemm"); // on another lane
        m_view->findNext();
        QCOMPARE(m_view->selectedEvent(), std::optional<uint32_t>(4));
        QCOMPARE(m_view->searchStatus(), QString("1 / 1"));
        m_view->setSearchText("nothing like it");
        m_view->findNext();
        QCOMPARE(m_view->searchResultCount(), 0);
        QCOMPARE(status->text(), QString("no match"));
    }

    void noGpuNoteIsShown() {
        shown(hostTrace("no GPU: host and operator tracing only"));
        QCOMPARE(m_view->noteText(), QString("no GPU: host and operator tracing only"));
        QVERIFY(m_view->findChild<QLabel *>("traceNote")->isVisible());
        m_view->setTrace(hostTrace(""));
        QVERIFY(m_view->noteText().startsWith("No GPU lane"));
        m_view->setTrace(gpuTrace());
        QCOMPARE(m_view->noteText(), QString());
        QVERIFY(!m_view->findChild<QLabel *>("traceNote")->isVisible());
    }

    void rendersBoxesInCategoryColours() {
        TimelineView *tl = shown(gpuTrace());
        tl->setVisibleRange(0, 10 * kMs);
        const QImage image = tl->grab().toImage();
        QVERIFY(tl->lastBoxCount() >= 10);
        const auto index = tl->index();
        auto pixel = [&](double ms, int lane, int row) {
            return image.pixelColor(int(tl->xForTime(ms * kMs)),
                                    tl->rowTop(lane, row) + TimelineView::kRowHeight / 2);
        };
        const int main = index->findLane(1, 1), gpu = index->findLane(kGpu, 7);
        QCOMPARE(gpu, index->laneCount() - 1); // GPU lanes come last
        QCOMPARE(pixel(8, main, 0), categoryColor("step"));
        QCOMPARE(pixel(5, main, 1), categoryColor("host_compute"));
        QCOMPARE(pixel(2.77, gpu, 0), categoryColor("kernel")); // right of its label
        QVERIFY(categoryColor("kernel") != categoryColor("cpu_op"));
        QCOMPARE(pixel(6, gpu, 0), QColor(Qt::white)); // no kernel there
        int painted = 0;                               // non-background pixels over the tracks
        for (int y = TimelineView::kRulerHeight; y < image.height(); y += 2)
            for (int x = tl->trackLeft(); x < image.width(); x += 4)
                painted += image.pixelColor(x, y) != QColor(Qt::white);
        QVERIFY(painted > 2000);
    }

    void growingTraceKeepsTheView() {
        auto trace = gpuTrace();
        TimelineView *tl = shown(trace);
        tl->setVisibleRange(2 * kMs, 3 * kMs);
        tl->selectEvent(2);
        auto grown = std::make_shared<TraceFile>(*trace);
        grown->events.push_back(ev("aten::add", "cpu_op", 11, 1));
        grown->events.push_back(ev("worker", "input", 0, 1, 1, 99)); // a new lane
        m_view->setTrace(grown);
        QCOMPARE(m_view->index()->eventCount(), size_t(12));
        QCOMPARE(tl->visibleStartNs(), 2.0 * kMs);
        QCOMPARE(tl->visibleEndNs(), 3.0 * kMs);
        QCOMPARE(m_view->selectedEvent(), std::optional<uint32_t>(2));
        QCOMPARE(m_view->details()->nameText(), QString("aten::mm"));
        m_view->clear();
        QVERIFY(!m_view->index());
        QCOMPARE(m_view->selectedEvent(), std::nullopt);
        QCOMPARE(m_view->details()->nameText(), QString());
        tl->grab(); // paints "no trace" without an index
        QCOMPARE(tl->lastBoxCount(), size_t(0));
    }

    void largeTracesAreIndexedOffTheGuiThread() {
        auto trace = std::make_shared<TraceFile>();
        for (size_t i = 0; i < TraceView::kAsyncEvents + 10; ++i)
            trace->events.push_back(ev("k", "kernel", double(i) * 0.01, 0.005, kGpu, int(i % 4)));
        shown(nullptr);
        QSignalSpy indexed(m_view.get(), &TraceView::traceIndexed);
        m_view->setTrace(trace);
        QVERIFY(m_view->indexing());
        QVERIFY(indexed.wait(20000));
        QVERIFY(!m_view->indexing());
        QCOMPARE(m_view->index()->eventCount(), trace->events.size());
        QCOMPARE(m_view->index()->laneCount(), 4);
        QCOMPARE(m_view->noteText(), QString());
    }
};

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
