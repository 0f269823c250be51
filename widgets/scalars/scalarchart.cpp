#include "widgets/scalars/scalarchart.h"

#include "widgets/format.h"

#include "core/events/scalarseries.h"
#include "widgets/scalars/densecurves.h"
#include "widgets/scalars/smoothing.h"

#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMouseEvent>
#include <QSvgGenerator>
#include <QTextStream>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <qcustomplot.h>

namespace trainscope {
namespace {

// The 5th and 95th percentiles of the finite values, from a sample of at most 20,000.
std::pair<float, float> robustRange(const float *begin, const float *end) {
    std::vector<float> sample;
    const size_t n = size_t(end - begin), stride = std::max<size_t>(1, n / 20000);
    for (size_t i = 0; i < n; i += stride)
        if (std::isfinite(begin[i])) sample.push_back(begin[i]);
    if (sample.empty()) return {1.f, 0.f}; // lo > hi: nothing to fit
    auto at = [&](double q) {
        auto it = sample.begin() + long(q * double(sample.size() - 1));
        std::nth_element(sample.begin(), it, sample.end());
        return *it;
    };
    const float lo = at(0.05), hi = at(0.95);
    return {lo, hi};
}

} // namespace

ScalarChart::ScalarChart(const QString &tag, QWidget *parent)
    : QWidget(parent)
    , m_tag(tag)
    , m_plot(new QCustomPlot(this))
    , m_title(new QLabel(tag, this))
    , m_logButton(new QToolButton(this)) {
    m_title->setStyleSheet("font-weight: 600;");
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_logButton->setText("log");
    m_logButton->setCheckable(true);
    m_logButton->setToolTip("Logarithmic y axis");
    connect(m_logButton, &QToolButton::toggled, this, &ScalarChart::setLogY);
    auto *fit = new QToolButton(this);
    fit->setText("fit");
    fit->setToolTip("Fit every point (or double-click the chart)");
    connect(fit, &QToolButton::clicked, this, &ScalarChart::resetView);
    auto *exportButton = new QToolButton(this);
    exportButton->setText("export");
    exportButton->setToolTip("Save the chart as PNG or SVG, or its data as CSV");
    connect(exportButton, &QToolButton::clicked, this, &ScalarChart::showExportMenu);

    auto *header = new QHBoxLayout;
    header->setContentsMargins(4, 2, 4, 0);
    header->addWidget(m_title, 1);
    header->addWidget(m_logButton);
    header->addWidget(fit);
    header->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(m_plot, 1);
    setMinimumSize(320, 240);

    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setAutoAddPlottableToLegend(false);    // no legend, whose every entry relays it out
    m_plot->setPlottingHint(QCP::phFastPolylines); // wide pens: segments, not one huge stroked path
    m_plot->setMouseTracking(true);
    m_plot->addLayer("raw", m_plot->layer("main"),
                     QCustomPlot::limBelow); // every run's raw under every smoothed curve
    m_plot->installEventFilter(this);
    m_dense = new DenseCurves(m_plot->xAxis, m_plot->yAxis); // first on "main": under the lines
    connect(m_dense, &DenseCurves::stale, this, &ScalarChart::scheduleReplot);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->grid()->setPen(QPen(QColor(0, 0, 0, 25)));
        axis->setBasePen(QPen(QColor(0, 0, 0, 90)));
        axis->setTickLabelColor(QColor(80, 80, 80));
    }
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this] {
        if (m_settingRange) return;
        m_autoX = false; // the user panned or zoomed
        scheduleReplot();
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &ScalarChart::resetView);
    m_replotTimer.setSingleShot(true);
    m_replotTimer.setInterval(0);
    connect(&m_replotTimer, &QTimer::timeout, this, &ScalarChart::replotNow);
    setSettings(m_settings);
}

// Empties a graph and frees its points (Qt 6's clear() keeps a list's capacity).
void ScalarChart::releasePoints(QCPGraph *graph) {
    if (!graph->data()->isEmpty()) graph->setData(QSharedPointer<QCPGraphDataContainer>::create());
}

double ScalarChart::keyOf(const Curve &c, size_t i) const {
    switch (m_settings.xAxis) {
    case XAxisMode::Step:
        return double(c.series->step(i));
    case XAxisMode::Relative:
        return c.series->wallTime(i) - c.runStart;
    case XAxisMode::Wall:
        return c.series->wallTime(i);
    }
    return 0;
}

void ScalarChart::rebuild(Curve &c) {
    const size_t n = c.series ? c.series->size() : 0;
    std::vector<double> keys(n);
    for (size_t i = 0; i < n; ++i)
        keys[i] = keyOf(c, i);
    c.order.clear();
    if (!std::is_sorted(keys.begin(),
                        keys.end())) { // a restarted run: sort, keep file order for ties
        c.order.resize(n);
        std::iota(c.order.begin(), c.order.end(), size_t(0));
        std::stable_sort(c.order.begin(), c.order.end(),
                         [&](size_t a, size_t b) { return keys[a] < keys[b]; });
        std::vector<double> sorted(n);
        for (size_t i = 0; i < n; ++i)
            sorted[i] = keys[c.order[i]];
        keys.swap(sorted);
    }
    std::vector<float> values(n);
    for (size_t i = 0; i < n; ++i)
        values[i] = c.series->value(c.order.empty() ? i : c.order[i]);
    auto shared = std::make_shared<const std::vector<double>>(std::move(keys));
    c.smoothed.setData(shared, smoothDebiasedEma(values, m_settings.smoothing));
    c.raw.setData(shared, std::move(values));
}

void ScalarChart::styleGraphs(Curve &c) {
    const bool smoothing = m_settings.smoothing > 0;
    c.rawGraph->setVisible(c.shown);
    // Under a smoothed curve the raw one is a faint, thin, aliased line: an opaque tint draws
    // several times faster than an alpha-blended antialiased stroke over dense data.
    const QColor c0 = c.color;
    const QColor tint = QColor::fromRgbF(0.7f + 0.3f * c0.redF(), 0.7f + 0.3f * c0.greenF(),
                                         0.7f + 0.3f * c0.blueF());
    const QColor raw = smoothing ? tint : c.color;
    c.rawGraph->setPen(QPen(raw, smoothing ? 1.0 : 1.6));
    c.smoothGraph->setPen(QPen(c.color, 1.6));
    c.smoothGraph->setVisible(c.shown && smoothing);
    // One point makes no line: it is drawn as a marker (a 1-epoch metric, a trial's rate).
    const QCPScatterStyle marker =
        c.raw.size() == 1 ? QCPScatterStyle(QCPScatterStyle::ssDisc, 7) : QCPScatterStyle();
    c.rawGraph->setScatterStyle(marker);
    c.smoothGraph->setScatterStyle(marker);
}

void ScalarChart::setCurve(const QString &run, const QColor &color, const ScalarSeries *series,
                           double runStart) {
    Curve &c = m_curves[run];
    if (!c.rawGraph) {
        c.rawGraph = m_plot->addGraph();
        c.smoothGraph = m_plot->addGraph();
        c.rawGraph->setName(run);
        c.smoothGraph->setName(run + " (smoothed)");
        c.rawGraph->setLayer("raw");
    }
    c.color = color;
    c.series = series;
    c.runStart = runStart;
    rebuild(c);
    styleGraphs(c);
    m_fitXPending = m_fitXPending || m_autoX; // fitted once, at the replot: not once a curve
    scheduleReplot();
}

void ScalarChart::removeCurve(const QString &run) {
    auto it = m_curves.find(run);
    if (it == m_curves.end()) return;
    m_plot->removePlottable(it->rawGraph);
    m_plot->removePlottable(it->smoothGraph);
    m_curves.erase(it);
    scheduleReplot();
}

void ScalarChart::setShownRuns(const QSet<QString> &runs) {
    bool changed = false;
    for (auto it = m_curves.begin(); it != m_curves.end(); ++it) {
        const bool shown = runs.contains(it.key());
        if (shown == it->shown) continue;
        it->shown = shown;
        styleGraphs(*it);
        if (!shown) { // its reduced points, until it is shown again
            releasePoints(it->rawGraph);
            releasePoints(it->smoothGraph);
        }
        changed = true;
    }
    if (!changed) return;
    m_fitXPending = m_fitXPending || m_autoX;
    scheduleReplot();
}

bool ScalarChart::showsAnyRun() const {
    return std::any_of(m_curves.begin(), m_curves.end(), [](const Curve &c) { return c.shown; });
}

QStringList ScalarChart::runs() const {
    QStringList out;
    for (auto it = m_curves.begin(); it != m_curves.end(); ++it)
        if (it->shown) out << it.key();
    return out;
}

size_t ScalarChart::pointCount(const QString &run) const {
    auto it = m_curves.find(run);
    return it == m_curves.end() ? 0 : it->raw.size();
}

void ScalarChart::setSettings(const ChartSettings &settings) {
    const bool keysChanged = settings.xAxis != m_settings.xAxis;
    m_settings = settings;
    switch (settings.xAxis) {
    case XAxisMode::Step: {
        // Steps are whole numbers: ticks at integer multiples only (no "1.5" on an epoch axis).
        QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
        ticker->setTickStep(1.0);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        m_plot->xAxis->setTicker(ticker);
        m_plot->xAxis->setLabel("step");
    } break;
    case XAxisMode::Relative: {
        QSharedPointer<QCPAxisTickerTime> ticker(new QCPAxisTickerTime);
        ticker->setTimeFormat("%h:%m:%s");
        m_plot->xAxis->setTicker(ticker);
        m_plot->xAxis->setLabel("relative time (h:m:s)");
        break;
    }
    case XAxisMode::Wall: {
        QSharedPointer<QCPAxisTickerDateTime> ticker(new QCPAxisTickerDateTime);
        ticker->setDateTimeFormat("MMM d\nhh:mm:ss");
        m_plot->xAxis->setTicker(ticker);
        m_plot->xAxis->setLabel("wall time");
        break;
    }
    }
    for (Curve &c : m_curves) {
        rebuild(c);
        styleGraphs(c);
    }
    if (keysChanged) m_autoX = true;
    if (m_autoX)
        resetView();
    else
        scheduleReplot();
}

void ScalarChart::setLogY(bool on) {
    m_logY = on;
    if (m_logButton->isChecked() != on) m_logButton->setChecked(on);
    m_plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    m_plot->yAxis->setTicker(on ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                                : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    scheduleReplot();
}

void ScalarChart::resetView() {
    fitX();
    scheduleReplot();
}

void ScalarChart::fitX() {
    m_fitXPending = false;
    double lo = INFINITY, hi = -INFINITY;
    for (const Curve &c : m_curves)
        if (c.shown && c.raw.size()) {
            lo = std::min(lo, c.raw.x().front());
            hi = std::max(hi, c.raw.x().back());
        }
    if (lo > hi) lo = 0, hi = 1;
    if (lo == hi) lo -= 0.5, hi += 0.5;
    m_autoX = true;
    m_settingRange = true;
    m_plot->xAxis->setRange(lo, hi);
    m_settingRange = false;
}

void ScalarChart::fitY() {
    const QCPRange xr = m_plot->xAxis->range();
    float lo = INFINITY, hi = -INFINITY;
    for (const Curve &c : m_curves) {
        if (!c.shown) continue;
        const auto &x = c.raw.x();
        const size_t b = size_t(std::lower_bound(x.begin(), x.end(), xr.lower) - x.begin());
        const size_t e = size_t(std::upper_bound(x.begin(), x.end(), xr.upper) - x.begin());
        float clo, chi;
        if (m_settings.ignoreOutliers) {
            std::tie(clo, chi) = robustRange(c.raw.y().data() + b, c.raw.y().data() + e);
            if (clo > chi) continue; // no finite value in view
        } else if (!c.raw.rangeMinMax(b, e, clo, chi)) {
            continue;
        }
        lo = std::min(lo, clo);
        hi = std::max(hi, chi);
    }
    if (!(lo <= hi)) lo = 0, hi = 1;
    if (m_logY) {
        if (hi <= 0) hi = 1;
        if (lo <= 0) lo = hi * 1e-4f;
        m_plot->yAxis->setRange(lo / 1.15, hi * 1.15);
        return;
    }
    const double pad = lo == hi ? std::max(1e-9, std::abs(double(lo)) * 0.1) : (hi - lo) * 0.05;
    m_plot->yAxis->setRange(lo - pad, hi + pad);
}

void ScalarChart::scheduleReplot() {
    if (!m_replotTimer.isActive()) m_replotTimer.start();
}

void ScalarChart::replotNow() {
    m_replotTimer.stop();
    if (!isVisible()) { // exported or tested without being shown: lay the plot out first
        if (layout()) layout()->activate();
        m_plot->setViewport(m_plot->rect());
        for (auto phase : {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins,
                           QCPLayoutElement::upLayout})
            m_plot->plotLayout()->update(phase);
    }
    if (m_fitXPending) fitX();
    const QCPRange xr = m_plot->xAxis->range();
    const int columns = std::max(1, m_plot->axisRect()->width());
    m_settingRange = true;
    fitY(); // first: the y scale tells which extremes are too close to show
    m_settingRange = false;
    const QCPRange yr = m_plot->yAxis->range();
    const double onePixel = m_logY ? 0 : yr.size() / std::max(1, m_plot->axisRect()->height());

    // Sparse views draw lines through the decimated points; dense views fill each column's
    // min-max span: the same pixels, far cheaper than thousands of tall zig-zag strokes.
    // Curves are reduced in parallel, a batch at a time, then handed to the plot on this
    // thread: line graphs take their points, DenseCurves rasterises the rest, and a batch's
    // points are freed before the next (10,000 runs' spans would cost hundreds of MB).
    struct Job {
        const CurveLod *lod;
        QCPGraph *graph;
        bool dense = false;
        std::vector<double> xs, ys;
        std::vector<float> lo, hi;
    };
    std::vector<Job> jobs; // every raw curve, then every smoothed one: raw under smoothed
    for (Curve &c : m_curves)
        if (c.shown) jobs.push_back({&c.raw, c.rawGraph});
    if (m_settings.smoothing > 0)
        for (Curve &c : m_curves)
            if (c.shown) jobs.push_back({&c.smoothed, c.smoothGraph});
    // Past kMaxLineCurves curves, sparse ones are rasterised too: thousands of antialiased
    // polylines would cost seconds a frame, and QCustomPlot's copy of their points 16 bytes each.
    const size_t shownCurves = size_t(
        std::count_if(m_curves.begin(), m_curves.end(), [](const Curve &c) { return c.shown; }));
    const bool rasterAll = shownCurves > kMaxLineCurves;
    // The layout the replot will make (margins follow the new ranges' tick labels), so the
    // image is made for the axis rect it is drawn in.
    for (auto phase :
         {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins, QCPLayoutElement::upLayout})
        m_plot->plotLayout()->update(phase);
    m_dense->begin();
    constexpr size_t kBatch = 256;
    QVector<QCPGraphData> points;
    std::vector<DenseCurves::Curve> spans;
    for (size_t from = 0; from < jobs.size(); from += kBatch) {
        const auto first = jobs.begin() + long(from),
                   last = jobs.begin() + long(std::min(jobs.size(), from + kBatch));
        QtConcurrent::blockingMap(first, last, [&](Job &job) {
            job.dense = job.lod->countIn(xr.lower, xr.upper) > size_t(columns) * 2;
            if (job.dense)
                job.lod->envelope(xr.lower, xr.upper, columns, job.xs, job.lo, job.hi);
            else
                job.lod->decimate(xr.lower, xr.upper, columns, job.xs, job.ys, onePixel);
        });
        spans.clear();
        for (auto it = first; it != last; ++it) {
            Job &job = *it;
            if (job.dense || rasterAll) {
                if (!job.dense) job.lo.assign(job.ys.begin(), job.ys.end()); // points: lo alone
                spans.push_back({job.graph->pen().color(), std::move(job.xs), std::move(job.lo),
                                 std::move(job.hi)});
                releasePoints(job.graph);
            } else {
                points.resize(int(job.xs.size()));
                for (size_t i = 0; i < job.xs.size(); ++i)
                    points[int(i)] = QCPGraphData(job.xs[i], job.ys[i]);
                job.graph->data()->set(points, true);
            }
            job = Job{}; // its points are handed over
        }
        m_dense->rasterise(spans);
    }
    m_plot->replot();
}

QString ScalarChart::toolTipAt(double x) const {
    QString rows;
    for (auto it = m_curves.begin(); it != m_curves.end(); ++it) {
        const Curve &c = *it;
        if (!c.shown || !c.raw.size()) continue;
        const size_t k = c.raw.nearest(x);
        const size_t i = c.order.empty() ? k : c.order[k];
        rows +=
            QString("<tr><td><span style='color:%1'>&#9632;</span> %2</td><td "
                    "align=right><b>%3</b></td>"
                    "<td align=right>%4</td><td align=right>%5</td><td align=right>%6</td></tr>")
                .arg(c.color.name(), it.key().toHtmlEscaped())
                .arg(double(c.smoothed.y()[k]), 0, 'g', 6)
                .arg(double(c.raw.y()[k]), 0, 'g', 6)
                .arg(c.series->step(i))
                .arg(formatDuration(c.series->wallTime(i) - c.runStart));
    }
    if (rows.isEmpty()) return {};
    return QString("<b>%1</b><table cellspacing=4><tr><th "
                   "align=left>run</th><th>smoothed</th><th>value</th>"
                   "<th>step</th><th>relative</th></tr>%2</table>")
        .arg(m_tag.toHtmlEscaped(), rows);
}

bool ScalarChart::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_plot && event->type() == QEvent::MouseMove) {
        auto *me = static_cast<QMouseEvent *>(event);
        if (m_plot->axisRect()->rect().contains(me->pos())) {
            const QString text = toolTipAt(m_plot->xAxis->pixelToCoord(me->position().x()));
            QToolTip::showText(me->globalPosition().toPoint(), text, m_plot);
        } else {
            QToolTip::hideText();
        }
    }
    return QWidget::eventFilter(watched, event);
}

bool ScalarChart::exportPng(const QString &path) {
    replotNow();
    return m_plot->savePng(path, 0, 0, 2.0);
}

bool ScalarChart::exportSvg(const QString &path) {
    replotNow();
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(m_plot->size());
    svg.setViewBox(m_plot->rect());
    svg.setTitle(m_tag);
    svg.setDescription("Trainscope chart");
    QCPPainter painter;
    if (!painter.begin(&svg)) return false;
    m_plot->toPainter(&painter, m_plot->width(), m_plot->height());
    painter.end();
    return QFileInfo(path).size() > 0;
}

bool ScalarChart::exportCsv(const QString &path) const {
    QString out = csvLine({"run", "step", "wall_time", "value", "smoothed"});
    for (auto it = m_curves.begin(); it != m_curves.end(); ++it) {
        const Curve &c = *it;
        if (!c.shown) continue;
        for (size_t k = 0; k < c.raw.size(); ++k) {
            const size_t i = c.order.empty() ? k : c.order[k];
            out += csvLine({it.key(), QString::number(c.series->step(i)),
                            QString::number(c.series->wallTime(i), 'f', 6),
                            QString::number(double(c.raw.y()[k]), 'g', 9),
                            QString::number(double(c.smoothed.y()[k]), 'g', 9)});
        }
    }
    return saveFile(path, out.toUtf8());
}

void ScalarChart::showExportMenu() {
    QMenu menu(this);
    const QString base = QString(m_tag).replace('/', '_');
    menu.addAction("Chart as PNG…", this, [this, base] {
        const QString f =
            QFileDialog::getSaveFileName(this, "Export PNG", base + ".png", "PNG (*.png)");
        if (!f.isEmpty()) exportPng(f);
    });
    menu.addAction("Chart as SVG…", this, [this, base] {
        const QString f =
            QFileDialog::getSaveFileName(this, "Export SVG", base + ".svg", "SVG (*.svg)");
        if (!f.isEmpty()) exportSvg(f);
    });
    menu.addAction("Data as CSV…", this, [this, base] {
        const QString f =
            QFileDialog::getSaveFileName(this, "Export CSV", base + ".csv", "CSV (*.csv)");
        if (!f.isEmpty()) exportCsv(f);
    });
    menu.exec(QCursor::pos());
}

} // namespace trainscope
