// The trace timeline: lanes of nested event boxes under a time ruler, painted from the index's
// levels of detail (a frame costs what is on screen, not what is in the trace), with the
// navigation trace viewers share: W/S zoom, A/D pan, wheel zoom, drag, Shift+drag to select.
#pragma once

#include "core/profile/timelineindex.h"
#include "widgets/background.h"

#include <QColor>
#include <QVector>
#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

class QPainter;
class QScrollBar;

namespace trainscope {

class TimelineView : public QWidget {
    Q_OBJECT
public:
    static constexpr double kKeyZoomFactor = 0.8;    // W multiplies the visible span by this
    static constexpr double kKeyPanFraction = 0.2;   // A and D move by this share of the span
    static constexpr double kWheelZoomFactor = 0.85; // per wheel notch (120 eighths of a degree)
    static constexpr int kHeaderWidth = 200;         // the lane titles' column
    static constexpr int kRulerHeight = 26;
    static constexpr int kRowHeight = 18;

    explicit TimelineView(QWidget *parent = nullptr);
    ~TimelineView() override;

    // Shows `index` (null: nothing). `keepView` keeps the visible range and selection where
    // they still make sense (a live trace that grew); otherwise the whole trace is fitted.
    void setIndex(std::shared_ptr<const TimelineIndex> index, bool keepView = false);
    const std::shared_ptr<const TimelineIndex> &index() const { return m_index; }
    void clear() { setIndex(nullptr); }

    // The visible time range, in trace nanoseconds.
    double visibleStartNs() const { return m_t0; }
    double visibleEndNs() const { return m_t0 + m_span; }
    void setVisibleRange(double t0Ns, double t1Ns);
    void zoomToFit();
    void zoomBy(double factor, double anchorX); // anchorX: a widget x on the time axis
    void panBy(double fraction);                // of the visible span; > 0 moves later
    void zoomToEvent(uint32_t event);           // F: the event fills most of the view
    void centerOn(uint32_t event);              // keeps the zoom unless the event is wider
    int verticalOffset() const;
    void setVerticalOffset(int pixels);

    std::optional<uint32_t> selectedEvent() const { return m_selected; }
    void selectEvent(std::optional<uint32_t> event); // emits eventSelected when it changes

    bool hasRangeSelection() const { return m_hasRange; }
    double rangeStartNs() const { return std::min(m_range0, m_range1); }
    double rangeEndNs() const { return std::max(m_range0, m_range1); }
    const std::vector<int> &rangeLanes() const { return m_rangeLanes; }
    void setRangeSelection(double t0Ns, double t1Ns, std::vector<int> lanes); // emits
    void clearRangeSelection();

    // Geometry, in widget pixels: for hit tests, tests and anything drawn over the view.
    int trackLeft() const { return kHeaderWidth; }
    int trackWidth() const;
    double nsPerPixel() const;
    double xForTime(double ns) const;
    double timeAtX(double x) const;
    int rowTop(int lane, int row) const; // the row's top edge; -1 for an unknown row
    int laneAtY(int y) const;            // -1 above, below or between lanes
    std::optional<uint32_t> eventAtPoint(const QPoint &p) const;

    // What the last paint drew (for benchmarks and tests).
    size_t lastBoxCount() const { return m_lastBoxes; }
    size_t lastFlowCount() const { return m_lastFlows; }

signals:
    void eventSelected(qint64 event); // -1: nothing selected
    void rangeSelected(qint64 t0Ns, qint64 t1Ns, const QVector<int> &lanes);
    void rangeCleared();
    void visibleRangeChanged(double t0Ns, double t1Ns);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    bool event(QEvent *event) override; // tooltips

private:
    struct LaneLayout {
        int top = 0; // content y of the lane's first row
        int height = 0;
        bool groupHeader = false; // a process band sits just above the lane
    };
    enum class Drag { None, Pending, Panning, Selecting };

    void relayout();
    void updateScrollBar();
    void setView(double t0, double span);
    int contentTop() const { return kRulerHeight; }
    int viewportHeight() const;
    std::vector<int> lanesBetween(int y0, int y1) const;
    double zoomAnchorX() const;

    void paintTracks(QPainter &p, int lane0, int lane1);
    void paintFlows(QPainter &p);
    void paintRuler(QPainter &p);
    void paintHeader(QPainter &p, int lane0, int lane1);
    QPointF flowPoint(uint32_t event, int pid, int tid, int64_t ns) const;

    std::shared_ptr<const TimelineIndex> m_index;
    std::vector<LaneLayout> m_layout;
    int m_contentHeight = 0;
    std::vector<QColor> m_colors; // per category id
    double m_t0 = 0, m_span = 1;
    std::optional<uint32_t> m_selected;
    bool m_hasRange = false;
    double m_range0 = 0, m_range1 = 0;
    std::vector<int> m_rangeLanes;

    Drag m_drag = Drag::None;
    QPoint m_pressPos, m_lastPos;
    int m_pressY = 0;
    double m_hoverX = -1; // the mouse's x over the tracks, for W/S; -1: not over them

    QScrollBar *m_vbar;
    std::vector<TimelineBox> m_boxes; // reused by every row of every paint
    size_t m_lastBoxes = 0, m_lastFlows = 0;
    Background m_warmup{this}; // builds the index's lookup tables off the GUI thread
};

} // namespace trainscope
