// A confusion matrix drawn as a heatmap: true classes down the side, predicted classes along
// the bottom, each cell's count or row share written in it, a tooltip naming both classes.
#pragma once

#include "core/jobs/observer.h"

#include <QRect>
#include <QWidget>

namespace trainscope {

// The share of true class `trueClass` predicted as `predicted` (0 for a class never seen).
double rowNormalized(const ConfusionMatrix &matrix, int trueClass, int predicted);
// The diagonal's share of every count: the accuracy (0 for an empty matrix).
double diagonalAccuracy(const ConfusionMatrix &matrix);
// counts holds classes x classes values.
bool isWellFormed(const ConfusionMatrix &matrix);

class ConfusionHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionHeatmap(QWidget *parent = nullptr);

    // Shows `matrix` (nullptr: nothing); the view keeps it alive while shown.
    void setMatrix(const ConfusionMatrix *matrix);
    void setNormalized(bool on);
    bool normalized() const { return m_normalized; }

    // What a cell shows: a count, or its row share (0..1) when normalised.
    double value(int trueClass, int predicted) const;
    QString cellText(int trueClass, int predicted) const;
    QString toolTipAt(const QPoint &pos) const;
    QRect cellRect(int trueClass, int predicted) const;

    QSize sizeHint() const override { return {520, 460}; }
    QSize minimumSizeHint() const override { return {200, 180}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void layoutCells();
    QColor cellColor(double t) const;

    const ConfusionMatrix *m_matrix = nullptr;
    bool m_normalized = false;
    double m_maxCount = 0;
    // Layout: the grid's top-left, a cell's side, and whether column names stand upright.
    QPoint m_origin;
    int m_cell = 0;
    bool m_verticalColumnNames = false;
    int m_columnNamesHeight = 0;
    int m_rowNamesWidth = 0;
};

} // namespace trainscope
