#include "widgets/scalars/scalarchart.h"

#include "widgets/format.h"

#include "core/events/scalarseries.h"
#include "widgets/scalars/chartoverlay.h"
#include "widgets/scalars/densecurves.h"
#include "widgets/scalars/smoothing.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QToolButton>
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

// Sorted keys and their values, and the series index of each sorted point (empty when the
// series was in order already).
template <typename KeyOf>
void sortedPoints(const ScalarSeries &s, KeyOf keyOf, std::vector<double> &keys,
                  std::vector<float> &values, std::vector<size_t> &order) {
    const size_t n = s.size();
    keys.resize(n);
    for (size_t i = 0; i < n; ++i)
        keys[i] = keyOf(i);
    order.clear();
    if (!std::is_sorted(keys.begin(), keys.end())) { // a restarted run: sort, ties in file order
        order.resize(n);
        std::iota(order.begin(), order.end(), size_t(0));
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return keys[a] < keys[b]; });
        std::vector<double> sorted(n);
        for (size_t i = 0; i < n; ++i)
            sorted[i] = keys[order[i]];
        keys.swap(sorted);
    }
    values.resize(n);
    for (size_t i = 0; i < n; ++i)
        values[i] = s.value(order.empty() ? i : order[i]);
}

QColor tintOf(const QColor &c, float keep = 0.3f) { // toward white: faint, but opaque
    const float w = 1 - keep;
    return QColor::fromRgbF(w + keep * c.redF(), w + keep * c.greenF(), w + keep * c.blueF());
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
    m_header = header;
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
        emit userZoomed(m_plot->xAxis->range().lower, m_plot->xAxis->range().upper);
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &ScalarChart::resetView);
    connect(m_plot, &QCustomPlot::mousePress, this,
            [this](QMouseEvent *e) { m_pressPos = e->pos(); });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *e) {
        // A click, not the end of a drag, on a curve: name its runs.
        if ((e->pos() - m_pressPos).manhattanLength() > 3 || e->button() != Qt::LeftButton) return;
        const QString curve = curveAt(e->pos());
        if (!curve.isEmpty()) emit curveClicked(runsOf(curve));
    });
    m_replotTimer.setSingleShot(true);
    m_replotTimer.setInterval(0);
    connect(&m_replotTimer, &QTimer::timeout, this, [this] { replot(true); });
    setSettings(m_settings);
}

// Empties a graph and frees its points (Qt 6's clear() keeps a list's capacity).
void ScalarChart::releasePoints(QCPGraph *graph) {
    if (!graph->data()->isEmpty()) graph->setData(QSharedPointer<QCPGraphDataContainer>::create());
}

ScalarChart::~ScalarChart() {
    cancelRaster();
}

QToolButton *ScalarChart::addHeaderButton(const QString &text, const QString &toolTip) {
    auto *button = new QToolButton(this);
    button->setText(text);
    button->setToolTip(toolTip);
    m_header->insertWidget(1, button); // after the title
    return button;
}

ChartOverlay &ScalarChart::overlay() {
    if (!m_overlay) m_overlay = std::make_unique<ChartOverlay>(m_plot);
    return *m_overlay;
}

double ScalarChart::keyOf(const ScalarSeries &s, double runStart, size_t i) const {
    switch (m_settings.xAxis) {
    case XAxisMode::Step:
        return double(s.step(i));
    case XAxisMode::Relative:
        return s.wallTime(i) - runStart;
    case XAxisMode::Wall:
        return s.wallTime(i);
    }
    return 0;
}

// Runs logged at the same steps (seeds, a sweep's trials) share one copy of their keys:
// 8 bytes a point, of 10,000 runs' 16 to 24.
CurveLod::Keys ScalarChart::sharedKeys(std::vector<double> keys) {
    const std::string_view bytes(reinterpret_cast<const char *>(keys.data()),
                                 keys.size() * sizeof(double));
    std::weak_ptr<const std::vector<double>> &slot =
        m_sharedKeys[std::hash<std::string_view>()(bytes)];
    if (CurveLod::Keys known = slot.lock(); known && *known == keys) return known;
    auto made = std::make_shared<const std::vector<double>>(std::move(keys));
    slot = made; // a collision, or keys no longer shown: these from now on
    return made;
}

void ScalarChart::rebuild(Curve &c) {
    if (c.role == Role::Group) return; // made from its members (rebuildGroups)
    std::vector<double> keys;
    std::vector<float> values;
    const CurveSource &src = c.source;
    auto keysOf = [&](const ScalarSeries &s) {
        return [&](size_t i) { return keyOf(s, src.runStart, i); };
    };
    if (src.series) sortedPoints(*src.series, keysOf(*src.series), keys, values, c.order);
    const CurveLod::Keys shared = sharedKeys(std::move(keys));
    c.smoothed.setData(shared, smoothDebiasedEma(values, m_settings.smoothing));
    c.raw.setData(shared, std::move(values));
    // A margin chart's bounds, each at its own steps.
    std::vector<size_t> order;
    for (auto [bound, lod] : {std::pair{src.lower, &c.lo}, std::pair{src.upper, &c.hi}}) {
        keys.clear();
        values.clear();
        if (bound) sortedPoints(*bound, keysOf(*bound), keys, values, order);
        lod->setData(std::move(keys), smoothDebiasedEma(values, m_settings.smoothing));
    }
}

void ScalarChart::addGraphs(Curve &c, const QString &name) {
    if (c.rawGraph) return;
    c.rawGraph = m_plot->addGraph();
    c.smoothGraph = m_plot->addGraph();
    c.rawGraph->setName(name);
    c.smoothGraph->setName(name + " (smoothed)");
    c.rawGraph->setLayer("raw");
}

void ScalarChart::removeGraphs(Curve &c) {
    for (QCPGraph *g : {c.rawGraph, c.smoothGraph, c.loGraph, c.hiGraph})
        if (g) m_plot->removePlottable(g);
    c.rawGraph = c.smoothGraph = c.loGraph = c.hiGraph = nullptr;
}

// Which of a curve's graphs are drawn, now that it was shown or hidden: a run-list edit at
// 10,000 runs restyles none.
void ScalarChart::showGraphs(Curve &c) {
    const bool grouped = m_grouping.active();
    const bool drawn = c.shown && (c.role == Role::Group || !grouped || m_grouping.showMembers);
    const bool member = c.role == Role::Run && grouped;
    const bool band = drawn && !member && c.lo.size() && c.hi.size();
    if (band && !c.loGraph) return styleGraphs(c); // its band is drawn for the first time
    c.rawGraph->setVisible(drawn);
    c.smoothGraph->setVisible(drawn && !member && m_settings.smoothing > 0);
    if (c.loGraph) {
        c.loGraph->setVisible(band);
        c.hiGraph->setVisible(band);
    }
    if (!drawn) // its reduced points, until it is drawn again
        for (QCPGraph *g : {c.rawGraph, c.smoothGraph, c.loGraph, c.hiGraph})
            if (g) releasePoints(g);
}

void ScalarChart::styleGraphs(Curve &c) {
    const bool smoothing = m_settings.smoothing > 0;
    const bool grouped = m_grouping.active();
    const bool drawn = c.shown && (c.role == Role::Group || !grouped || m_grouping.showMembers);
    const bool member = c.role == Role::Run && grouped; // faint, under its group
    if (!drawn) {
        c.rawGraph->setVisible(false);
        c.smoothGraph->setVisible(false);
    } else if (member) {
        c.rawGraph->setVisible(true);
        c.rawGraph->setPen(QPen(tintOf(c.color, 0.45f), 1.0));
        c.smoothGraph->setVisible(false);
    } else {
        c.rawGraph->setVisible(true);
        // Under a smoothed curve the raw one is a faint, thin, aliased line: an opaque tint
        // draws several times faster than an alpha-blended antialiased stroke over dense data.
        c.rawGraph->setPen(smoothing ? QPen(tintOf(c.color), 1.0) : QPen(c.color, 1.6));
        c.smoothGraph->setPen(QPen(c.color, c.role == Role::Group ? 2.0 : 1.6));
        c.smoothGraph->setVisible(smoothing);
    }
    // One point makes no line: it is drawn as a marker (a 1-epoch metric, a trial's rate).
    const QCPScatterStyle marker =
        c.raw.size() == 1 ? QCPScatterStyle(QCPScatterStyle::ssDisc, 7) : QCPScatterStyle();
    c.rawGraph->setScatterStyle(marker);
    c.smoothGraph->setScatterStyle(marker);
    const bool band = drawn && !member && c.lo.size() && c.hi.size();
    if (band && !c.loGraph) {
        c.loGraph = m_plot->addGraph();
        c.hiGraph = m_plot->addGraph();
        for (QCPGraph *g : {c.loGraph, c.hiGraph}) {
            g->setLayer("raw");
            g->setName(c.rawGraph->name() + " (band)");
        }
        c.hiGraph->setChannelFillGraph(c.loGraph);
    }
    if (c.loGraph) {
        QColor edge = c.color, fill = c.color;
        edge.setAlpha(90);
        fill.setAlpha(45);
        for (QCPGraph *g : {c.loGraph, c.hiGraph}) {
            g->setVisible(band);
            g->setPen(QPen(edge, 0.8));
        }
        c.hiGraph->setBrush(fill);
        if (!band) {
            releasePoints(c.loGraph);
            releasePoints(c.hiGraph);
        }
    }
}

void ScalarChart::setCurve(const QString &label, const QColor &color, const CurveSource &source) {
    cancelRaster();
    Curve &c = m_curves[label];
    addGraphs(c, label);
    c.color = color;
    c.source = source;
    rebuild(c);
    styleGraphs(c);
    m_groupsDirty = true;
    m_fitXPending = m_fitXPending || m_autoX; // fitted once, at the replot: not once a curve
    scheduleReplot();
}

void ScalarChart::removeCurve(const QString &label) {
    auto it = m_curves.find(label);
    if (it == m_curves.end()) return;
    cancelRaster();
    removeGraphs(*it);
    m_curves.erase(it);
    m_groupsDirty = true;
    scheduleReplot();
}

void ScalarChart::setShownRuns(const QSet<QString> &runs) {
    bool changed = false;
    for (auto it = m_curves.begin(); it != m_curves.end(); ++it) {
        const bool shown = runs.contains(it.key());
        if (shown == it->shown) continue;
        it->shown = shown;
        showGraphs(*it);
        changed = true;
    }
    if (!changed) return;
    m_groupsDirty = true;
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

size_t ScalarChart::pointCount(const QString &label) const {
    auto it = m_curves.find(label);
    return it == m_curves.end() ? 0 : it->raw.size();
}

void ScalarChart::setSettings(const ChartSettings &settings) {
    cancelRaster();
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
    m_groupsDirty = true;
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

const CurveLod &ScalarChart::drawnLine(const Curve &c) const {
    const bool faint = c.role == Role::Run && m_grouping.active(); // a member: raw only
    return m_settings.smoothing > 0 && !faint ? c.smoothed : c.raw;
}

std::vector<const ScalarChart::Curve *> ScalarChart::drawnCurves() const {
    std::vector<const Curve *> out;
    const bool grouped = m_grouping.active();
    if (!grouped || m_grouping.showMembers)
        for (const Curve &c : m_curves)
            if (c.shown) out.push_back(&c);
    if (grouped)
        for (const Curve &g : m_groups)
            out.push_back(&g);
    return out;
}

std::vector<ScalarChart::Curve *> ScalarChart::drawnCurves() {
    std::vector<Curve *> out;
    for (const Curve *c : std::as_const(*this).drawnCurves())
        out.push_back(const_cast<Curve *>(c));
    return out;
}

const ScalarChart::Curve *ScalarChart::drawnCurve(const QString &name) const {
    if (m_grouping.active()) {
        auto it = m_groups.find(name);
        if (it != m_groups.end()) return &*it;
        if (!m_grouping.showMembers) return nullptr;
    }
    auto it = m_curves.find(name);
    return it != m_curves.end() && it->shown ? &*it : nullptr;
}

void ScalarChart::fitX() {
    m_fitXPending = false;
    double lo = INFINITY, hi = -INFINITY;
    for (const Curve *c : drawnCurves())
        if (c->raw.size()) {
            lo = std::min(lo, c->raw.x().front());
            hi = std::max(hi, c->raw.x().back());
        }
    if (lo > hi) lo = 0, hi = 1;
    if (lo == hi) lo -= 0.5, hi += 0.5;
    m_autoX = true;
    m_settingRange = true;
    m_plot->xAxis->setRange(lo, hi);
    m_settingRange = false;
}

void ScalarChart::fitY(bool bands) {
    const QCPRange xr = m_plot->xAxis->range();
    float lo = INFINITY, hi = -INFINITY;
    auto include = [&](const CurveLod &lod, bool robust) {
        const auto &x = lod.x();
        const size_t b = size_t(std::lower_bound(x.begin(), x.end(), xr.lower) - x.begin());
        const size_t e = size_t(std::upper_bound(x.begin(), x.end(), xr.upper) - x.begin());
        float clo, chi;
        if (robust) {
            std::tie(clo, chi) = robustRange(lod.y().data() + b, lod.y().data() + e);
            if (clo > chi) return; // no finite value in view
        } else if (!lod.rangeMinMax(b, e, clo, chi)) {
            return;
        }
        lo = std::min(lo, clo);
        hi = std::max(hi, chi);
    };
    for (const Curve *c : drawnCurves()) {
        include(c->raw, m_settings.ignoreOutliers);
        if (bands && c->lo.size() && c->hi.size()) { // the band is drawn: show all of it
            include(c->lo, m_settings.ignoreOutliers);
            include(c->hi, m_settings.ignoreOutliers);
        }
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
    replot(false);
}

bool ScalarChart::drawing() const {
    return m_raster && m_raster->isRunning();
}

// A frame being rasterised reads the curves' points: it stops (within a batch) before they
// change.
void ScalarChart::cancelRaster() {
    if (!m_raster) return;
    m_rasterCancelled->store(true);
    m_raster->waitForFinished();
    m_raster.reset();
}

namespace {

// One curve's points for a frame: lines through the decimated points of a sparse view, each
// column's min-max span of a dense one.
struct Reduction {
    Reduction(const CurveLod *l, QCPGraph *g)
        : lod(l)
        , graph(g)
        , color(g->pen().color()) {}
    const CurveLod *lod;
    QCPGraph *graph;
    QColor color;
    bool dense = false;
    std::vector<double> xs, ys;
    std::vector<float> lo, hi;

    void reduce(const QCPRange &xr, int columns, double onePixel) {
        dense = lod->countIn(xr.lower, xr.upper) > size_t(columns) * 2;
        if (dense)
            lod->envelope(xr.lower, xr.upper, columns, xs, lo, hi);
        else
            lod->decimate(xr.lower, xr.upper, columns, xs, ys, onePixel);
    }
    DenseCurves::Curve spans() {                     // its points handed over
        if (!dense) lo.assign(ys.begin(), ys.end()); // points: lo alone
        return {color, std::move(xs), std::move(lo), std::move(hi)};
    }
};

constexpr size_t kBatch = 256;

// Frames drawn in the background wait on the global pool's maps: they must not hold its
// threads while they wait, or the maps never run. Their own pool, then.
QThreadPool &framePool() {
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(4); // charts drawing at once; the work itself is on the global pool
        return p;
    }();
    return *pool;
}

// Every curve reduced in parallel and rasterised, a batch at a time: a batch's spans are freed
// before the next (10,000 runs' spans would cost hundreds of MB). Runs on any thread.
DenseCurves::Canvas rasteriseAll(DenseCurves::Canvas canvas, std::vector<Reduction> jobs,
                                 QCPRange xr, int columns, double onePixel,
                                 const std::atomic<bool> &cancelled) {
    std::vector<DenseCurves::Curve> spans;
    for (size_t from = 0; from < jobs.size() && !cancelled; from += kBatch) {
        const auto first = jobs.begin() + long(from),
                   last = jobs.begin() + long(std::min(jobs.size(), from + kBatch));
        QtConcurrent::blockingMap(first, last, [&](Reduction &job) {
            if (!cancelled) job.reduce(xr, columns, onePixel);
        });
        spans.clear();
        for (auto it = first; it != last; ++it)
            spans.push_back(it->spans());
        DenseCurves::rasterise(canvas, spans);
    }
    return canvas;
}

} // namespace

void ScalarChart::replot(bool inBackground) {
    m_replotTimer.stop();
    cancelRaster();
    if (!isVisible()) { // exported or tested without being shown: lay the plot out first
        if (layout()) layout()->activate();
        m_plot->setViewport(m_plot->rect());
        for (auto phase : {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins,
                           QCPLayoutElement::upLayout})
            m_plot->plotLayout()->update(phase);
    }
    if (m_groupsDirty) rebuildGroups();
    if (m_fitXPending) fitX();
    const QCPRange xr = m_plot->xAxis->range();
    const int columns = std::max(1, m_plot->axisRect()->width());
    const std::vector<Curve *> drawn = drawnCurves();
    // Past kMaxLineCurves curves, sparse ones are rasterised too: thousands of antialiased
    // polylines would cost seconds a frame, and QCustomPlot's copy of their points 16 bytes each.
    const bool rasterAll = drawn.size() > kMaxLineCurves;
    m_settingRange = true;
    fitY(!rasterAll); // first: the y scale tells which extremes are too close to show
    m_settingRange = false;
    placeLegend();
    const QCPRange yr = m_plot->yAxis->range();
    const double onePixel = m_logY ? 0 : yr.size() / std::max(1, m_plot->axisRect()->height());

    std::vector<Reduction> jobs; // every raw curve, then every smoothed one: raw under smoothed
    for (Curve *c : drawn)
        jobs.emplace_back(&c->raw, c->rawGraph);
    for (Curve *c : drawn)
        if (c->smoothGraph->visible()) jobs.emplace_back(&c->smoothed, c->smoothGraph);
    drawBands(drawn, !rasterAll, columns);
    // The layout the replot will make (margins follow the new ranges' tick labels), so the
    // image is made for the axis rect it is drawn in.
    for (auto phase :
         {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins, QCPLayoutElement::upLayout})
        m_plot->plotLayout()->update(phase);

    if (rasterAll) {
        for (const Reduction &job : jobs)
            releasePoints(job.graph); // every curve is in the image
        DenseCurves::Canvas canvas = m_dense->canvas();
        if (inBackground) {
            // Thousands of curves: a run-list edit or a zoom costs the GUI thread this setup,
            // and the frame is shown when the pool has drawn it (the last frame stays till then).
            m_dense->expect(canvas.geometry);
            m_rasterCancelled = std::make_shared<std::atomic<bool>>(false);
            m_raster = std::make_unique<QFutureWatcher<DenseCurves::Canvas>>();
            QFutureWatcher<DenseCurves::Canvas> *watcher = m_raster.get();
            connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
                if (watcher != m_raster.get() || m_rasterCancelled->load()) return;
                m_dense->show(watcher->result());
                finishFrame();
            });
            watcher->setFuture(QtConcurrent::run(
                &framePool(), [canvas = std::move(canvas), jobs = std::move(jobs), xr, columns,
                               onePixel, cancelled = m_rasterCancelled]() mutable {
                    return rasteriseAll(std::move(canvas), std::move(jobs), xr, columns, onePixel,
                                        *cancelled);
                }));
            return;
        }
        const std::atomic<bool> never(false);
        m_dense->show(
            rasteriseAll(std::move(canvas), std::move(jobs), xr, columns, onePixel, never));
        return finishFrame();
    }

    // A few curves: lines through their decimated points, and dense ones as spans.
    m_dense->begin();
    QVector<QCPGraphData> points;
    std::vector<DenseCurves::Curve> spans;
    for (size_t from = 0; from < jobs.size(); from += kBatch) {
        const auto first = jobs.begin() + long(from),
                   last = jobs.begin() + long(std::min(jobs.size(), from + kBatch));
        QtConcurrent::blockingMap(first, last,
                                  [&](Reduction &job) { job.reduce(xr, columns, onePixel); });
        spans.clear();
        for (auto it = first; it != last; ++it) {
            Reduction &job = *it;
            if (job.dense) {
                spans.push_back(job.spans());
                releasePoints(job.graph);
            } else {
                points.resize(int(job.xs.size()));
                for (size_t i = 0; i < job.xs.size(); ++i)
                    points[int(i)] = QCPGraphData(job.xs[i], job.ys[i]);
                job.graph->data()->set(points, true);
                job.xs = {}, job.ys = {};
            }
        }
        m_dense->rasterise(spans);
    }
    finishFrame();
}

void ScalarChart::finishFrame() {
    if (m_overlay && m_overlay->highlighted()) {
        const QString hovered = std::exchange(m_hovered, QString());
        setHovered(hovered); // the highlight follows the new view, or goes with its curve
    }
    m_plot->replot();
}

// Each band's outline per pixel column: the lowest of its lower bound, the highest of its
// upper one, filled between. Bands are for a few curves (groups, a margin chart's series):
// past kMaxLineCurves none is drawn.
void ScalarChart::drawBands(const std::vector<Curve *> &curves, bool show, int columns) {
    const QCPRange xr = m_plot->xAxis->range();
    std::vector<double> xs;
    std::vector<float> lo, hi;
    QVector<QCPGraphData> points;
    for (Curve *c : curves) {
        if (!c->loGraph) continue;
        styleGraphs(*c); // shown again, if hidden at the last replot
        if (!c->loGraph->visible()) continue;
        for (QCPGraph *g : {c->loGraph, c->hiGraph}) {
            g->setVisible(show);
            if (!show) releasePoints(g);
        }
        if (!show) continue;
        for (auto [lod, graph, upper] :
             {std::tuple{&c->lo, c->loGraph, false}, std::tuple{&c->hi, c->hiGraph, true}}) {
            lod->envelope(xr.lower, xr.upper, columns, xs, lo, hi);
            points.resize(int(xs.size()));
            for (size_t i = 0; i < xs.size(); ++i)
                points[int(i)] = QCPGraphData(xs[i], double(upper ? hi[i] : lo[i]));
            graph->data()->set(points, true);
        }
    }
}

} // namespace trainscope
