// One QCustomPlot plottable for every dense curve of a chart: per pixel column, each curve's
// span from its min to its max (stretched to meet the neighbouring column, and across empty
// columns to the next span, as a 1-pixel line through every point would), written straight
// into an image on every core and drawn with one drawImage. Curves are rasterised as they
// come, a batch at a time, and only the image is kept: 10,000 runs cost one image, not their
// spans, and a frame O(columns x curves) pixel writes.
#pragma once

#include <QColor>
#include <QImage>
#include <qcustomplot.h>
#include <vector>

namespace trainscope {

class DenseCurves : public QCPAbstractPlottable {
    Q_OBJECT
public:
    DenseCurves(QCPAxis *keyAxis, QCPAxis *valueAxis);

    // One span per column, sorted by key: its centre and its value range (or, with `hi`
    // empty, points: lo alone).
    struct Curve {
        QColor color;
        std::vector<double> keys;
        std::vector<float> lo, hi;
        float high(size_t i) const { return hi.empty() ? lo[i] : hi[i]; }
    };
    // A new, empty image for the axes as they are now; then rasterise() curves into it in
    // drawing order, later ones over earlier ones.
    void begin();
    void rasterise(const std::vector<Curve> &curves);
    void clear();                                // nothing to draw
    size_t spanCount() const { return m_spans; } // rasterised since begin()

    double selectTest(const QPointF &pos, bool onlySelectable,
                      QVariant *details = nullptr) const override;
    QCPRange getKeyRange(bool &foundRange,
                         QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool &foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                           const QCPRange &inKeyRange = QCPRange()) const override;

signals:
    // The axes or the plot's size changed since the image was made (QCustomPlot replotted on
    // its own, after a resize): the image is not drawn, and the chart should rasterise again.
    void stale();

protected:
    void draw(QCPPainter *painter) override;
    void drawLegendIcon(QCPPainter *painter, const QRectF &rect) const override;

private:
    struct Geometry {
        QRect clip;
        QCPRange keys, values;
        bool operator==(const Geometry &o) const {
            return clip == o.clip && keys == o.keys && values == o.values;
        }
    };
    Geometry geometry() const;

    QImage m_image;
    Geometry m_geometry;
    size_t m_spans = 0;
};

} // namespace trainscope
