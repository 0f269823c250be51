// A parallel-coordinates plot of a sweep: one vertical axis per searched parameter (log scales
// where the space says so, choices as evenly spaced ticks) plus the score; one line per trial,
// its tooltip the trial's id, score and parameters; dragging along an axis brushes a range.
#pragma once

#include "core/tune/searchspace.h"
#include "core/tune/trial.h"

#include <QColor>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QWidget>
#include <optional>
#include <vector>

namespace trainscope {

// Viridis (perceptually uniform, readable in grey and by most colour-blind readers); t in 0..1.
QColor viridis(double t);

class ParallelCoordinates : public QWidget {
    Q_OBJECT
public:
    explicit ParallelCoordinates(QWidget *parent = nullptr);

    void setSpace(const SearchSpace &space); // Fixed parameters get no axis
    void setObjective(const Objective &objective);
    // Only COMPLETED trials with a score are drawn; colour runs from worst to best score.
    void setTrials(const std::vector<Trial> &trials);
    void setHighlightedTrial(int trialId); // drawn on top, thicker (0: none)

    int axisCount() const { return int(m_params.size()) + 1; } // the score axis is last
    QString axisName(int axis) const;
    QRectF plotRect() const; // the axes' vertical extent and horizontal span
    double axisX(int axis) const;
    // Where trial `trialId`'s line crosses `axis` (nothing: not drawn, or inactive there).
    std::optional<QPointF> pointFor(int trialId, int axis) const;
    int bestTrialId() const { return m_bestId; }                 // 0: none
    int trialAt(const QPointF &pos, double tolerance = 6) const; // 0: none near
    QString toolTipFor(int trialId) const;

    // Brushes: per axis a range (unit positions, 0 bottom .. 1 top) that a line must cross to
    // stay in colour; the others are greyed. Set by dragging along an axis, cleared by a click
    // on the axis off any line; kept while trials change, cleared when the space does.
    void setBrush(int axis, double lo, double hi);
    void clearBrush(int axis);
    void clearBrushes();
    std::optional<QRectF> brushRect(int axis) const; // where it is drawn (nothing: no brush)
    std::vector<int> brushedTrialIds() const;        // the trials in every brush, in id order

    QSize sizeHint() const override { return {560, 300}; }
    QSize minimumSizeHint() const override { return {240, 160}; }

signals:
    void trialHovered(int trialId); // 0 when the mouse leaves every line
    void trialClicked(int trialId);
    void brushChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override; // tooltips
    void leaveEvent(QEvent *event) override;

private:
    struct Line {
        int id;
        double score;
        std::vector<std::optional<double>> unit; // per axis, 0 bottom .. 1 top
    };
    void rebuild();
    std::vector<std::optional<QPointF>> points(const Line &line) const;
    double unitOf(const Param &p, const ParamValue &v) const;
    QColor colorOf(const Line &line) const;
    void paintAxis(QPainter &painter, int axis) const;
    void paintBrush(QPainter &painter, int axis) const;
    bool passes(const Line &line) const;    // inside every brush
    int axisNear(const QPointF &pos) const; // -1: none
    double unitAt(double y) const;

    std::vector<Param> m_params;
    Objective m_objective;
    std::vector<Trial> m_trials; // the drawn ones
    std::vector<Line> m_lines;   // worst first, so the best are painted on top
    double m_scoreMin = 0, m_scoreMax = 1;
    int m_bestId = 0, m_highlightId = 0, m_hoverId = 0;
    std::vector<std::optional<std::pair<double, double>>> m_brushes; // per axis
    int m_pressAxis = -1;    // a press near this axis may start a brush
    bool m_brushing = false; // ... and the mouse has moved along it
    QPointF m_pressPos;
};

} // namespace trainscope
