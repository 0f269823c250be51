// One chart: a curve per run and tag (raw, faint, and smoothed), or per group of runs (their
// mean or median inside a band); x by step, relative or wall time, log-scale y, outlier-robust
// y range, a tooltip of the curves near the mouse, the hovered curve highlighted (a click
// names its runs), and export to PNG, SVG and CSV. Keeps every point; draws at most four per
// pixel column.
#pragma once

#include "widgets/scalars/curvelod.h"
#include "widgets/scalars/densecurves.h"
#include "widgets/scalars/rungrouping.h"

#include <QColor>
#include <QFutureWatcher>
#include <QHash>
#include <QMap>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QWidget>
#include <atomic>
#include <cmath>
#include <memory>
#include <unordered_map>

class QCustomPlot;
class QCPGraph;
class QHBoxLayout;
class QLabel;
class QToolButton;

namespace trainscope {

class ChartOverlay;
class ScalarSeries;

enum class XAxisMode { Step, Relative, Wall };

// The data behind one curve (owned by the index, which outlives the chart).
struct CurveSource {
    QString run; // whose points they are: a click on the curve selects it
    const ScalarSeries *series = nullptr;
    const ScalarSeries *lower = nullptr, *upper = nullptr; // a margin chart's band, or null
    double runStart = 0; // the run's first wall time (for relative time)
};

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
    ~ScalarChart() override;

    QString tag() const { return m_tag; } // the title: a tag, or a chart of several
    // A button in the header, after the title (pin, unpin), for the view to wire.
    QToolButton *addHeaderButton(const QString &text, const QString &toolTip);
    // Shows `source` as the curve `label` (a run's name in a chart of one tag); call again when
    // its series grew.
    void setCurve(const QString &label, const QColor &color, const CurveSource &source);
    void setCurve(const QString &run, const QColor &color, const ScalarSeries *series,
                  double runStart) {
        setCurve(run, color, CurveSource{run, series, nullptr, nullptr, runStart});
    }
    void removeCurve(const QString &label);
    // Which runs' curves are drawn, fitted, hovered and exported (every curve, until this is
    // called). A run-list edit at 10,000 runs hides and shows curves, each O(1), and replots
    // once: removing QCustomPlot graphs one by one costs O(graphs) each.
    void setShownRuns(const QSet<QString> &runs);
    bool hasCurve(const QString &run) const { return m_curves.contains(run); }
    QStringList runs() const; // the shown curves' labels, sorted
    bool showsAnyRun() const;
    size_t pointCount(const QString &label) const;

    // Draws curves by group: `groupOf` names each curve's group (a curve missing from it is a
    // group of its own); an inactive grouping draws every curve again.
    void setGrouping(const QHash<QString, QString> &groupOf, const Grouping &grouping);
    QStringList groups() const; // the groups drawn, sorted
    // A group's curve: its x, centre and band (empty when not drawn).
    const CurveLod *groupCenter(const QString &group) const;
    const CurveLod *groupBand(const QString &group, bool upper) const;

    // The curve drawn nearest to `pos` (plot pixels) within a few pixels: a run's label, or a
    // group's name when grouped; "" when none.
    QString curveAt(const QPointF &pos) const;
    void setHovered(const QString &curve); // highlighted over the dimmed rest ("" for none)
    QString hovered() const { return m_hovered; }
    QStringList runsOf(const QString &curve) const; // a group's members, a curve's run
    void setCrosshair(double x);                    // NaN hides it
    void setXRange(double lower, double upper);     // as if the user had zoomed

    void setSettings(const ChartSettings &settings);
    const ChartSettings &settings() const { return m_settings; }
    void setLogY(bool on);
    bool logY() const { return m_logY; }

    void resetView();     // fit every point
    void replotNow();     // decimate for the current view and draw, synchronously
    bool drawing() const; // a frame of many curves is being rasterised in the background
    QCustomPlot *plot() const { return m_plot; }

    // What hovering at plot coordinate x shows: the curves nearest `y` first, at most
    // kToolTipRows of them.
    QString toolTipAt(double x, double y = NAN) const;
    static constexpr int kToolTipRows = 12;
    bool exportPng(const QString &path);
    bool exportSvg(const QString &path);
    bool exportCsv(const QString &path) const;

signals:
    void curveClicked(const QStringList &runs);  // the runs behind the clicked curve
    void hoveredAt(double x);                    // NaN when the mouse left
    void userZoomed(double lower, double upper); // the user panned or zoomed x

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    enum class Role { Run, Group }; // a run's curve (faint under its group when grouped)
    struct Curve {
        QColor color;
        CurveSource source;
        std::vector<size_t> order; // series index of each sorted point
        CurveLod raw, smoothed;
        CurveLod lo, hi; // its band (a margin chart's bounds, a group's spread), or empty
        bool shown = true;
        Role role = Role::Run;
        QStringList members;    // a group's curves
        std::vector<int> reach; // a group's: how many members reach each point
        QCPGraph *rawGraph = nullptr, *smoothGraph = nullptr; // sparse views: lines
        QCPGraph *loGraph = nullptr, *hiGraph = nullptr;      // the band, filled between
    };

    void rebuild(Curve &curve); // keys, order and smoothing from the series
    CurveLod::Keys sharedKeys(std::vector<double> keys);
    void rebuildGroups(); // every group's curve from its shown members
    void addGraphs(Curve &curve, const QString &name);
    void removeGraphs(Curve &curve);
    std::vector<const Curve *> drawnCurves() const; // in drawing order
    std::vector<Curve *> drawnCurves();
    const Curve *drawnCurve(const QString &name) const;
    const CurveLod &drawnLine(const Curve &curve) const; // the line drawn: raw or smoothed
    double keyOf(const ScalarSeries &series, double runStart, size_t seriesIndex) const;
    void fitY(bool bands); // bands: include the drawn bands
    void fitX();           // every shown point
    static void releasePoints(QCPGraph *graph);
    void scheduleReplot();
    // Draws the current view; with thousands of curves in the background if asked.
    void replot(bool inBackground);
    void finishFrame(); // the highlight over the new frame, and the plot drawn
    void cancelRaster();
    void styleGraphs(Curve &curve); // pens, markers and which graphs are drawn
    void showGraphs(Curve &curve);  // which graphs are drawn
    void drawBands(const std::vector<Curve *> &curves, bool show, int columns);
    void updateLegend();
    void placeLegend(); // in the corner the curves leave free
    ChartOverlay &overlay();
    void showExportMenu();

    QString m_tag;
    ChartSettings m_settings;
    bool m_logY = false;
    bool m_autoX = true;           // follow the data as it grows until the user zooms
    bool m_fitXPending = false;    // fit x at the next replot (curves came or went)
    bool m_settingRange = false;   // our own range changes are not the user's
    QMap<QString, Curve> m_curves; // by label
    std::unordered_map<size_t, std::weak_ptr<const std::vector<double>>> m_sharedKeys; // by hash
    QMap<QString, Curve> m_groups; // by group name, when grouped
    QHash<QString, QString> m_groupOf;
    Grouping m_grouping;
    bool m_groupsDirty = false;
    QString m_hovered;
    QPoint m_pressPos;
    std::unique_ptr<ChartOverlay> m_overlay; // made on the first hover
    QCustomPlot *m_plot;
    DenseCurves *m_dense; // dense views: every curve's min-max spans, drawn at once
    QLabel *m_title;
    QHBoxLayout *m_header;
    QToolButton *m_logButton;
    QTimer m_replotTimer;
    std::unique_ptr<QFutureWatcher<DenseCurves::Canvas>> m_raster; // the frame being drawn
    std::shared_ptr<std::atomic<bool>> m_rasterCancelled;
};

} // namespace trainscope
