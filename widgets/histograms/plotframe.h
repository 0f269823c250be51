// The little the histogram charts need of a plot: a data-to-pixel mapping, round tick values
// and the axes drawn with them. QCustomPlot is not used here: ridges are baselines in step
// space with heights in count space, which no QCustomPlot plottable models.
#pragma once

#include <QPixmap>
#include <QRectF>
#include <QString>
#include <vector>

class QPainter;
class QWidget;

namespace trainscope {

// Round values (1, 2 or 5 times a power of ten) within [lo, hi], at most about `count`.
std::vector<double> niceTicks(double lo, double hi, int count);
QString tickLabel(double value);

struct AxisMap {
    double lo = 0, hi = 1;   // data
    double from = 0, to = 1; // pixels (to may be less than from: y grows downwards)
    double operator()(double v) const {
        return hi > lo ? from + (v - lo) / (hi - lo) * (to - from) : (from + to) / 2;
    }
    double inverse(double px) const {
        return to != from ? lo + (px - from) / (to - from) * (hi - lo) : lo;
    }
};

// A chart's cached drawing: the widget's size at its pixel ratio, filled with its background.
QPixmap chartCanvas(const QWidget &chart);
// What an empty chart says, centred in `plot`.
void drawEmpty(QPainter &painter, const QRectF &plot, const QString &text);

// The x axis below `plot` and a y axis on its left (or right), with labels at nice ticks.
void drawXAxis(QPainter &painter, const QRectF &plot, const AxisMap &x);
void drawYAxis(QPainter &painter, const QRectF &plot, const AxisMap &y, bool right);

} // namespace trainscope
