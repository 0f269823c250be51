#include "widgets/profile/steptimechart.h"

#include "widgets/profile/sectionparts.h"

#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

namespace trainscope {

QColor timeCategoryColor(TimeCategory category) {
    // Input in a warm red so an input-bound chart reads at a glance; compute in green/blue.
    static const char *const colors[kTimeCategories] = {"#e4572e", "#9c27b0", "#2e9e5b", "#f2b134",
                                                        "#3b7dd8", "#ec7fb0", "#9e9e9e"};
    return QColor(colors[int(category)]);
}

QString timeCategoryLabel(TimeCategory category) {
    return QString::fromUtf8(timeCategoryName(category)).replace('_', ' ');
}

std::array<QCPBars *, kTimeCategories> stackedCategoryBars(QCPAxis *keys, QCPAxis *values,
                                                           double width) {
    std::array<QCPBars *, kTimeCategories> out{};
    QCPBars *below = nullptr;
    for (int i = 0; i < kTimeCategories; ++i) {
        auto *bars = new QCPBars(keys, values);
        bars->setName(timeCategoryLabel(TimeCategory(i)));
        bars->setPen(Qt::NoPen);
        bars->setBrush(timeCategoryColor(TimeCategory(i)));
        bars->setWidth(width);
        bars->setStackingGap(0);
        if (below) bars->moveAbove(below);
        below = bars;
        out[size_t(i)] = bars;
    }
    return out;
}

StepTimeChart::StepTimeChart(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this)) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);

    m_plot->xAxis->setLabel("step");
    QSharedPointer<QCPAxisTickerFixed> wholeSteps(new QCPAxisTickerFixed); // no "step 1.5"
    wholeSteps->setTickStep(1.0);
    wholeSteps->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_plot->xAxis->setTicker(wholeSteps);
    m_plot->yAxis->setLabel("time (ms)");
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_bars = stackedCategoryBars(m_plot->xAxis, m_plot->yAxis, 0.8);
    // The legend as a row above the chart, in category order, so it never hides a bar.
    putLegendAbove(m_plot, kTimeCategories);
    m_plot->legend->setIconSize(14, 9);
    m_plot->legend->setMargins(QMargins(4, 1, 4, 1));

    connect(m_plot, &QCustomPlot::mouseMove, this, &StepTimeChart::showToolTip);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { rebuild(); });
    setMinimumHeight(180);
}

void StepTimeChart::setSteps(const QVector<StepStats> &steps) {
    m_steps.clear();
    appendSteps(steps);
}

void StepTimeChart::appendSteps(const QVector<StepStats> &steps) {
    for (const StepStats &s : steps)
        m_steps.insert(s.step, s);
    rebuild();
}

void StepTimeChart::clear() {
    m_steps.clear();
    rebuild();
}

void StepTimeChart::rebuild() {
    QVector<double> keys;
    keys.reserve(m_steps.size());
    std::array<QVector<double>, kTimeCategories> values;
    double top = 0;
    for (const StepStats &s : m_steps) {
        keys.append(double(s.step));
        double sum = 0;
        for (int c = 0; c < kTimeCategories; ++c) {
            values[size_t(c)].append(s.ms[size_t(c)]);
            sum += s.ms[size_t(c)];
        }
        top = std::max({top, sum, s.totalMs});
    }
    for (int c = 0; c < kTimeCategories; ++c)
        m_bars[size_t(c)]->setData(keys, values[size_t(c)], true);
    if (!keys.isEmpty()) {
        m_plot->xAxis->setRange(keys.first() - 0.6, keys.last() + 0.6);
        m_plot->yAxis->setRange(0, top > 0 ? top * 1.08 : 1);
    } else {
        m_plot->xAxis->setRange(0, 1);
        m_plot->yAxis->setRange(0, 1);
    }
    scheduleReplot();
}

void StepTimeChart::scheduleReplot() {
    // Queued: several batches arriving together cost one repaint.
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void StepTimeChart::replotNow() {
    m_plot->replot();
}

QString StepTimeChart::toolTipAt(double key) const {
    const qint64 step = qint64(std::llround(key));
    auto it = m_steps.constFind(step);
    if (it == m_steps.constEnd() || std::abs(key - double(step)) > 0.4) return {};
    const StepStats &s = *it;
    QStringList lines{QString("step %1: %2 ms").arg(s.step).arg(s.totalMs, 0, 'f', 2)};
    for (int c = kTimeCategories - 1; c >= 0; --c) // top of the stack first, as drawn
        if (s.ms[size_t(c)] > 0)
            lines << QString("%1: %2 ms (%3%)")
                         .arg(timeCategoryLabel(TimeCategory(c)))
                         .arg(s.ms[size_t(c)], 0, 'f', 2)
                         .arg(s.totalMs > 0 ? 100 * s.ms[size_t(c)] / s.totalMs : 0, 0, 'f', 0);
    return lines.join('\n');
}

void StepTimeChart::showToolTip(QMouseEvent *event) {
    const QString text = toolTipAt(m_plot->xAxis->pixelToCoord(event->position().x()));
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
}

} // namespace trainscope
