#include "widgets/histograms/plotframe.h"

#include <QPainter>
#include <QWidget>
#include <cmath>

namespace trainscope {

std::vector<double> niceTicks(double lo, double hi, int count) {
    std::vector<double> out;
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || count < 1) return out;
    const double raw = (hi - lo) / count, magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
        out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return out;
}

QString tickLabel(double value) {
    return QString::number(value, 'g', 4);
}

QPixmap chartCanvas(const QWidget &chart) {
    const qreal dpr = chart.devicePixelRatioF();
    QPixmap canvas(chart.size() * dpr);
    canvas.setDevicePixelRatio(dpr);
    canvas.fill(chart.palette().base().color());
    return canvas;
}

void drawEmpty(QPainter &painter, const QRectF &plot, const QString &text) {
    painter.setPen(QColor(120, 120, 120));
    painter.drawText(plot, Qt::AlignCenter, text);
}

void drawXAxis(QPainter &painter, const QRectF &plot, const AxisMap &x) {
    painter.setPen(QColor(0, 0, 0, 90));
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    painter.setPen(QColor(80, 80, 80));
    const int ticks = std::max(2, int(plot.width() / 70));
    for (double v : niceTicks(x.lo, x.hi, ticks)) {
        const double px = x(v);
        painter.drawLine(QPointF(px, plot.bottom()), QPointF(px, plot.bottom() + 3));
        painter.drawText(QRectF(px - 40, plot.bottom() + 3, 80, 14), Qt::AlignHCenter,
                         tickLabel(v));
    }
}

void drawYAxis(QPainter &painter, const QRectF &plot, const AxisMap &y, bool right) {
    const double edge = right ? plot.right() : plot.left();
    painter.setPen(QColor(0, 0, 0, 90));
    painter.drawLine(QPointF(edge, plot.top()), QPointF(edge, plot.bottom()));
    painter.setPen(QColor(80, 80, 80));
    const int ticks = std::max(2, int(plot.height() / 40));
    for (double v : niceTicks(std::min(y.lo, y.hi), std::max(y.lo, y.hi), ticks)) {
        const double py = y(v);
        if (py < plot.top() - 1 || py > plot.bottom() + 1) continue;
        const double tick = right ? 3 : -3;
        painter.drawLine(QPointF(edge, py), QPointF(edge + tick, py));
        const QRectF box =
            right ? QRectF(edge + 5, py - 7, 60, 14) : QRectF(edge - 65, py - 7, 60, 14);
        painter.drawText(box, (right ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter,
                         tickLabel(v));
    }
}

} // namespace trainscope
