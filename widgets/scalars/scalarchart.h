// One tag's chart: a curve per run (raw, faint, and smoothed), x by step, relative or wall
// time, log-scale y, outlier-robust y range, a hover tooltip with every run's value, and
// export to PNG, SVG and CSV. Keeps every point; draws at most four per pixel column.
#pragma once

#include "widgets/scalars/curvelod.h"

#include <QColor>
#include <QMap>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QLabel;
class QToolButton;

namespace trainscope {

class DenseCurves;
class ScalarSeries;

enum class XAxisMode { Step, Relative, Wall };

struct ChartSettings {
    double smoothing = 0.6;
    XAxisMode xAxis = XAxisMode::Step;
    bool ignoreOutliers = false;
};

class ScalarChart : public QWidget {
    Q_OBJECT
public:
    // Up to this many shown curves are antialiased lines; beyond it every curve is drawn as
    // 1-pixel column spans, in one image (DenseCurves).
    static constexpr size_t kMaxLineCurves = 64;

    explicit ScalarChart(const QString &tag, QWidget *parent = nullptr);

    QString tag() const { return m_tag; }
    // Shows `series` (owned by the index, which outlives the chart) for `run`; call again
    // when the series grew. `runStart` is the run's first wall time (for relative time).
    void setCurve(const QString &run, const QColor &color, const ScalarSeries *series,
                  double runStart);
    void removeCurve(const QString &run);
    // Which runs' curves are drawn, fitted, hovered and exported (every curve, until this is
    // called). A run-list edit at 10,000 runs hides and shows curves, each O(1), and replots
    // once: removing QCustomPlot graphs one by one costs O(graphs) each.
    void setShownRuns(const QSet<QString> &runs);
    bool hasCurve(const QString &run) const { return m_curves.contains(run); }
    QStringList runs() const; // the shown ones, sorted
    bool showsAnyRun() const;
    size_t pointCount(const QString &run) const;

    void setSettings(const ChartSettings &settings);
    const ChartSettings &settings() const { return m_settings; }
    void setLogY(bool on);
    bool logY() const { return m_logY; }

    void resetView(); // fit every point
    void replotNow(); // decimate for the current view and draw, synchronously
    QCustomPlot *plot() const { return m_plot; }

    QString toolTipAt(double x) const; // what hovering at plot coordinate x shows
    bool exportPng(const QString &path);
    bool exportSvg(const QString &path);
    bool exportCsv(const QString &path) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Curve {
        QColor color;
        const ScalarSeries *series = nullptr;
        double runStart = 0;
        std::vector<size_t> order; // series index of each sorted point
        CurveLod raw, smoothed;
        bool shown = true;
        QCPGraph *rawGraph = nullptr, *smoothGraph = nullptr; // sparse views: lines
    };

    void rebuild(Curve &curve); // keys, order and smoothing from the series
    double keyOf(const Curve &c, size_t seriesIndex) const;
    void fitY();
    void fitX(); // every shown point
    static void releasePoints(QCPGraph *graph);
    void scheduleReplot();
    void styleGraphs(Curve &curve);
    void showExportMenu();

    QString m_tag;
    ChartSettings m_settings;
    bool m_logY = false;
    bool m_autoX = true;         // follow the data as it grows until the user zooms
    bool m_fitXPending = false;  // fit x at the next replot (curves came or went)
    bool m_settingRange = false; // our own range changes are not the user's
    QMap<QString, Curve> m_curves;
    QCustomPlot *m_plot;
    DenseCurves *m_dense; // dense views: every curve's min-max spans, drawn at once
    QLabel *m_title;
    QToolButton *m_logButton;
    QTimer m_replotTimer;
};

} // namespace trainscope
