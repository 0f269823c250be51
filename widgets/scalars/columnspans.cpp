#include "widgets/scalars/columnspans.h"

#include <algorithm>
#include <cmath>

namespace trainscope {

ColumnSpans::ColumnSpans(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : QCPAbstractPlottable(keyAxis, valueAxis) {
    setAntialiased(false); // whole-pixel rectangles: antialiasing would only slow the fill
}

void ColumnSpans::setSpans(std::vector<double> keys, std::vector<float> lo, std::vector<float> hi) {
    m_keys = std::move(keys);
    m_lo = std::move(lo);
    m_hi = std::move(hi);
}

double ColumnSpans::selectTest(const QPointF &, bool, QVariant *) const {
    return -1;
} // not selectable

QCPRange ColumnSpans::getKeyRange(bool &foundRange, QCP::SignDomain) const {
    foundRange = !m_keys.empty();
    return foundRange ? QCPRange(m_keys.front(), m_keys.back()) : QCPRange();
}

QCPRange ColumnSpans::getValueRange(bool &foundRange, QCP::SignDomain, const QCPRange &) const {
    foundRange = !m_lo.empty();
    if (!foundRange) return {};
    return QCPRange(*std::min_element(m_lo.begin(), m_lo.end()),
                    *std::max_element(m_hi.begin(), m_hi.end()));
}

void ColumnSpans::draw(QCPPainter *painter) {
    if (m_keys.empty()) return;
    QCPAxis *keyAxis = mKeyAxis.data(), *valueAxis = mValueAxis.data();
    if (!keyAxis || !valueAxis) return;
    painter->setAntialiasing(false);
    const QBrush brush(mPen.color()); // one solid brush for every span
    const QRect clip = clipRect();
    int prevTop = 0, prevBottom = 0;
    bool havePrev = false;
    for (size_t i = 0; i < m_keys.size(); ++i) {
        const int x = int(std::floor(keyAxis->coordToPixel(m_keys[i])));
        const double a = valueAxis->coordToPixel(double(m_lo[i])),
                     b = valueAxis->coordToPixel(double(m_hi[i]));
        if (!std::isfinite(a) || !std::isfinite(b)) { // log axis and a non-positive value: a gap
            havePrev = false;
            continue;
        }
        const int top = int(std::floor(std::min(a, b))), bottom = int(std::ceil(std::max(a, b)));
        // Meet the previous column, as the line between them would.
        const int from = havePrev ? std::min(top, prevBottom) : top;
        const int to = havePrev ? std::max(bottom, prevTop) : bottom;
        prevTop = top;
        prevBottom = bottom;
        havePrev = true;
        if (x < clip.left() - 1 || x > clip.right() + 1) continue;
        painter->fillRect(QRect(x, from, 1, std::max(1, to - from)).intersected(clip), brush);
    }
}

void ColumnSpans::drawLegendIcon(QCPPainter *painter, const QRectF &rect) const {
    painter->fillRect(rect, mPen.color());
}

} // namespace trainscope
