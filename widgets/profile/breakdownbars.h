// Two profiles' mean step side by side: one horizontal bar each (baseline above, candidate
// below), stacked by time category in the Profile tab's colours, on one time axis.
#pragma once

#include "core/profile/stepstats.h"

#include <QWidget>
#include <array>

class QCustomPlot;
class QCPBars;

namespace trainscope {

class BreakdownBars : public QWidget {
    Q_OBJECT
public:
    explicit BreakdownBars(QWidget *parent = nullptr);

    // Means per category (ms), by TimeCategory; the labels name the bars.
    void setMeans(const std::array<double, kTimeCategories> &baseline,
                  const std::array<double, kTimeCategories> &candidate,
                  const QString &baselineLabel, const QString &candidateLabel);
    void clear();

    QCustomPlot *plot() const { return m_plot; }
    double barLength(int bar) const; // ms: 0 the baseline, 1 the candidate

private:
    QCustomPlot *m_plot;
    std::array<QCPBars *, kTimeCategories> m_bars{};
};

} // namespace trainscope
