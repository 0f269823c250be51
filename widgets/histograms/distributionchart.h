// One tag's histograms in one run as TensorBoard's Distributions tab draws them: over the
// steps, bands between the percentiles of kDistributionBasisPoints (min–max, ±1.5σ, ±1σ,
// ±0.5σ, darker inwards) and the median as a line. Hover lists a step's percentiles.
#pragma once

#include "core/events/eventvalues.h"
#include "core/events/rundata.h"

#include <QColor>
#include <QPixmap>
#include <QWidget>
#include <array>
#include <vector>

namespace trainscope {

class DistributionChart : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxSteps = 1000; // drawn; spread evenly, first and last included

    explicit DistributionChart(QWidget *parent = nullptr);

    // `data` is owned by the index and outlives the chart; call again when it grew.
    void setHistograms(const std::vector<Stamped<HistogramValue>> *data, const QColor &color);

    int stepCount() const { return int(m_steps.size()); }
    int64_t step(int i) const { return m_steps[size_t(i)]; }
    const std::array<double, 9> &percentiles(int i) const { return m_values[size_t(i)]; }

    QRectF plotRect() const;
    int stepAt(const QPointF &pos) const; // -1: none
    QString describe(int i) const;

    QSize sizeHint() const override { return {360, 240}; }
    QSize minimumSizeHint() const override { return {200, 140}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    void renderCache();

    QColor m_color;
    std::vector<int64_t> m_steps;
    std::vector<std::array<double, 9>> m_values;
    double m_lo = 0, m_hi = 1;
    QPixmap m_cache;
    int m_hover = -1;
};

} // namespace trainscope
