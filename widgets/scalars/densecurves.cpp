#include "widgets/scalars/densecurves.h"

#include <QtConcurrent>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace trainscope {

DenseCurves::DenseCurves(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : QCPAbstractPlottable(keyAxis, valueAxis) {
    setAntialiased(false); // whole pixels
}

DenseCurves::Geometry DenseCurves::geometry() const {
    return {clipRect(), keyAxis()->range(), valueAxis()->range()};
}

DenseCurves::Canvas DenseCurves::canvas() const {
    Canvas c;
    c.geometry = geometry();
    c.image = QImage(c.geometry.clip.size(), QImage::Format_ARGB32_Premultiplied);
    c.image.fill(Qt::transparent);
    const QCPAxis *keyAxis = mKeyAxis.data(), *valueAxis = mValueAxis.data();
    if (!keyAxis || !valueAxis) return c;
    c.logValues = valueAxis->scaleType() == QCPAxis::stLogarithmic;
    c.pixelsPerKey = keyAxis->axisRect()->width() / c.geometry.keys.size();
    c.keyOrigin = keyAxis->coordToPixel(c.geometry.keys.lower);
    c.valueBottom = valueAxis->axisRect()->bottom();
    c.valueHeight = valueAxis->axisRect()->height();
    return c;
}

// As QCPAxis maps a value on a vertical axis, from the range the canvas was made for.
double DenseCurves::Canvas::valuePixel(float value) const {
    const QCPRange &r = geometry.values;
    const double v = double(value);
    if (!logValues) return valueBottom - (v - r.lower) / r.size() * valueHeight;
    if (!(v > 0) || !(r.lower > 0)) return NAN; // a log axis shows positive values only
    return valueBottom - std::log(v / r.lower) / std::log(r.upper / r.lower) * valueHeight;
}

void DenseCurves::clear() {
    m_canvas = Canvas();
}

double DenseCurves::selectTest(const QPointF &, bool, QVariant *) const {
    return -1;
} // not selectable

// The chart fits its axes itself, from every point: the image has no ranges to offer.
QCPRange DenseCurves::getKeyRange(bool &foundRange, QCP::SignDomain) const {
    foundRange = false;
    return {};
}

QCPRange DenseCurves::getValueRange(bool &foundRange, QCP::SignDomain, const QCPRange &) const {
    foundRange = false;
    return {};
}

void DenseCurves::rasterise(Canvas &canvas, const std::vector<Curve> &curves) {
    const QRect clip = canvas.geometry.clip;
    if (curves.empty() || canvas.image.isNull() || !(canvas.pixelsPerKey > 0)) return;
    for (const Curve &c : curves)
        canvas.spans += c.keys.size();
    const int width = clip.width(), height = clip.height();
    auto *pixels = reinterpret_cast<QRgb *>(canvas.image.bits());
    const qsizetype stride = canvas.image.bytesPerLine() / qsizetype(sizeof(QRgb));
    auto toPixel = [&](float v) { return canvas.valuePixel(v); };
    auto keyPixel = [&](double k) { return canvas.keyPixel(k); };
    auto pixelToKey = [&](double px) {
        return canvas.geometry.keys.lower + (px - canvas.keyOrigin) / canvas.pixelsPerKey;
    };

    // Each thread paints every curve into its own band of columns: disjoint pixels, and in
    // every column the curves' order is kept.
    const int bands = std::max(1, std::min(QThread::idealThreadCount(), width / 64));
    std::vector<int> bandIndex(static_cast<size_t>(bands));
    std::iota(bandIndex.begin(), bandIndex.end(), 0);
    QtConcurrent::blockingMap(bandIndex, [&](int band) {
        const int left = width * band / bands, right = width * (band + 1) / bands; // [left, right)
        for (const Curve &c : curves) {
            if (c.keys.empty()) continue;
            const QRgb rgb = c.color.rgba();
            // Only the spans in these columns, and one before: its edge meets the first.
            const double leftKey = pixelToKey(clip.left() + left - 1);
            size_t i =
                size_t(std::lower_bound(c.keys.begin(), c.keys.end(), leftKey) - c.keys.begin());
            if (i > 0) --i;
            int prevX = 0, prevTop = 0, prevBottom = 0;
            double prevMid = 0;
            bool havePrev = false;
            auto fill = [&](int x, int from, int to) {
                if (x < left) return;
                for (int y = std::max(0, from), end = std::min(height, to); y < end; ++y)
                    pixels[qsizetype(y) * stride + x] = rgb;
            };
            for (; i < c.keys.size(); ++i) {
                const int x = int(std::floor(keyPixel(c.keys[i]))) - clip.left();
                const double a = toPixel(c.lo[i]), b = toPixel(c.high(i));
                if (!std::isfinite(a) || !std::isfinite(b)) { // log axis, value <= 0: a gap
                    havePrev = false;
                    if (x >= right) break;
                    continue;
                }
                const double mid = (a + b) / 2 - clip.top();
                // Empty columns since the previous span (a sparse curve's points): the line
                // between the two, as the column spans it crosses.
                if (havePrev && x > prevX + 1)
                    for (int cx = prevX + 1; cx < std::min(x, right); ++cx) {
                        const double step = (mid - prevMid) / double(x - prevX);
                        const double ya = prevMid + step * (cx - prevX - 0.5),
                                     yb = prevMid + step * (cx - prevX + 0.5);
                        const int top = int(std::floor(std::min(ya, yb)));
                        const int bottom = std::max(top + 1, int(std::ceil(std::max(ya, yb))));
                        fill(cx, top, bottom);
                        prevTop = top;
                        prevBottom = bottom;
                    }
                if (x >= right) break;
                const int top = int(std::floor(std::min(a, b))) - clip.top(),
                          bottom = int(std::ceil(std::max(a, b))) - clip.top();
                // Meet the previous column, as the line between them would.
                const int from = havePrev ? std::min(top, prevBottom) : top;
                const int to = std::max(from + 1, havePrev ? std::max(bottom, prevTop) : bottom);
                prevX = x;
                prevMid = mid;
                prevTop = top;
                prevBottom = bottom;
                havePrev = true;
                fill(x, from, to);
            }
        }
    });
}

void DenseCurves::draw(QCPPainter *painter) {
    if (m_canvas.spans == 0 || m_canvas.image.isNull()) return;
    if (!(geometry() == m_canvas.geometry)) {
        if (!(geometry() == m_expected)) emit stale();
        return;
    }
    painter->drawImage(m_canvas.geometry.clip.topLeft(), m_canvas.image);
}

void DenseCurves::drawLegendIcon(QCPPainter *painter, const QRectF &rect) const {
    painter->fillRect(rect, Qt::gray);
}

} // namespace trainscope
