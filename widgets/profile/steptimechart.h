// The step-time breakdown chart: one stacked bar per profiled step, a layer per TimeCategory
// (input at the bottom), so an input-bound step is visibly tall in one colour.
#pragma once

#include "core/profile/stepstats.h"

#include <QColor>
#include <QMap>
#include <QVector>
#include <QWidget>
#include <array>

class QCustomPlot;
class QCPAxis;
class QCPBars;

namespace trainscope {

// Stable colours and display names ("host to device") of the categories.
QColor timeCategoryColor(TimeCategory category);
QString timeCategoryLabel(TimeCategory category);
// One bar series per category on `keys` against `values`, stacked with input at the bottom.
std::array<QCPBars *, kTimeCategories> stackedCategoryBars(QCPAxis *keys, QCPAxis *values,
                                                           double width);

class StepTimeChart : public QWidget {
    Q_OBJECT
public:
    explicit StepTimeChart(QWidget *parent = nullptr);

    void setSteps(const QVector<StepStats> &steps);    // replaces
    void appendSteps(const QVector<StepStats> &steps); // a step seen again replaces its bar
    void clear();
    int stepCount() const { return int(m_steps.size()); }

    QCPBars *bars(TimeCategory category) const { return m_bars[size_t(category)]; }
    QCustomPlot *plot() const { return m_plot; }
    // What hovering over plot coordinate `key` shows (empty away from every bar).
    QString toolTipAt(double key) const;
    void replotNow();

private:
    void rebuild();
    void scheduleReplot();
    void showToolTip(QMouseEvent *event);

    QMap<qint64, StepStats> m_steps; // by step
    QCustomPlot *m_plot;
    std::array<QCPBars *, kTimeCategories> m_bars{};
};

} // namespace trainscope
