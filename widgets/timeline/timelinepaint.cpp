// TimelineView's painting. A frame asks the index for each visible row's boxes at the current
// resolution and fills one rectangle per box: its cost follows the pixels, not the events.
#include "widgets/timeline/timelineview.h"

#include "widgets/format.h"
#include "widgets/timeline/timelinestyle.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace trainscope {
namespace {

constexpr int kMinLabelWidth = 28; // narrower boxes get no text
constexpr size_t kMaxFlows = 500;  // more flows than this on screen are not drawn one by one
const QColor kBackground(255, 255, 255);
const QColor kAltLane(247, 248, 250);
const QColor kHeaderBackground(242, 243, 245);
const QColor kGroupBackground(226, 229, 234);
const QColor kGrid(0, 0, 0, 18);
const QColor kSelection(255, 160, 0);

// Ticks of the ruler for the visible range: relative times (to the trace start) and step.
struct Ticks {
    double first = 0, step = 1;
};

Ticks ticksFor(double t0, double span, double origin, int width) {
    Ticks t;
    t.step = niceTickStep(span / std::max(1, width) * 90); // a label every 90 px or more
    t.first = std::ceil((t0 - origin) / t.step) * t.step;
    return t;
}

} // namespace

void TimelineView::paintEvent(QPaintEvent *) {
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    m_lastBoxes = m_lastFlows = 0;
    if (!m_index || m_index->laneCount() == 0) {
        paintRuler(p);
        p.setPen(QColor(120, 120, 120));
        p.drawText(rect().adjusted(0, kRulerHeight, 0, 0), Qt::AlignCenter, tr("No trace events"));
        return;
    }
    // The lanes that meet the viewport.
    const int top = verticalOffset(), bottom = top + viewportHeight();
    auto first = std::upper_bound(m_layout.begin(), m_layout.end(), top,
                                  [](int y, const LaneLayout &l) { return y < l.top + l.height; });
    auto last = std::lower_bound(m_layout.begin(), m_layout.end(), bottom,
                                 [](const LaneLayout &l, int y) { return l.top < y; });
    const int lane0 = int(first - m_layout.begin()), lane1 = int(last - m_layout.begin()) - 1;

    p.save();
    p.setClipRect(QRect(trackLeft(), contentTop(), trackWidth(), viewportHeight()));
    paintTracks(p, lane0, lane1);
    paintFlows(p);
    p.restore();
    paintHeader(p, lane0, lane1);
    paintRuler(p);
}

void TimelineView::paintTracks(QPainter &p, int lane0, int lane1) {
    const double px = nsPerPixel(), t0 = m_t0, t1 = m_t0 + m_span;
    const int left = trackLeft(), right = left + trackWidth();
    const int64_t q0 = int64_t(std::floor(t0)), q1 = int64_t(std::ceil(t1));

    // Lane backgrounds and group bands, then the grid under the boxes.
    for (int lane = lane0; lane <= lane1; ++lane) {
        const LaneLayout &l = m_layout[size_t(lane)];
        const int y = contentTop() + l.top - verticalOffset();
        if (l.groupHeader)
            p.fillRect(QRect(left, y - kRowHeight, right - left, kRowHeight), kGroupBackground);
        if (lane % 2) p.fillRect(QRect(left, y, right - left, l.height), kAltLane);
    }
    const Ticks ticks = ticksFor(t0, m_span, double(m_index->beginNs()), trackWidth());
    for (double r = ticks.first; double(m_index->beginNs()) + r <= t1; r += ticks.step) {
        const int x = int(std::lround(xForTime(double(m_index->beginNs()) + r)));
        p.fillRect(QRect(x, contentTop(), 1, viewportHeight()), kGrid);
    }

    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    const QFontMetrics fm(small);
    std::vector<QColor> merged(m_colors.size()), text(m_colors.size());
    for (size_t c = 0; c < m_colors.size(); ++c) {
        merged[c] = m_colors[c].lighter(118);
        text[c] = textColorOn(m_colors[c]);
    }

    for (int lane = lane0; lane <= lane1; ++lane) {
        const int rows = m_index->lanes()[size_t(lane)].rows;
        for (int row = 0; row < rows; ++row) {
            const int y = rowTop(lane, row);
            if (y + kRowHeight < contentTop() || y > height()) continue;
            m_boxes.clear();
            m_index->query(lane, row, q0, q1, px, m_boxes);
            m_lastBoxes += m_boxes.size();
            for (const TimelineBox &box : m_boxes) {
                const uint8_t category = m_index->categoryOf(box.event);
                const double x0 = left + (double(box.startNs) - t0) / px;
                const double x1 = left + (double(box.endNs) - t0) / px;
                if (box.startNs == box.endNs) { // an instant: a small diamond
                    const QPointF c(x0, y + kRowHeight / 2.0);
                    const QPointF diamond[] = {c + QPointF(0, -5), c + QPointF(4, 0),
                                               c + QPointF(0, 5), c + QPointF(-4, 0)};
                    p.setPen(Qt::NoPen);
                    p.setBrush(m_colors[category]);
                    p.drawPolygon(diamond, 4);
                    continue;
                }
                const int ix0 = int(std::floor(std::max<double>(x0, left - 2)));
                const int ix1 = int(std::ceil(std::min<double>(x1, right + 2)));
                int w = std::max(1, ix1 - ix0);
                if (w >= 4) --w; // a gap between neighbours
                const QRect r(ix0, y + 1, w, kRowHeight - 2);
                p.fillRect(r, box.count > 1 ? merged[category] : m_colors[category]);
                if (w < kMinLabelWidth) continue;
                // Label the visible part of the box.
                const int lx0 = std::max(ix0, left) + 3, lx1 = std::min(ix0 + w, right) - 3;
                if (lx1 - lx0 < kMinLabelWidth - 6) continue;
                QString label = QString::fromStdString(m_index->event(box.event).name);
                if (fm.horizontalAdvance(label) > lx1 - lx0)
                    label = fm.elidedText(label, Qt::ElideRight, lx1 - lx0);
                if (label.size() <= 1) continue; // just the ellipsis
                p.setPen(text[category]);
                p.drawText(QRect(lx0, y + 1, lx1 - lx0, kRowHeight - 2),
                           Qt::AlignVCenter | Qt::AlignLeft, label);
            }
        }
    }

    if (m_hasRange) { // the area selection: its lanes shaded, its edges across every lane
        const double a = xForTime(rangeStartNs()), b = xForTime(rangeEndNs());
        const QColor shade(30, 110, 230, 40);
        for (int lane : m_rangeLanes) {
            const int y = rowTop(lane, 0) - 3;
            if (y >= 0) p.fillRect(QRectF(a, y, b - a, m_layout[size_t(lane)].height), shade);
        }
        p.fillRect(QRectF(a, contentTop(), 1, viewportHeight()), QColor(30, 110, 230));
        p.fillRect(QRectF(b, contentTop(), 1, viewportHeight()), QColor(30, 110, 230));
    }
    if (m_selected) { // the selected event's outline, however small it is drawn
        const TraceEvent &e = m_index->event(*m_selected);
        const int y = rowTop(m_index->laneOf(*m_selected), m_index->rowOf(*m_selected));
        const double x0 = std::max<double>(xForTime(double(e.startNs)), left - 4);
        const double x1 = std::min<double>(xForTime(double(e.endNs())), right + 4);
        if (y >= 0 && x1 >= left - 4 && x0 <= right + 4) {
            p.setPen(QPen(QColor(20, 20, 20), 2));
            p.setBrush(Qt::NoBrush);
            p.drawRect(QRectF(x0 - 1, y, std::max(3.0, x1 - x0 + 2), kRowHeight));
        }
    }
}

QPointF TimelineView::flowPoint(uint32_t event, int pid, int tid, int64_t ns) const {
    int lane = -1, row = 0;
    if (event != TimelineIndex::kNoEvent) {
        lane = m_index->laneOf(event);
        row = m_index->rowOf(event);
    } else {
        lane = m_index->findLane(pid, tid);
    }
    if (lane < 0) return QPointF(-1, -1);
    return QPointF(xForTime(double(ns)), rowTop(lane, row) + kRowHeight / 2.0);
}

void TimelineView::paintFlows(QPainter &p) {
    // Flow tables are built off the GUI thread; until then no arrows (a repaint follows).
    if (!m_index->flowsReady() || m_index->trace().flows.empty()) return;
    std::vector<uint32_t> selected, visible;
    if (m_selected) selected = m_index->flowsOf(*m_selected);
    // All visible flows when few enough are on screen; a quick estimate skips the query when
    // the view obviously holds thousands.
    const double extent = std::max<double>(1, double(m_index->endNs() - m_index->beginNs()));
    const double expected = double(m_index->trace().flows.size()) * m_span / extent;
    if (expected < 20 * kMaxFlows) {
        visible = m_index->flowsIn(int64_t(std::floor(m_t0)), int64_t(std::ceil(m_t0 + m_span)),
                                   kMaxFlows);
        if (visible.size() >= kMaxFlows) visible.clear();
    }
    if (selected.empty() && visible.empty()) return;

    // Each arrow is a curve from the launch to the kernel, level at both ends. The many faint
    // ones are polylines without antialiasing (cheap); the selected event's are smooth.
    auto arrow = [&](uint32_t flow, const QPen &pen, bool smooth) {
        const TraceFlow &f = m_index->trace().flows[flow];
        const FlowEvents ends = m_index->flowEvents(flow);
        const QPointF a = flowPoint(ends.from, f.fromPid, f.fromTid, f.fromNs);
        const QPointF b = flowPoint(ends.to, f.toPid, f.toTid, f.toNs);
        if (a.y() < 0 || b.y() < 0) return;
        const double bend = std::clamp(std::abs(b.x() - a.x()) / 2, 10.0, 60.0);
        const QPointF c1 = a + QPointF(bend, 0), c2 = b - QPointF(bend, 0);
        p.setRenderHint(QPainter::Antialiasing, smooth);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        if (smooth) {
            QPainterPath path(a);
            path.cubicTo(c1, c2, b);
            p.drawPath(path);
        } else {
            QPointF line[9];
            for (int i = 0; i <= 8; ++i) {
                const double t = i / 8.0, u = 1 - t;
                line[i] = u * u * u * a + 3 * u * u * t * c1 + 3 * u * t * t * c2 + t * t * t * b;
            }
            p.drawPolyline(line, 9);
        }
        const QPointF head[] = {b, b + QPointF(-7, 3.5), b + QPointF(-7, -3.5)};
        p.setPen(Qt::NoPen);
        p.setBrush(pen.color());
        p.drawPolygon(head, 3);
        ++m_lastFlows;
    };
    const QPen faint(QColor(90, 90, 90, 140), 1);
    for (uint32_t flow : visible)
        if (std::find(selected.begin(), selected.end(), flow) == selected.end())
            arrow(flow, faint, false);
    for (uint32_t flow : selected)
        arrow(flow, QPen(QColor(230, 81, 0), 2), true);
    p.setRenderHint(QPainter::Antialiasing, false);
}

void TimelineView::paintHeader(QPainter &p, int lane0, int lane1) {
    const int w = trackLeft();
    p.fillRect(QRect(0, contentTop(), w, viewportHeight()), kHeaderBackground);
    p.fillRect(QRect(w - 1, contentTop(), 1, viewportHeight()), QColor(200, 200, 200));
    if (!m_index) return;
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics fm(font()), bfm(bold);
    for (int lane = lane0; lane <= lane1; ++lane) {
        const TimelineLane &info = m_index->lanes()[size_t(lane)];
        const LaneLayout &l = m_layout[size_t(lane)];
        const int y = contentTop() + l.top - verticalOffset();
        if (l.groupHeader) { // the process band runs across the tracks too
            p.fillRect(QRect(0, y - kRowHeight, w, kRowHeight), kGroupBackground);
            p.setFont(bold);
            p.setPen(QColor(50, 50, 50));
            p.drawText(
                QRect(6, y - kRowHeight, width() - 12, kRowHeight), Qt::AlignVCenter,
                bfm.elidedText(QString::fromStdString(info.group), Qt::ElideRight, width() - 12));
            p.setFont(font());
        }
        p.fillRect(QRect(0, y + l.height - 1, width(), 1), QColor(225, 225, 225));
        p.setPen(info.gpu ? QColor(57, 73, 171) : QColor(40, 40, 40));
        p.drawText(QRect(10, y + 3, w - 16, kRowHeight), Qt::AlignVCenter,
                   fm.elidedText(QString::fromStdString(info.title), Qt::ElideRight, w - 16));
    }
}

void TimelineView::paintRuler(QPainter &p) {
    const int left = trackLeft(), w = trackWidth();
    p.fillRect(QRect(0, 0, width(), kRulerHeight), kHeaderBackground);
    p.fillRect(QRect(0, kRulerHeight - 1, width(), 1), QColor(190, 190, 190));
    p.setPen(QColor(90, 90, 90));
    p.drawText(QRect(8, 0, left - 16, kRulerHeight), Qt::AlignVCenter,
               tr("span %1").arg(formatNs(int64_t(std::llround(m_span)))));
    if (!m_index || !m_index->eventCount()) return;
    const double origin = double(m_index->beginNs());
    const Ticks ticks = ticksFor(m_t0, m_span, origin, w);
    p.save();
    p.setClipRect(QRect(left, 0, w, kRulerHeight));
    for (double r = ticks.first; origin + r <= m_t0 + m_span; r += ticks.step) {
        const int x = int(std::lround(xForTime(origin + r)));
        p.fillRect(QRect(x, kRulerHeight - 8, 1, 8), QColor(120, 120, 120));
        p.drawText(QRect(x + 3, 0, 120, kRulerHeight - 4), Qt::AlignVCenter,
                   formatTick(r, ticks.step));
    }
    if (m_hasRange) { // the selection's length above it
        const double a = xForTime(rangeStartNs()), b = xForTime(rangeEndNs());
        p.fillRect(QRectF(a, 0, b - a, kRulerHeight), QColor(30, 110, 230, 60));
        const QString length = formatNs(int64_t(std::llround(rangeEndNs() - rangeStartNs())));
        const QRectF box(
            QPointF((a + b) / 2 - p.fontMetrics().horizontalAdvance(length) / 2.0 - 4, 3),
            QSizeF(p.fontMetrics().horizontalAdvance(length) + 8, kRulerHeight - 8));
        p.fillRect(box, QColor(214, 228, 250)); // over the tick labels
        p.setPen(QColor(20, 70, 160));
        p.drawText(box, Qt::AlignCenter, length);
    }
    p.restore();
}

} // namespace trainscope
