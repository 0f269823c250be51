// TimelineView: layout, navigation and selection. The painting is in timelinepaint.cpp.
#include "widgets/timeline/timelineview.h"

#include "widgets/format.h"
#include "widgets/timeline/timelinestyle.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>
#include <QStyle>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace trainscope {
namespace {

constexpr double kMinSpanNs = 20; // deeper than any event worth seeing
constexpr int kClickSlop = 3;     // pixels a press may move and still be a click
constexpr int kWheelRows = 3;     // rows per Shift+wheel notch

} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent)
    , m_vbar(new QScrollBar(Qt::Vertical, this)) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(420, 160);
    m_vbar->hide();
    connect(m_vbar, &QScrollBar::valueChanged, this, qOverload<>(&QWidget::update));
}

TimelineView::~TimelineView() = default;

void TimelineView::setIndex(std::shared_ptr<const TimelineIndex> index, bool keepView) {
    const std::shared_ptr<const TimelineIndex> old = std::move(m_index);
    m_index = std::move(index);
    m_colors.clear();
    if (m_index)
        for (const std::string &category : m_index->categories())
            m_colors.push_back(categoryColor(category));
    relayout();

    const bool keep = keepView && old && m_index && m_index->eventCount() > 0;
    // A kept selection must still name the same event (a live trace only appends).
    auto sameEvent = [&](uint32_t e) {
        return keep && e < m_index->eventCount() && e < old->eventCount() &&
               m_index->event(e).startNs == old->event(e).startNs &&
               m_index->event(e).name == old->event(e).name;
    };
    if (m_selected && !sameEvent(*m_selected)) {
        m_selected.reset();
        emit eventSelected(-1);
    }
    if (keep && m_hasRange) { // lanes are renumbered when new ones appear
        std::vector<int> lanes;
        for (int lane : m_rangeLanes) {
            const TimelineLane &was = old->lanes()[size_t(lane)];
            const int now = m_index->findLane(was.pid, was.tid);
            if (now >= 0) lanes.push_back(now);
        }
        m_rangeLanes = lanes;
    } else if (m_hasRange) {
        clearRangeSelection();
    }
    if (!keep || m_t0 > double(m_index->endNs()) || m_t0 + m_span < double(m_index->beginNs()))
        zoomToFit();
    if (m_index)
        m_warmup.run(
            [index = m_index] {
                index->prepareLookups();
                return true;
            },
            [this](bool) { update(); });
    update();
}

void TimelineView::relayout() {
    m_layout.clear();
    int y = 0;
    const std::string *group = nullptr;
    if (m_index) {
        for (const TimelineLane &lane : m_index->lanes()) {
            LaneLayout l;
            if (!lane.group.empty() && (!group || *group != lane.group)) {
                l.groupHeader = true;
                y += kRowHeight;
            }
            group = &lane.group;
            l.top = y;
            l.height = std::max(1, lane.rows) * kRowHeight + 6;
            y += l.height;
            m_layout.push_back(l);
        }
    }
    m_contentHeight = y;
    updateScrollBar();
}

void TimelineView::updateScrollBar() {
    const int overflow = std::max(0, m_contentHeight - viewportHeight());
    m_vbar->setRange(0, overflow);
    m_vbar->setPageStep(std::max(1, viewportHeight()));
    m_vbar->setSingleStep(kRowHeight);
    const int w = style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    m_vbar->setGeometry(width() - w, kRulerHeight, w, std::max(0, height() - kRulerHeight));
    m_vbar->setVisible(overflow > 0);
}

void TimelineView::resizeEvent(QResizeEvent *event) {
    QWidget::resizeEvent(event);
    updateScrollBar();
}

int TimelineView::viewportHeight() const {
    return std::max(0, height() - kRulerHeight);
}

int TimelineView::trackWidth() const {
    const int bar = m_vbar->isHidden() ? 0 : m_vbar->width(); // also before the first show
    return std::max(1, width() - kHeaderWidth - bar);
}

double TimelineView::nsPerPixel() const {
    return m_span / trackWidth();
}

double TimelineView::xForTime(double ns) const {
    return trackLeft() + (ns - m_t0) / nsPerPixel();
}

double TimelineView::timeAtX(double x) const {
    return m_t0 + (x - trackLeft()) * nsPerPixel();
}

int TimelineView::verticalOffset() const {
    return m_vbar->value();
}

void TimelineView::setVerticalOffset(int pixels) {
    m_vbar->setValue(pixels); // clamped to the content
}

int TimelineView::rowTop(int lane, int row) const {
    if (!m_index || lane < 0 || lane >= int(m_layout.size()) || row < 0 ||
        row >= std::max(1, m_index->lanes()[size_t(lane)].rows))
        return -1;
    return contentTop() + m_layout[size_t(lane)].top + 3 + row * kRowHeight - verticalOffset();
}

int TimelineView::laneAtY(int y) const {
    if (y < contentTop()) return -1;
    const int content = y - contentTop() + verticalOffset();
    auto it = std::upper_bound(m_layout.begin(), m_layout.end(), content,
                               [](int c, const LaneLayout &l) { return c < l.top; });
    if (it == m_layout.begin()) return -1;
    --it;
    return content < it->top + it->height ? int(it - m_layout.begin()) : -1;
}

std::vector<int> TimelineView::lanesBetween(int y0, int y1) const {
    std::vector<int> lanes;
    if (!m_index) return lanes;
    if (std::min(y0, y1) < contentTop()) { // from the ruler: every lane
        for (int l = 0; l < m_index->laneCount(); ++l)
            lanes.push_back(l);
        return lanes;
    }
    const int a = std::min(y0, y1) - contentTop() + verticalOffset();
    const int b = std::max(y0, y1) - contentTop() + verticalOffset();
    for (size_t l = 0; l < m_layout.size(); ++l)
        if (m_layout[l].top <= b && m_layout[l].top + m_layout[l].height > a)
            lanes.push_back(int(l));
    return lanes;
}

std::optional<uint32_t> TimelineView::eventAtPoint(const QPoint &p) const {
    const int lane = laneAtY(p.y());
    if (lane < 0 || p.x() < trackLeft()) return std::nullopt;
    const int row = (p.y() - rowTop(lane, 0)) / kRowHeight;
    if (p.y() < rowTop(lane, 0)) return std::nullopt;
    const double t = timeAtX(p.x() + 0.5);
    return m_index->eventAt(lane, row, int64_t(std::llround(t)),
                            int64_t(std::ceil(2 * nsPerPixel())));
}

void TimelineView::setView(double t0, double span) {
    double lo = 0, hi = 1;
    if (m_index && m_index->eventCount()) {
        lo = double(m_index->beginNs());
        hi = double(m_index->endNs());
    }
    span = std::clamp(span, kMinSpanNs, std::max(1000.0, (hi - lo) * 2));
    // The view stays on the trace: never before its start or past its end (zoomed out past
    // the whole trace, the whole trace stays in view).
    t0 = std::clamp(t0, std::min(lo, hi - span), std::max(lo, hi - span));
    if (t0 == m_t0 && span == m_span) return;
    m_t0 = t0;
    m_span = span;
    update();
    emit visibleRangeChanged(m_t0, m_t0 + m_span);
}

void TimelineView::setVisibleRange(double t0Ns, double t1Ns) {
    setView(std::min(t0Ns, t1Ns), std::abs(t1Ns - t0Ns));
}

void TimelineView::zoomToFit() {
    if (!m_index || !m_index->eventCount()) {
        setView(0, 1000);
        return;
    }
    const double lo = double(m_index->beginNs()), hi = double(m_index->endNs());
    setView(lo, std::max(hi - lo, 1000.0));
}

void TimelineView::zoomBy(double factor, double anchorX) {
    const double anchor = timeAtX(anchorX);
    const double span = std::max(kMinSpanNs, m_span * factor);
    setView(anchor - (anchorX - trackLeft()) * span / trackWidth(), span);
}

void TimelineView::panBy(double fraction) {
    setView(m_t0 + fraction * m_span, m_span);
}

void TimelineView::zoomToEvent(uint32_t event) {
    if (!m_index || event >= m_index->eventCount()) return;
    const TraceEvent &e = m_index->event(event);
    const double width = std::max<double>(double(e.durationNs), 100);
    const double span = width / 0.8; // the event fills 80 % of the view
    setView(double(e.startNs) - (span - double(e.durationNs)) / 2, span);
    centerOn(event);
}

void TimelineView::centerOn(uint32_t event) {
    if (!m_index || event >= m_index->eventCount()) return;
    const TraceEvent &e = m_index->event(event);
    if (double(e.durationNs) > 0.9 * m_span) {
        const double span = double(e.durationNs) / 0.8;
        setView(double(e.startNs) - (span - double(e.durationNs)) / 2, span);
    } else {
        setView(double(e.startNs) + double(e.durationNs) / 2 - m_span / 2, m_span);
    }
    const int top = rowTop(m_index->laneOf(event), m_index->rowOf(event));
    if (top < contentTop() || top + kRowHeight > height()) // scroll the row into the middle
        setVerticalOffset(verticalOffset() + top - contentTop() - viewportHeight() / 2);
}

void TimelineView::selectEvent(std::optional<uint32_t> event) {
    if (event && (!m_index || *event >= m_index->eventCount())) event.reset();
    if (event == m_selected) return;
    m_selected = event;
    update();
    emit eventSelected(event ? qint64(*event) : -1);
}

void TimelineView::setRangeSelection(double t0Ns, double t1Ns, std::vector<int> lanes) {
    m_hasRange = true;
    m_range0 = t0Ns;
    m_range1 = t1Ns;
    m_rangeLanes = std::move(lanes);
    update();
    emit rangeSelected(qint64(std::llround(rangeStartNs())), qint64(std::llround(rangeEndNs())),
                       QVector<int>(m_rangeLanes.begin(), m_rangeLanes.end()));
}

void TimelineView::clearRangeSelection() {
    if (!m_hasRange) return;
    m_hasRange = false;
    m_rangeLanes.clear();
    update();
    emit rangeCleared();
}

double TimelineView::zoomAnchorX() const {
    return m_hoverX >= 0 ? m_hoverX : trackLeft() + trackWidth() / 2.0;
}

void TimelineView::keyPressEvent(QKeyEvent *event) {
    switch (event->key()) {
    case Qt::Key_W:
        zoomBy(kKeyZoomFactor, zoomAnchorX());
        break;
    case Qt::Key_S:
        zoomBy(1 / kKeyZoomFactor, zoomAnchorX());
        break;
    case Qt::Key_A:
        panBy(-kKeyPanFraction);
        break;
    case Qt::Key_D:
        panBy(kKeyPanFraction);
        break;
    case Qt::Key_F:
        if (m_selected) zoomToEvent(*m_selected);
        break;
    case Qt::Key_0:
        zoomToFit();
        break;
    case Qt::Key_Escape:
        selectEvent(std::nullopt);
        clearRangeSelection();
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void TimelineView::wheelEvent(QWheelEvent *event) {
    const QPoint delta = event->angleDelta();
    const bool overTitles = event->position().x() < trackLeft();
    if (overTitles || (event->modifiers() & Qt::ShiftModifier)) {
        // Some platforms turn Shift+wheel sideways.
        const int d = delta.y() ? delta.y() : delta.x();
        setVerticalOffset(verticalOffset() - d * kWheelRows * kRowHeight / 120);
    } else if (delta.y()) {
        zoomBy(std::pow(kWheelZoomFactor, delta.y() / 120.0), event->position().x());
    } else if (delta.x()) {
        panBy(-delta.x() / 120.0 * 0.1);
    }
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    setFocus(Qt::MouseFocusReason);
    m_pressPos = m_lastPos = event->position().toPoint();
    m_pressY = m_pressPos.y();
    if (event->modifiers() & Qt::ShiftModifier) {
        m_drag = Drag::Selecting;
        m_range0 = m_range1 = timeAtX(std::max<double>(m_pressPos.x(), trackLeft()));
    } else {
        m_drag = Drag::Pending;
    }
    event->accept();
}

void TimelineView::mouseMoveEvent(QMouseEvent *event) {
    const QPoint pos = event->position().toPoint();
    m_hoverX = pos.x() >= trackLeft() && pos.y() >= contentTop() ? pos.x() : -1;
    if (m_drag == Drag::Pending && (pos - m_pressPos).manhattanLength() > kClickSlop)
        m_drag = Drag::Panning;
    if (m_drag == Drag::Panning) {
        const QPoint d = pos - m_lastPos;
        setView(m_t0 - d.x() * nsPerPixel(), m_span);
        setVerticalOffset(verticalOffset() - d.y());
    } else if (m_drag == Drag::Selecting) {
        m_range1 = timeAtX(std::clamp<double>(pos.x(), trackLeft(), trackLeft() + trackWidth()));
        m_hasRange = std::abs(pos.x() - m_pressPos.x()) > kClickSlop;
        m_rangeLanes = lanesBetween(m_pressY, pos.y());
        update();
    }
    m_lastPos = pos;
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
    const QPoint pos = event->position().toPoint();
    if (m_drag == Drag::Pending && pos.x() >= trackLeft() && pos.y() >= contentTop()) {
        selectEvent(eventAtPoint(pos));
    } else if (m_drag == Drag::Selecting) {
        m_range1 = timeAtX(std::clamp<double>(pos.x(), trackLeft(), trackLeft() + trackWidth()));
        if (std::abs(pos.x() - m_pressPos.x()) > kClickSlop)
            setRangeSelection(m_range0, m_range1, lanesBetween(m_pressY, pos.y()));
        else {
            m_hasRange = true; // so that clearing reports it
            clearRangeSelection();
        }
    }
    m_drag = Drag::None;
    event->accept();
}

void TimelineView::leaveEvent(QEvent *event) {
    m_hoverX = -1;
    QWidget::leaveEvent(event);
}

bool TimelineView::event(QEvent *event) {
    if (event->type() == QEvent::ToolTip && m_index) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (auto hit = eventAtPoint(help->pos())) {
            const TraceEvent &e = m_index->event(*hit);
            QToolTip::showText(help->globalPos(),
                               QString("<b>%1</b><br>%2 · %3")
                                   .arg(QString::fromStdString(e.name).toHtmlEscaped(),
                                        QString::fromStdString(e.category).toHtmlEscaped(),
                                        formatNs(e.durationNs)),
                               this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace trainscope
