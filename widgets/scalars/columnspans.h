// A QCustomPlot plottable for dense curves: per pixel column, one filled span from the
// column's min to its max (stretched to meet its neighbours), which is exactly what a 1-pixel
// line through every point would cover, drawn as a thousand rectangle fills instead of
// thousands of tall strokes.
#pragma once

#include <qcustomplot.h>
#include <vector>

namespace trainscope {

class ColumnSpans : public QCPAbstractPlottable {
    Q_OBJECT
public:
    ColumnSpans(QCPAxis *keyAxis, QCPAxis *valueAxis);

    // One entry per column, sorted by key: its centre and its value range.
    void setSpans(std::vector<double> keys, std::vector<float> lo, std::vector<float> hi);
    void clearSpans() { setSpans({}, {}, {}); }
    size_t spanCount() const { return m_keys.size(); }

    double selectTest(const QPointF &pos, bool onlySelectable,
                      QVariant *details = nullptr) const override;
    QCPRange getKeyRange(bool &foundRange,
                         QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool &foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                           const QCPRange &inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter *painter) override;
    void drawLegendIcon(QCPPainter *painter, const QRectF &rect) const override;

private:
    std::vector<double> m_keys;
    std::vector<float> m_lo, m_hi;
};

} // namespace trainscope
