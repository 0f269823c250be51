#include "widgets/histograms/histogramchart.h"

#include "core/events/histogrambins.h"
#include "widgets/histograms/plotframe.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace trainscope {
namespace {

// Indices of at most `limit` entries, evenly spread, first and last included, in step order.
std::vector<size_t> sampledByStep(const std::vector<Stamped<HistogramValue>> &data, int limit) {
    std::vector<size_t> order(data.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return data[a].step < data[b].step; });
    if (order.size() <= size_t(limit)) return order;
    std::vector<size_t> out;
    out.reserve(size_t(limit));
    for (int i = 0; i < limit; ++i)
        out.push_back(
            order[size_t(std::llround(double(i) * double(order.size() - 1) / (limit - 1)))]);
    return out;
}

} // namespace

HistogramChart::HistogramChart(QWidget *parent)
    : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(minimumSizeHint());
}

void HistogramChart::setHistograms(const std::vector<Stamped<HistogramValue>> *data,
                                   const QColor &color) {
    m_color = color;
    m_steps.clear();
    m_counts.clear();
    m_hover = {};
    std::vector<std::vector<HistogramBucket>> buckets;
    if (data)
        for (size_t i : sampledByStep(*data, kMaxRidges)) {
            m_steps.push_back((*data)[i].step);
            buckets.push_back(histogramBuckets((*data)[i].value));
        }
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto &b : buckets)
        if (!b.empty()) {
            lo = std::min(lo, b.front().left);
            hi = std::max(hi, b.back().right);
        }
    if (!(lo <= hi)) lo = 0, hi = 1;
    if (lo == hi) { // one value everywhere: give it a visible width
        const double pad = lo == 0 ? 0.5 : std::abs(lo) * 0.1;
        lo -= pad, hi += pad;
    }
    m_lo = lo, m_hi = hi, m_maxCount = 0;
    for (const auto &b : buckets) {
        m_counts.push_back(rebinHistogram(b, lo, hi, kBins));
        for (double c : m_counts.back())
            m_maxCount = std::max(m_maxCount, c);
    }
    if (m_maxCount <= 0) m_maxCount = 1;
    m_cache = {};
    update();
}

void HistogramChart::setMode(HistogramMode mode) {
    if (mode == m_mode) return;
    m_mode = mode;
    m_cache = {};
    update();
}

QRectF HistogramChart::plotRect() const {
    return QRectF(8, 6, width() - 8 - (m_mode == HistogramMode::Offset ? 52 : 8),
                  height() - 6 - 20);
}

double HistogramChart::ridgeHeight() const {
    const QRectF p = plotRect();
    return m_mode == HistogramMode::Offset && m_steps.size() > 1 ? p.height() * 0.35 : p.height();
}

double HistogramChart::baseline(int ridge) const {
    const QRectF p = plotRect();
    if (m_mode == HistogramMode::Overlay || m_steps.size() < 2) return p.bottom();
    const double first = double(m_steps.front()), last = double(m_steps.back());
    const double age = last > first ? (last - double(m_steps[size_t(ridge)])) / (last - first) : 0;
    return p.bottom() - age * (p.height() - ridgeHeight());
}

QColor HistogramChart::ridgeColor(int ridge) const {
    // Older steps fade towards white, as TensorBoard's do.
    const double age = m_steps.size() > 1 ? 1.0 - double(ridge) / double(m_steps.size() - 1) : 0;
    const double keep = 1.0 - 0.75 * age;
    const QColor c = m_color.isValid() ? m_color : QColor(255, 112, 67);
    return QColor::fromRgbF(float(1 - (1 - c.redF()) * keep), float(1 - (1 - c.greenF()) * keep),
                            float(1 - (1 - c.blueF()) * keep));
}

QPointF HistogramChart::pointFor(int ridge, int bin) const {
    const QRectF p = plotRect();
    const double x = p.left() + (bin + 0.5) * p.width() / kBins;
    return {x, baseline(ridge) - binCount(ridge, bin) / m_maxCount * ridgeHeight()};
}

HistogramChart::Hover HistogramChart::hoverAt(const QPointF &pos) const {
    const QRectF p = plotRect();
    if (m_steps.empty() || pos.x() < p.left() || pos.x() > p.right()) return {};
    Hover h;
    h.bin = std::clamp(int((pos.x() - p.left()) / p.width() * kBins), 0, kBins - 1);
    if (m_mode == HistogramMode::Offset) {
        // The front-most ridge whose fill holds the point (newer ridges are drawn in front).
        for (int r = ridgeCount() - 1; r >= 0; --r)
            if (pos.y() <= baseline(r) + 1 && pos.y() >= pointFor(r, h.bin).y() - 1)
                return h.ridge = r, h;
    }
    // Else the ridge whose baseline (offset) or curve (overlay) is nearest.
    double best = std::numeric_limits<double>::infinity();
    for (int r = 0; r < ridgeCount(); ++r) {
        const double y = m_mode == HistogramMode::Offset ? baseline(r) : pointFor(r, h.bin).y();
        const double distance = std::abs(y - pos.y());
        if (distance <= best) best = distance, h.ridge = r; // ties: the newer, drawn in front
    }
    return h;
}

QString HistogramChart::describe(const Hover &h) const {
    if (h.ridge < 0 || h.bin < 0) return {};
    const double width = (m_hi - m_lo) / kBins;
    return QString("step %1\n[%2, %3): %4")
        .arg(ridgeStep(h.ridge))
        .arg(tickLabel(m_lo + h.bin * width), tickLabel(m_lo + (h.bin + 1) * width),
             QString::number(binCount(h.ridge, h.bin), 'g', 5));
}

void HistogramChart::renderCache() {
    m_cache = chartCanvas(*this);
    QPainter painter(&m_cache);
    const QRectF p = plotRect();
    if (m_steps.empty()) return drawEmpty(painter, p, "No histograms");
    // Antialiasing only where few lines are drawn: 100 antialiased filled ridges cost ~14 ms
    // a chart, aliased ones a fraction of that, and they overlap anyway.
    painter.setRenderHint(QPainter::Antialiasing, m_steps.size() <= 20);
    const AxisMap x{m_lo, m_hi, p.left(), p.right()};
    for (int r = 0; r < ridgeCount(); ++r) {
        QPolygonF line;
        line.reserve(kBins + 2);
        const double base = baseline(r);
        line << QPointF(p.left(), base);
        for (int b = 0; b < kBins; ++b)
            line << pointFor(r, b);
        line << QPointF(p.right(), base);
        const QColor color = ridgeColor(r);
        if (m_mode == HistogramMode::Offset) {
            painter.setPen(QPen(color.darker(130), 1));
            painter.setBrush(color);
            painter.drawPolygon(line);
        } else {
            painter.setPen(QPen(color, 1.2));
            painter.setBrush(Qt::NoBrush);
            painter.drawPolyline(line);
        }
    }
    painter.setRenderHint(QPainter::Antialiasing, false);
    drawXAxis(painter, p, x);
    if (m_mode == HistogramMode::Offset && m_steps.size() > 1) {
        // The step axis runs through the baselines: the oldest at the top, the newest below.
        const double top = baseline(0);
        const AxisMap steps{double(m_steps.front()), double(m_steps.back()), top, p.bottom()};
        drawYAxis(painter, QRectF(p.left(), top, p.width(), p.bottom() - top), steps, true);
    }
}

void HistogramChart::paintEvent(QPaintEvent *) {
    if (m_cache.isNull() || m_cache.size() != size() * devicePixelRatioF()) renderCache();
    QPainter painter(this);
    painter.drawPixmap(0, 0, m_cache);
    if (m_hover.ridge < 0) return;
    // The hovered ridge on top of the others, with its bin marked and named.
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF p = plotRect();
    QPolygonF line;
    line << QPointF(p.left(), baseline(m_hover.ridge));
    for (int b = 0; b < kBins; ++b)
        line << pointFor(m_hover.ridge, b);
    line << QPointF(p.right(), baseline(m_hover.ridge));
    painter.setPen(QPen(QColor(30, 30, 30), 1.5));
    painter.setBrush(Qt::NoBrush);
    painter.drawPolyline(line);
    painter.setBrush(QColor(30, 30, 30));
    painter.drawEllipse(pointFor(m_hover.ridge, m_hover.bin), 3, 3);
    painter.setPen(QColor(30, 30, 30));
    painter.drawText(p.adjusted(4, 2, -4, 0), Qt::AlignLeft | Qt::AlignTop,
                     describe(m_hover).replace('\n', "   "));
}

void HistogramChart::resizeEvent(QResizeEvent *event) {
    QWidget::resizeEvent(event);
    m_cache = {};
}

void HistogramChart::mouseMoveEvent(QMouseEvent *event) {
    const Hover h = hoverAt(event->position());
    if (h.ridge == m_hover.ridge && h.bin == m_hover.bin) return;
    m_hover = h;
    setToolTip(describe(h));
    update();
}

void HistogramChart::leaveEvent(QEvent *) {
    m_hover = {};
    update();
}

} // namespace trainscope
