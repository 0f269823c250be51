// A parallel-coordinates plot of a sweep: one vertical axis per searched parameter (log scales
// where the space says so, choices as evenly spaced ticks) plus the score; one line per trial.
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

    QSize sizeHint() const override { return {560, 300}; }
    QSize minimumSizeHint() const override { return {240, 160}; }

signals:
    void trialHovered(int trialId); // 0 when the mouse leaves every line
    void trialClicked(int trialId);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
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
    QString tipFor(int trialId) const;
    void paintAxis(QPainter &painter, int axis) const;

    std::vector<Param> m_params;
    Objective m_objective;
    std::vector<Trial> m_trials; // the drawn ones
    std::vector<Line> m_lines;   // worst first, so the best are painted on top
    double m_scoreMin = 0, m_scoreMax = 1;
    int m_bestId = 0, m_highlightId = 0, m_hoverId = 0;
};

} // namespace trainscope
