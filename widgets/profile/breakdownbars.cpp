#include "widgets/profile/breakdownbars.h"

#include "widgets/profile/sectionparts.h"
#include "widgets/profile/steptimechart.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

namespace trainscope {

BreakdownBars::BreakdownBars(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this)) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->xAxis->setLabel("mean step (ms)");
    m_plot->yAxis->setRangeReversed(true); // the baseline on top
    m_plot->yAxis->setRange(0.4, 2.6);
    m_plot->yAxis->grid()->setVisible(false);
    m_bars = stackedCategoryBars(m_plot->yAxis, m_plot->xAxis, 0.6); // keys on y: horizontal
    putLegendAbove(m_plot, kTimeCategories);
    m_plot->legend->setIconSize(14, 9);
    clear();
}

void BreakdownBars::setMeans(const std::array<double, kTimeCategories> &baseline,
                             const std::array<double, kTimeCategories> &candidate,
                             const QString &baselineLabel, const QString &candidateLabel) {
    double longest = 0;
    for (int s = 0; s < 2; ++s) {
        double sum = 0;
        for (double ms : s == 0 ? baseline : candidate)
            sum += ms;
        longest = std::max(longest, sum);
    }
    for (int c = 0; c < kTimeCategories; ++c) {
        m_bars[size_t(c)]->setData({1, 2}, {baseline[size_t(c)], candidate[size_t(c)]}, true);
        m_bars[size_t(c)]->setVisible(baseline[size_t(c)] > 0 || candidate[size_t(c)] > 0);
        m_bars[size_t(c)]->removeFromLegend();
        if (m_bars[size_t(c)]->visible()) m_bars[size_t(c)]->addToLegend();
    }
    QSharedPointer<QCPAxisTickerText> names(new QCPAxisTickerText);
    names->addTick(1, baselineLabel);
    names->addTick(2, candidateLabel);
    m_plot->yAxis->setTicker(names);
    m_plot->xAxis->setRange(0, longest > 0 ? longest * 1.05 : 1);
    m_plot->replot();
}

void BreakdownBars::clear() {
    for (QCPBars *bars : m_bars)
        bars->data()->clear();
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    m_plot->replot();
}

double BreakdownBars::barLength(int bar) const {
    double sum = 0;
    for (QCPBars *bars : m_bars) {
        auto it = bars->data()->findBegin(bar + 1, false);
        if (it != bars->data()->constEnd() && it->key == bar + 1) sum += it->value;
    }
    return sum;
}

} // namespace trainscope
