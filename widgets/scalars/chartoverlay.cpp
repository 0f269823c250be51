#include "widgets/scalars/chartoverlay.h"

#include <cmath>
#include <qcustomplot.h>

namespace trainscope {

ChartOverlay::ChartOverlay(QCustomPlot *plot)
    : m_plot(plot) {
    plot->addLayer("hover", plot->layer("main"), QCustomPlot::limAbove);
    m_layer = plot->layer("hover");
    m_layer->setMode(QCPLayer::lmBuffered);

    m_veil = new QCPItemRect(plot);
    m_veil->setLayer(m_layer);
    for (QCPItemPosition *p : {m_veil->topLeft, m_veil->bottomRight})
        p->setType(QCPItemPosition::ptAxisRectRatio);
    m_veil->topLeft->setCoords(0, 0);
    m_veil->bottomRight->setCoords(1, 1);
    m_veil->setPen(Qt::NoPen);
    m_veil->setBrush(QColor(255, 255, 255, 170));
    m_veil->setSelectable(false);
    m_veil->setVisible(false);

    m_curve = plot->addGraph();
    m_curve->setLayer(m_layer);
    m_curve->setName("highlight");
    m_curve->removeFromLegend();
    m_curve->setSelectable(QCP::stNone);
    m_curve->setVisible(false);

    m_crosshair = new QCPItemLine(plot);
    m_crosshair->setLayer(m_layer);
    for (QCPItemPosition *p : {m_crosshair->start, m_crosshair->end}) {
        p->setTypeX(QCPItemPosition::ptPlotCoords);
        p->setTypeY(QCPItemPosition::ptAxisRectRatio);
    }
    m_crosshair->setPen(QPen(QColor(0, 0, 0, 110), 1, Qt::DashLine));
    m_crosshair->setSelectable(false);
    m_crosshair->setVisible(false);
}

void ChartOverlay::highlight(const QColor &color, const std::vector<double> &x,
                             const std::vector<double> &y) {
    QVector<QCPGraphData> points(int(x.size()));
    for (size_t i = 0; i < x.size(); ++i)
        points[int(i)] = QCPGraphData(x[i], y[i]);
    m_curve->data()->set(points, true);
    m_curve->setPen(QPen(color, 2.6));
    m_curve->setScatterStyle(x.size() == 1 ? QCPScatterStyle(QCPScatterStyle::ssDisc, 9)
                                           : QCPScatterStyle());
    m_curve->setVisible(true);
    m_veil->setVisible(true);
}

void ChartOverlay::clearHighlight() {
    m_curve->setVisible(false);
    m_curve->data()->clear();
    m_veil->setVisible(false);
}

bool ChartOverlay::highlighted() const {
    return m_curve->visible();
}

void ChartOverlay::setCrosshair(double x) {
    const bool show = std::isfinite(x);
    m_crosshair->setVisible(show);
    if (!show) return;
    m_crosshair->start->setCoords(x, 0);
    m_crosshair->end->setCoords(x, 1);
}

void ChartOverlay::redraw() {
    m_layer->replot();
}

} // namespace trainscope
