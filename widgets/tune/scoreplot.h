// Score against trial number: one dot per scored trial in its status colour and the best score
// so far as a step line (higher or lower is better, as the objective says).
#pragma once

#include "core/tune/trial.h"

#include <QVector>
#include <QWidget>
#include <vector>

class QCPGraph;
class QCustomPlot;
class QMouseEvent;

namespace trainscope {

class ScorePlot : public QWidget {
    Q_OBJECT
public:
    explicit ScorePlot(QWidget *parent = nullptr);

    void setObjective(const Objective &objective);
    void setTrials(const std::vector<Trial> &trials);

    // The step line: one point per COMPLETED trial (by id) holding the best score up to it, and
    // a last point at the newest trial's id so the line reaches the right edge.
    const QVector<double> &bestSoFarKeys() const { return m_bestKeys; }
    const QVector<double> &bestSoFarValues() const { return m_bestValues; }
    int pointCount(TrialStatus status) const; // the dots drawn for a status
    QCustomPlot *plot() const { return m_plot; }

signals:
    void trialClicked(int trialId);

private:
    void rebuild();
    int trialNear(const QPointF &pos) const; // 0: none within a few pixels
    void showToolTip(QMouseEvent *event);

    QCustomPlot *m_plot;
    QCPGraph *m_best;
    std::vector<QCPGraph *> m_byStatus; // indexed by TrialStatus
    Objective m_objective;
    std::vector<Trial> m_trials; // the scored ones, by id
    int m_lastId = 0;            // the newest trial, scored or not
    QVector<double> m_bestKeys, m_bestValues;
};

} // namespace trainscope
