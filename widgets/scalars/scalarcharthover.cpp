// ScalarChart under the mouse: the curve nearest it highlighted over the dimmed rest, a
// tooltip of the curves nearest it, a click that names a curve's runs, the crosshair.
#include "widgets/scalars/scalarchart.h"

#include "core/events/scalarseries.h"
#include "widgets/format.h"
#include "widgets/scalars/chartoverlay.h"

#include <QMouseEvent>
#include <QToolTip>
#include <cmath>
#include <qcustomplot.h>

namespace trainscope {

QString ScalarChart::curveAt(const QPointF &pos) const {
    if (m_groupsDirty) const_cast<ScalarChart *>(this)->rebuildGroups();
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    constexpr double kReachPixels = 8;
    QString best;
    double bestDistance = kReachPixels;
    auto consider = [&](const QString &name, const Curve &c) {
        if (!c.raw.size()) return;
        const size_t k = c.raw.nearest(x);
        const double kx = m_plot->xAxis->coordToPixel(c.raw.x()[k]);
        const double v = double(drawnLine(c).y()[k]);
        const double d = std::hypot(kx - pos.x(), m_plot->yAxis->coordToPixel(v) - pos.y());
        if (d < bestDistance) bestDistance = d, best = name;
    };
    if (m_grouping.active()) {
        for (auto it = m_groups.begin(); it != m_groups.end(); ++it)
            consider(it.key(), *it);
        if (!best.isEmpty() || !m_grouping.showMembers) return best;
    }
    for (auto it = m_curves.begin(); it != m_curves.end(); ++it)
        if (it->shown) consider(it.key(), *it);
    return best;
}

void ScalarChart::setHovered(const QString &curve) {
    const Curve *c = curve.isEmpty() ? nullptr : drawnCurve(curve);
    const QString now = c ? curve : QString();
    if (now == m_hovered && (!c || (m_overlay && m_overlay->highlighted()))) return;
    m_hovered = now;
    if (!c) {
        if (m_overlay) {
            m_overlay->clearHighlight();
            m_overlay->redraw();
        }
        return;
    }
    const QCPRange xr = m_plot->xAxis->range();
    const int columns = std::max(1, m_plot->axisRect()->width());
    std::vector<double> xs, ys;
    drawnLine(*c).decimate(xr.lower, xr.upper, columns, xs, ys);
    overlay().highlight(c->color, xs, ys);
    overlay().redraw();
}

void ScalarChart::setCrosshair(double x) {
    if (!m_overlay && !std::isfinite(x)) return;
    overlay().setCrosshair(x);
    overlay().redraw();
}

void ScalarChart::setXRange(double lower, double upper) {
    if (m_plot->xAxis->range() == QCPRange(lower, upper)) return;
    m_autoX = false;
    m_settingRange = true; // not the user's: no userZoomed echo
    m_plot->xAxis->setRange(lower, upper);
    m_settingRange = false;
    scheduleReplot();
}

QString ScalarChart::toolTipAt(double x, double y) const {
    if (m_groupsDirty) const_cast<ScalarChart *>(this)->rebuildGroups();
    // Every drawn curve's point nearest x; only the kToolTipRows nearest the mouse are
    // formatted (10,000 runs: a tooltip of twelve rows, not one taller than the screen).
    struct Row {
        double distance;
        const QString *name;
        const Curve *curve;
        size_t k; // its point nearest x
    };
    std::vector<Row> rows;
    bool bands = false;
    auto addRow = [&](const QString &name, const Curve &c) {
        if (!c.raw.size()) return;
        const size_t k = c.raw.nearest(x);
        const double shown = double(drawnLine(c).y()[k]);
        rows.push_back({std::isfinite(y) ? std::abs(shown - y) : 0.0, &name, &c, k});
        bands = bands || (c.lo.size() && c.hi.size());
    };
    if (m_grouping.active())
        for (auto it = m_groups.begin(); it != m_groups.end(); ++it)
            addRow(it.key(), *it);
    if (!m_grouping.active() || m_grouping.showMembers)
        for (auto it = m_curves.begin(); it != m_curves.end(); ++it)
            if (it->shown) addRow(it.key(), *it);
    if (rows.empty()) return {};
    const size_t kept = std::min(rows.size(), size_t(kToolTipRows));
    auto nearer = [](const Row &a, const Row &b) {
        return a.distance < b.distance || (a.distance == b.distance && *a.name < *b.name);
    };
    std::partial_sort(rows.begin(), rows.begin() + long(kept), rows.end(), nearer);

    auto cell = [](const QString &s) { return "<td align=right>" + s + "</td>"; };
    auto number = [](float v) { return QString::number(double(v), 'g', 6); };
    QString body;
    for (size_t r = 0; r < kept; ++r) {
        const Curve &c = *rows[r].curve;
        const size_t k = rows[r].k;
        QString label = rows[r].name->toHtmlEscaped(), step, relative;
        if (c.role == Role::Group) {
            label += QString(" <i>(%1 of %2 runs)</i>").arg(c.reach[k]).arg(c.members.size());
            const double key = c.raw.x()[k];
            if (m_settings.xAxis == XAxisMode::Step) step = QString::number(qint64(key));
            if (m_settings.xAxis == XAxisMode::Relative) relative = formatDuration(key);
        } else {
            const size_t i = c.order.empty() ? k : c.order[k];
            step = QString::number(c.source.series->step(i));
            relative = formatDuration(c.source.series->wallTime(i) - c.source.runStart);
        }
        QString band;
        if (bands && c.lo.size() && c.hi.size())
            band = number(c.lo.y()[c.lo.nearest(x)]) + " – " + number(c.hi.y()[c.hi.nearest(x)]);
        body += QString("<tr><td><span style='color:%1'>&#9632;</span> %2</td>")
                    .arg(c.color.name(), label) +
                cell("<b>" + number(c.smoothed.y()[k]) + "</b>") + cell(number(c.raw.y()[k])) +
                (bands ? cell(band) : QString()) + cell(step) + cell(relative) + "</tr>";
    }
    const QString more =
        rows.size() > kept
            ? QString("<i>and %1 more (nearest the mouse first)</i>").arg(rows.size() - kept)
            : QString();
    return QString("<b>%1</b><table cellspacing=4><tr><th align=left>%2</th><th>smoothed</th>"
                   "<th>value</th>%3<th>step</th><th>relative</th></tr>%4</table>%5")
        .arg(m_tag.toHtmlEscaped(), m_grouping.active() ? "group" : "run",
             bands ? "<th>band</th>" : "", body, more);
}

bool ScalarChart::eventFilter(QObject *watched, QEvent *event) {
    if (watched != m_plot) return QWidget::eventFilter(watched, event);
    if (event->type() == QEvent::MouseMove) {
        auto *me = static_cast<QMouseEvent *>(event);
        if (m_plot->axisRect()->rect().contains(me->pos())) {
            const double x = m_plot->xAxis->pixelToCoord(me->position().x());
            const double y = m_plot->yAxis->pixelToCoord(me->position().y());
            QToolTip::showText(me->globalPosition().toPoint(), toolTipAt(x, y), m_plot);
            if (!(me->buttons() & Qt::LeftButton)) setHovered(curveAt(me->position()));
            emit hoveredAt(x);
        } else {
            QToolTip::hideText();
            setHovered({});
            emit hoveredAt(NAN);
        }
    } else if (event->type() == QEvent::Leave) {
        setHovered({});
        emit hoveredAt(NAN);
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace trainscope
