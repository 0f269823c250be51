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
    struct Geometry {
        QRect clip;
        QCPRange keys, values;
        bool operator==(const Geometry &o) const {
            return clip == o.clip && keys == o.keys && values == o.values;
        }
    };
    // An image for the axes as they were when it was made, with their mappings: it is made on
    // the GUI thread and may be filled on any, while the axes move on.
    struct Canvas {
        QImage image;
        Geometry geometry;
        bool logValues = false;
        double keyOrigin = 0, pixelsPerKey = 0;  // pixel x of key k: origin + (k - lower) * ppk
        double valueBottom = 0, valueHeight = 0; // the axis rect's, in pixels
        size_t spans = 0;                        // rasterised so far
        double keyPixel(double key) const {
            return keyOrigin + (key - geometry.keys.lower) * pixelsPerKey;
        }
        double valuePixel(float value) const; // NaN for a value a log axis cannot show
    };

    // A new, empty canvas for the axes as they are now (GUI thread).
    Canvas canvas() const;
    // Paints curves into it in drawing order, later ones over earlier ones (any thread).
    static void rasterise(Canvas &canvas, const std::vector<Curve> &curves);
    // A canvas for these axes is being filled: until it is shown, a frame for them is not
    // stale, only late (GUI thread).
    void expect(const Geometry &geometry) { m_expected = geometry; }
    // Draws this canvas from now on (GUI thread).
    void show(Canvas canvas) {
        m_canvas = std::move(canvas);
        m_expected = Geometry();
    }

    // The same on this plottable's own canvas: begin(), then rasterise() batch after batch.
    void begin() { m_canvas = canvas(); }
    void rasterise(const std::vector<Curve> &curves) { rasterise(m_canvas, curves); }
    void clear();                                       // nothing to draw
    size_t spanCount() const { return m_canvas.spans; } // rasterised since begin()

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
    Geometry geometry() const;

    Canvas m_canvas;
    Geometry m_expected;
};

} // namespace trainscope
