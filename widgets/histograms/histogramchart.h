// One tag's histograms in one run, as TensorBoard draws them: offset (a ridge per step, older
// ones behind and above, the newest in front) or overlay (every step on one baseline). Hover
// names the step, the bin's range and its count. At most kMaxRidges steps are drawn, spread
// evenly over the run and always with the first and last; every step stays in the data.
#pragma once

#include "core/events/eventvalues.h"
#include "core/events/rundata.h"

#include <QColor>
#include <QPixmap>
#include <QWidget>
#include <vector>

namespace trainscope {

enum class HistogramMode { Offset, Overlay };

class HistogramChart : public QWidget {
    Q_OBJECT
public:
    static constexpr int kBins = 30;
    static constexpr int kMaxRidges = 100;

    explicit HistogramChart(QWidget *parent = nullptr);

    // `data` is owned by the index and outlives the chart; call again when it grew.
    void setHistograms(const std::vector<Stamped<HistogramValue>> *data, const QColor &color);
    void setMode(HistogramMode mode);
    HistogramMode mode() const { return m_mode; }

    int ridgeCount() const { return int(m_steps.size()); }
    int64_t ridgeStep(int ridge) const { return m_steps[size_t(ridge)]; }
    double binCount(int ridge, int bin) const { return m_counts[size_t(ridge)][size_t(bin)]; }
    double lo() const { return m_lo; }
    double hi() const { return m_hi; }

    struct Hover {
        int ridge = -1, bin = -1;
    };
    QRectF plotRect() const;
    Hover hoverAt(const QPointF &pos) const;
    QString describe(const Hover &hover) const; // "step N\n[a, b): count"
    // Where ridge `ridge` is drawn at the middle of bin `bin` (its top edge).
    QPointF pointFor(int ridge, int bin) const;

    QSize sizeHint() const override { return {360, 240}; }
    QSize minimumSizeHint() const override { return {200, 140}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    double baseline(int ridge) const;
    double ridgeHeight() const;
    QColor ridgeColor(int ridge) const;
    void renderCache();

    HistogramMode m_mode = HistogramMode::Offset;
    QColor m_color;
    std::vector<int64_t> m_steps;              // per drawn ridge, oldest first
    std::vector<std::vector<double>> m_counts; // per ridge, kBins counts over [m_lo, m_hi]
    double m_lo = 0, m_hi = 1, m_maxCount = 1;
    QPixmap m_cache;
    Hover m_hover;
};

} // namespace trainscope
