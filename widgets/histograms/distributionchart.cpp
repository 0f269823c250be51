#include "widgets/histograms/distributionchart.h"

#include "core/events/histogrambins.h"
#include "widgets/histograms/plotframe.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace trainscope {

DistributionChart::DistributionChart(QWidget *parent)
    : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(minimumSizeHint());
}

void DistributionChart::setHistograms(const std::vector<Stamped<HistogramValue>> *data,
                                      const QColor &color) {
    m_color = color.isValid() ? color : QColor(255, 112, 67);
    m_steps.clear();
    m_values.clear();
    m_hover = -1;
    const size_t n = data ? data->size() : 0;
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return (*data)[a].step < (*data)[b].step; });
    const size_t shown = std::min<size_t>(n, kMaxSteps);
    m_lo = std::numeric_limits<double>::infinity(), m_hi = -m_lo;
    for (size_t i = 0; i < shown; ++i) {
        const size_t k =
            shown > 1 ? order[size_t(std::llround(double(i) * double(n - 1) / double(shown - 1)))]
                      : order[0];
        const auto buckets = histogramBuckets((*data)[k].value);
        if (buckets.empty()) continue;
        m_steps.push_back((*data)[k].step);
        m_values.push_back(compressHistogram(buckets));
        m_lo = std::min(m_lo, m_values.back().front());
        m_hi = std::max(m_hi, m_values.back().back());
    }
    if (!(m_lo <= m_hi)) m_lo = 0, m_hi = 1;
    if (m_lo == m_hi) {
        const double pad = m_lo == 0 ? 0.5 : std::abs(m_lo) * 0.1;
        m_lo -= pad, m_hi += pad;
    }
    m_cache = {};
    update();
}

QRectF DistributionChart::plotRect() const {
    return QRectF(52, 6, width() - 52 - 10, height() - 6 - 20);
}

int DistributionChart::stepAt(const QPointF &pos) const {
    const QRectF p = plotRect();
    if (m_steps.empty() || pos.x() < p.left() - 4 || pos.x() > p.right() + 4) return -1;
    const AxisMap x{double(m_steps.front()), double(m_steps.back()), p.left(), p.right()};
    const double step = x.inverse(pos.x());
    const auto it = std::lower_bound(m_steps.begin(), m_steps.end(), int64_t(std::ceil(step)));
    int i = int(it - m_steps.begin());
    if (i == int(m_steps.size()) ||
        (i > 0 && step - double(m_steps[size_t(i - 1)]) < double(m_steps[size_t(i)]) - step))
        --i;
    return i;
}

QString DistributionChart::describe(int i) const {
    if (i < 0 || i >= stepCount()) return {};
    static const char *names[] = {"min",    "6.68%",  "15.87%", "30.85%", "median",
                                  "69.15%", "84.13%", "93.32%", "max"};
    QString text = QString("step %1").arg(step(i));
    for (int k = 8; k >= 0; --k)
        text += QString("\n%1: %2").arg(names[k], tickLabel(percentiles(i)[size_t(k)]));
    return text;
}

void DistributionChart::renderCache() {
    m_cache = chartCanvas(*this);
    QPainter painter(&m_cache);
    const QRectF p = plotRect();
    if (m_steps.empty()) return drawEmpty(painter, p, "No histograms");
    const double first = double(m_steps.front()), last = double(m_steps.back());
    const AxisMap x{first, last > first ? last : first + 1, p.left(), p.right()};
    const AxisMap y{m_lo, m_hi, p.bottom(), p.top()};
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    // Outer band first; each inner band is drawn over it with the same translucent colour.
    for (int band = 0; band < 4; ++band) {
        QPolygonF area;
        area.reserve(int(m_steps.size()) * 2);
        for (size_t i = 0; i < m_steps.size(); ++i)
            area << QPointF(x(double(m_steps[i])), y(m_values[i][size_t(8 - band)]));
        for (size_t i = m_steps.size(); i-- > 0;)
            area << QPointF(x(double(m_steps[i])), y(m_values[i][size_t(band)]));
        QColor c = m_color;
        c.setAlphaF(0.22f);
        painter.setBrush(c);
        painter.drawPolygon(area);
    }
    QPolygonF median;
    for (size_t i = 0; i < m_steps.size(); ++i)
        median << QPointF(x(double(m_steps[i])), y(m_values[i][4]));
    painter.setPen(QPen(m_color.darker(140), 1.5));
    painter.setBrush(Qt::NoBrush);
    if (median.size() == 1) // one step: a marker, not an invisible line
        painter.drawEllipse(median.front(), 3, 3);
    else
        painter.drawPolyline(median);
    painter.setRenderHint(QPainter::Antialiasing, false);
    drawXAxis(painter, p, x);
    drawYAxis(painter, p, y, false);
}

void DistributionChart::paintEvent(QPaintEvent *) {
    if (m_cache.isNull() || m_cache.size() != size() * devicePixelRatioF()) renderCache();
    QPainter painter(this);
    painter.drawPixmap(0, 0, m_cache);
    if (m_hover < 0) return;
    const QRectF p = plotRect();
    const double first = double(m_steps.front()), last = double(m_steps.back());
    const AxisMap x{first, last > first ? last : first + 1, p.left(), p.right()};
    painter.setPen(QPen(QColor(30, 30, 30, 140), 1, Qt::DashLine));
    const double px = x(double(step(m_hover)));
    painter.drawLine(QPointF(px, p.top()), QPointF(px, p.bottom()));
}

void DistributionChart::resizeEvent(QResizeEvent *event) {
    QWidget::resizeEvent(event);
    m_cache = {};
}

void DistributionChart::mouseMoveEvent(QMouseEvent *event) {
    const int i = stepAt(event->position());
    if (i == m_hover) return;
    m_hover = i;
    setToolTip(describe(i));
    update();
}

void DistributionChart::leaveEvent(QEvent *) {
    m_hover = -1;
    update();
}

} // namespace trainscope
