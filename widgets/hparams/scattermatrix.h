// Every hparam against every metric, one small scatter plot each (hparams across, metrics
// down), one dot per session: numbers on a linear (or, over three decades, log) axis, other
// values evenly spaced. Selected sessions are drawn on top in a strong colour; a click picks
// the session under the mouse.
#pragma once

#include "core/events/hparamsessions.h"

#include <QSet>
#include <QWidget>
#include <optional>

namespace trainscope {

class ScatterMatrix : public QWidget {
    Q_OBJECT
public:
    static constexpr int kCellWidth = 150, kCellHeight = 120;

    explicit ScatterMatrix(QWidget *parent = nullptr);

    void setSessions(const HParamSessions *sessions); // owned by the caller, outlives its use
    void setSelected(const QSet<QString> &runs);

    QRectF cellRect(int hparam, int metric) const; // the plot area of one cell
    // Where session `row` is drawn in a cell (nothing: it lacks the hparam or the metric).
    std::optional<QPointF> pointFor(int row, int hparam, int metric) const;
    int sessionAt(const QPointF &pos) const; // -1: none within a few pixels

    QSize sizeHint() const override;

signals:
    void sessionClicked(int row);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    struct Axis {
        bool numeric = true, log = false;
        double lo = 0, hi = 1;
        std::vector<std::string> categories; // when not numeric
        double unit(const HParamValue &v) const; // 0..1, or NaN when it has no place
        double unit(double v) const;
    };
    void rebuild();

    const HParamSessions *m_sessions = nullptr;
    std::vector<Axis> m_x; // per hparam
    std::vector<Axis> m_y; // per metric
    QSet<QString> m_selected;
};

} // namespace trainscope
