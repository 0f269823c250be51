// What a chart draws over its curves as the mouse moves: the hovered curve, thick, over a veil
// that dims the rest, and a vertical crosshair (its own, or another chart's when x is synced).
// It lives on a buffered layer of its own, so a mouse move repaints it alone, never the
// thousands of curves under it.
#pragma once

#include <QColor>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPItemLine;
class QCPItemRect;
class QCPLayer;

namespace trainscope {

class ChartOverlay {
public:
    explicit ChartOverlay(QCustomPlot *plot);

    // Draws one curve (its decimated points) over a veil; clear() lifts both.
    void highlight(const QColor &color, const std::vector<double> &x, const std::vector<double> &y);
    void clearHighlight();
    bool highlighted() const;
    void setCrosshair(double x); // NaN hides it
    // Repaints the overlay layer alone (after a full replot it is drawn anyway).
    void redraw();

private:
    QCustomPlot *m_plot;
    QCPLayer *m_layer;
    QCPItemRect *m_veil;
    QCPGraph *m_curve;
    QCPItemLine *m_crosshair;
};

} // namespace trainscope
