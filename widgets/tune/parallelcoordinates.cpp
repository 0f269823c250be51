#include "widgets/tune/parallelcoordinates.h"

#include "widgets/tune/trialtablemodel.h"

#include <QFontMetrics>
#include <QHelpEvent>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <array>
#include <cmath>

namespace trainscope {
namespace {

constexpr double kLeft = 40, kRight = 72, kTop = 40, kBottom = 18;

double distanceToSegment(const QPointF &p, const QPointF &a, const QPointF &b) {
    const QPointF ab = b - a;
    const double len2 = QPointF::dotProduct(ab, ab);
    double t = len2 > 0 ? QPointF::dotProduct(p - a, ab) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const QPointF d = p - (a + t * ab);
    return std::sqrt(QPointF::dotProduct(d, d));
}

std::optional<double> numberOf(const ParamValue &v) {
    if (auto *i = std::get_if<int64_t>(&v)) return double(*i);
    if (auto *d = std::get_if<double>(&v)) return *d;
    if (auto *b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
    return std::nullopt;
}

bool logScaled(const Param &p) {
    return p.scale != Scale::Linear && p.min > 0 && p.max > p.min;
}

// The value at unit position u of a numeric axis: the inverse of unitOf.
double valueAt(const Param &p, double u) {
    if (p.max <= p.min) return p.min;
    if (!logScaled(p)) return p.min + u * (p.max - p.min);
    const double lo = std::log(p.min), hi = std::log(p.max);
    if (p.scale == Scale::Log) return std::exp(lo + u * (hi - lo));
    return p.min + p.max - std::exp(lo + (1 - u) * (hi - lo));
}

} // namespace

QColor viridis(double t) {
    // Eleven samples of matplotlib's viridis, interpolated linearly.
    static const std::array<std::array<int, 3>, 11> stops = {{{68, 1, 84},
                                                              {72, 36, 117},
                                                              {65, 68, 135},
                                                              {53, 95, 141},
                                                              {42, 120, 142},
                                                              {33, 145, 140},
                                                              {34, 168, 132},
                                                              {68, 191, 112},
                                                              {122, 209, 81},
                                                              {189, 223, 38},
                                                              {253, 231, 37}}};
    if (!std::isfinite(t)) t = 0;
    t = std::clamp(t, 0.0, 1.0) * double(stops.size() - 1);
    const size_t i = std::min(size_t(t), stops.size() - 2);
    const double f = t - double(i);
    auto mix = [&](int c) {
        return int(std::lround(stops[i][size_t(c)] * (1 - f) + stops[i + 1][size_t(c)] * f));
    };
    return QColor(mix(0), mix(1), mix(2));
}

ParallelCoordinates::ParallelCoordinates(QWidget *parent)
    : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ParallelCoordinates::setSpace(const SearchSpace &space) {
    m_params.clear();
    for (const Param &p : space.params())
        if (p.kind != ParamKind::Fixed) m_params.push_back(p);
    const bool hadBrush = std::any_of(m_brushes.begin(), m_brushes.end(),
                                      [](const auto &b) { return b.has_value(); });
    m_brushes.assign(size_t(axisCount()), std::nullopt);
    rebuild();
    if (hadBrush) emit brushChanged();
}

void ParallelCoordinates::setBrush(int axis, double lo, double hi) {
    if (axis < 0 || axis >= axisCount()) return;
    m_brushes.resize(size_t(axisCount()));
    if (lo > hi) std::swap(lo, hi);
    m_brushes[size_t(axis)] = std::make_pair(std::clamp(lo, 0.0, 1.0), std::clamp(hi, 0.0, 1.0));
    update();
    emit brushChanged();
}

void ParallelCoordinates::clearBrush(int axis) {
    if (axis < 0 || axis >= int(m_brushes.size()) || !m_brushes[size_t(axis)]) return;
    m_brushes[size_t(axis)].reset();
    update();
    emit brushChanged();
}

void ParallelCoordinates::clearBrushes() {
    for (int a = 0; a < int(m_brushes.size()); ++a)
        clearBrush(a);
}

std::optional<QRectF> ParallelCoordinates::brushRect(int axis) const {
    if (axis < 0 || axis >= int(m_brushes.size()) || !m_brushes[size_t(axis)]) return std::nullopt;
    const QRectF r = plotRect();
    const auto [lo, hi] = *m_brushes[size_t(axis)];
    const double x = axisX(axis);
    return QRectF(QPointF(x - 8, r.bottom() - hi * r.height()),
                  QPointF(x + 8, r.bottom() - lo * r.height()));
}

bool ParallelCoordinates::passes(const Line &line) const {
    for (size_t a = 0; a < m_brushes.size() && a < line.unit.size(); ++a) {
        if (!m_brushes[a]) continue;
        // A tolerance of a pixel's worth: a brush drawn onto a choice's tick takes it.
        const double slack = 1.0 / std::max(1.0, plotRect().height());
        if (!line.unit[a] || *line.unit[a] < m_brushes[a]->first - slack ||
            *line.unit[a] > m_brushes[a]->second + slack)
            return false;
    }
    return true;
}

std::vector<int> ParallelCoordinates::brushedTrialIds() const {
    std::vector<int> ids;
    for (const Line &line : m_lines)
        if (passes(line)) ids.push_back(line.id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

int ParallelCoordinates::axisNear(const QPointF &pos) const {
    const QRectF r = plotRect();
    if (pos.y() < r.top() - 6 || pos.y() > r.bottom() + 6) return -1;
    for (int a = 0; a < axisCount(); ++a)
        if (std::abs(pos.x() - axisX(a)) <= 10) return a;
    return -1;
}

double ParallelCoordinates::unitAt(double y) const {
    const QRectF r = plotRect();
    return std::clamp((r.bottom() - y) / r.height(), 0.0, 1.0);
}

void ParallelCoordinates::setObjective(const Objective &objective) {
    m_objective = objective;
    rebuild();
}

void ParallelCoordinates::setTrials(const std::vector<Trial> &trials) {
    m_trials.clear();
    for (const Trial &t : trials)
        if (t.status == TrialStatus::Completed && t.score && std::isfinite(*t.score))
            m_trials.push_back(t);
    rebuild();
}

void ParallelCoordinates::setHighlightedTrial(int trialId) {
    if (trialId == m_highlightId) return;
    m_highlightId = trialId;
    update();
}

double ParallelCoordinates::unitOf(const Param &p, const ParamValue &v) const {
    if (p.kind == ParamKind::Choice) {
        const auto n = p.choices.size();
        size_t i = 0;
        for (; i < n; ++i)
            if (p.choices[i] == v || paramText(p.choices[i]) == paramText(v)) break;
        if (i == n) return 0; // not a choice of the space (an edited sweep): at the bottom
        return n > 1 ? double(i) / double(n - 1) : 0.5;
    }
    if (p.kind == ParamKind::Boolean) return numberOf(v).value_or(0) > 0.5 ? 1 : 0;
    const auto x = numberOf(v);
    if (!x || !(p.max > p.min)) return 0.5;
    double u;
    if (!logScaled(p)) {
        u = (*x - p.min) / (p.max - p.min);
    } else {
        const double lo = std::log(p.min), hi = std::log(p.max);
        if (p.scale == Scale::Log)
            u = (std::log(std::max(*x, p.min)) - lo) / (hi - lo);
        else // reverse log: dense near max, so the mirror of the log axis
            u = 1 - (std::log(std::max(p.min + p.max - *x, p.min)) - lo) / (hi - lo);
    }
    return std::clamp(u, 0.0, 1.0);
}

void ParallelCoordinates::rebuild() {
    m_lines.clear();
    m_bestId = 0;
    if (!m_trials.empty()) {
        auto [lo, hi] =
            std::minmax_element(m_trials.begin(), m_trials.end(),
                                [](const Trial &a, const Trial &b) { return *a.score < *b.score; });
        m_scoreMin = *lo->score;
        m_scoreMax = *hi->score;
        m_bestId = (m_objective.maximize ? hi : lo)->id;
    } else {
        m_scoreMin = 0;
        m_scoreMax = 1;
    }
    for (const Trial &t : m_trials) {
        Line line{t.id, *t.score, {}};
        for (const Param &p : m_params) {
            auto it = t.params.find(p.name);
            line.unit.push_back(
                it == t.params.end() ? std::nullopt : std::optional<double>(unitOf(p, it->second)));
        }
        line.unit.push_back(
            m_scoreMax > m_scoreMin ? (*t.score - m_scoreMin) / (m_scoreMax - m_scoreMin) : 0.5);
        m_lines.push_back(std::move(line));
    }
    // Worst first: the best lines are painted last, on top.
    std::stable_sort(m_lines.begin(), m_lines.end(), [this](const Line &a, const Line &b) {
        return m_objective.better(b.score, a.score);
    });
    update();
}

QString ParallelCoordinates::axisName(int axis) const {
    if (axis < 0 || axis >= axisCount()) return {};
    if (axis == axisCount() - 1) return QString::fromStdString(m_objective.metric);
    return QString::fromStdString(m_params[size_t(axis)].name);
}

QRectF ParallelCoordinates::plotRect() const {
    return QRectF(kLeft, kTop, std::max(1.0, width() - kLeft - kRight),
                  std::max(1.0, height() - kTop - kBottom));
}

double ParallelCoordinates::axisX(int axis) const {
    const QRectF r = plotRect();
    const int n = axisCount();
    return n > 1 ? r.left() + r.width() * axis / (n - 1) : r.center().x();
}

std::vector<std::optional<QPointF>> ParallelCoordinates::points(const Line &line) const {
    const QRectF r = plotRect();
    std::vector<std::optional<QPointF>> out;
    for (size_t a = 0; a < line.unit.size(); ++a)
        out.push_back(line.unit[a] ? std::optional<QPointF>(QPointF(
                                         axisX(int(a)), r.bottom() - *line.unit[a] * r.height()))
                                   : std::nullopt);
    return out;
}

std::optional<QPointF> ParallelCoordinates::pointFor(int trialId, int axis) const {
    for (const Line &line : m_lines)
        if (line.id == trialId) {
            if (axis < 0 || axis >= int(line.unit.size())) return std::nullopt;
            return points(line)[size_t(axis)];
        }
    return std::nullopt;
}

QColor ParallelCoordinates::colorOf(const Line &line) const {
    double good =
        m_scoreMax > m_scoreMin ? (line.score - m_scoreMin) / (m_scoreMax - m_scoreMin) : 1.0;
    if (!m_objective.maximize) good = 1 - good;
    // Good trials dark (viridis' purple end) so they stand out on a light background.
    return viridis(0.9 * (1 - good));
}

int ParallelCoordinates::trialAt(const QPointF &pos, double tolerance) const {
    int found = 0;
    double nearest = tolerance;
    for (const Line &line : m_lines) {
        const auto pts = points(line);
        std::optional<QPointF> previous;
        for (const auto &p : pts) {
            if (!p) continue;
            const double d =
                previous ? distanceToSegment(pos, *previous, *p) : distanceToSegment(pos, *p, *p);
            if (d <= nearest) { // later lines are drawn on top: they win ties
                nearest = d;
                found = line.id;
            }
            previous = p;
        }
    }
    return found;
}

QString ParallelCoordinates::toolTipFor(int trialId) const {
    for (const Trial &t : m_trials) {
        if (t.id != trialId) continue;
        QStringList lines{QString("Trial %1: %2 = %3%4")
                              .arg(t.id)
                              .arg(QString::fromStdString(m_objective.metric))
                              .arg(*t.score, 0, 'g', 5)
                              .arg(t.id == m_bestId ? " (best)" : "")};
        for (const Param &p : m_params) {
            auto it = t.params.find(p.name);
            if (it != t.params.end())
                lines << QString::fromStdString(p.name) + " = " + paramDisplay(it->second);
        }
        return lines.join('\n');
    }
    return {};
}

void ParallelCoordinates::paintAxis(QPainter &painter, int axis) const {
    const QRectF r = plotRect();
    const double x = axisX(axis);
    const bool scoreAxis = axis == axisCount() - 1;
    const QColor ink = palette().color(QPalette::WindowText);
    if (scoreAxis && !m_lines.empty()) {
        // The colour scale beside the score axis doubles as its legend.
        QLinearGradient g(0, r.bottom(), 0, r.top());
        for (int i = 0; i <= 10; ++i) {
            double good = i / 10.0;
            if (!m_objective.maximize) good = 1 - good;
            g.setColorAt(i / 10.0, viridis(0.9 * (1 - good)));
        }
        painter.fillRect(QRectF(x - 5, r.top(), 4, r.height()), g);
    }
    painter.setPen(QPen(ink, 1.2));
    painter.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()));

    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.85));
    painter.setFont(small);
    const QFontMetrics fm(small);
    // Labels right of the axis, no wider than the gap to the next one (or the margin), on a
    // backdrop so the lines crossing under them do not hide them.
    const double gap = axis + 1 < axisCount() ? axisX(axis + 1) - x : width() - x;
    const int labelRoom = int(std::clamp(gap - 10, 24.0, 64.0));
    const QColor backdrop = [&] {
        QColor c = palette().color(QPalette::Base);
        c.setAlpha(200);
        return c;
    }();
    auto tick = [&](double u, const QString &label) {
        const double y = r.bottom() - u * r.height();
        painter.drawLine(QPointF(x - 3, y), QPointF(x + 3, y));
        const double ty = std::clamp(y + fm.ascent() / 2.0 - 1, r.top() + fm.ascent() - 4,
                                     r.bottom() + fm.ascent() / 2.0);
        const QString text = fm.elidedText(label, Qt::ElideRight, labelRoom);
        painter.fillRect(
            QRectF(x + 4, ty - fm.ascent(), fm.horizontalAdvance(text) + 2, fm.height()), backdrop);
        painter.drawText(QPointF(x + 5, ty), text);
    };
    if (scoreAxis) {
        if (!m_lines.empty())
            for (double u : {0.0, 0.5, 1.0})
                tick(u, QString::number(m_scoreMin + u * (m_scoreMax - m_scoreMin), 'g', 4));
    } else {
        const Param &p = m_params[size_t(axis)];
        if (p.kind == ParamKind::Choice || p.kind == ParamKind::Boolean) {
            std::vector<ParamValue> values =
                p.kind == ParamKind::Boolean ? std::vector<ParamValue>{false, true} : p.choices;
            // Every label when they fit, else every k-th.
            const size_t fit = std::max<size_t>(2, size_t(r.height() / (fm.height() + 2)));
            const size_t every = (values.size() + fit - 1) / fit;
            for (size_t i = 0; i < values.size(); i += std::max<size_t>(1, every))
                tick(unitOf(p, values[i]), paramDisplay(values[i]));
        } else {
            for (double u : {0.0, 0.5, 1.0}) {
                const double v = valueAt(p, u);
                tick(u, p.kind == ParamKind::Int ? QString::number(std::llround(v))
                                                 : QString::number(v, 'g', 3));
            }
        }
    }

    // The title above the axis: the full name when it fits, else its last path component.
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    const QFontMetrics bm(bold);
    // Each title owns the span halfway to its neighbours' axes.
    const int n = axisCount();
    const double left = axis == 0 ? 2 : (axisX(axis - 1) + x) / 2 + 3;
    const double right = axis == n - 1 ? width() - 2 : (x + axisX(axis + 1)) / 2 - 3;
    const double room = std::max(right - left, 20.0);
    const bool log = !scoreAxis && logScaled(m_params[size_t(axis)]);
    const QString scale = !log                                         ? QString()
                          : m_params[size_t(axis)].scale == Scale::Log ? " (log)"
                                                                       : " (rev. log)";
    // The longest that fits of: the full name with its scale, the last component with it, the
    // last component alone (its ticks show the scale); else that, elided.
    const QString last = axisName(axis).section('.', -1);
    QString title = last;
    for (const QString &candidate : {axisName(axis) + scale, last + scale})
        if (bm.horizontalAdvance(candidate) <= room) {
            title = candidate;
            break;
        }
    title = bm.elidedText(title, Qt::ElideMiddle, int(room));
    const double w = bm.horizontalAdvance(title);
    const double tx = std::clamp(x - w / 2, left, std::max(left, right - w));
    painter.setPen(ink);
    painter.drawText(QPointF(tx, r.top() - 14), title);
}

void ParallelCoordinates::paintBrush(QPainter &painter, int axis) const {
    const std::optional<QRectF> box = brushRect(axis);
    if (!box) return;
    painter.setPen(QPen(QColor("#d81b60"), 1.5));
    painter.setBrush(QColor(216, 27, 96, 45));
    painter.drawRect(*box);
    painter.setBrush(Qt::NoBrush);
}

void ParallelCoordinates::paintEvent(QPaintEvent *) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    painter.setRenderHint(QPainter::Antialiasing);

    const Line *highlight = nullptr, *hover = nullptr, *best = nullptr;
    for (const Line &line : m_lines) {
        if (line.id == m_highlightId) highlight = &line;
        if (line.id == m_hoverId) hover = &line;
        if (line.id == m_bestId) best = &line;
    }
    auto draw = [&](const Line &line, const QPen &pen) {
        QPolygonF polyline;
        for (const auto &p : points(line))
            if (p) polyline << *p; // inactive here: the line joins its neighbours across this axis
        painter.setPen(pen);
        painter.drawPolyline(polyline);
    };
    // Thousands of sessions (an HParams logdir): thin aliased opaque lines, which draw in a
    // fraction of the time of antialiased translucent strokes and look the same when crowded.
    const bool crowded = m_lines.size() > 300;
    painter.setRenderHint(QPainter::Antialiasing, !crowded);
    // Lines outside a brush first, in grey, under the ones inside.
    for (const bool inside : {false, true})
        for (const Line &line : m_lines) {
            if (&line == highlight || &line == hover || &line == best) continue;
            if (passes(line) != inside) continue;
            QColor c = inside ? colorOf(line) : QColor(190, 190, 190);
            c.setAlpha(inside ? (crowded ? 255 : 190) : 110);
            draw(line, QPen(c, crowded || !inside ? 0 : 1.4));
        }
    painter.setRenderHint(QPainter::Antialiasing);
    // The best trial: a light halo under a thick line, so it reads even where lines crowd.
    for (const Line *line : {best, highlight, hover}) {
        if (!line) continue;
        const bool emphasised = line == hover || line == highlight;
        draw(*line, QPen(QColor(255, 255, 255, 220), emphasised ? 6 : 5, Qt::SolidLine,
                         Qt::RoundCap, Qt::RoundJoin));
        draw(*line, QPen(emphasised ? QColor("#d81b60") : colorOf(*line), emphasised ? 3 : 2.6,
                         Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    }

    painter.setRenderHint(QPainter::Antialiasing, false);
    for (int a = 0; a < axisCount(); ++a)
        paintAxis(painter, a);
    for (int a = 0; a < axisCount(); ++a)
        paintBrush(painter, a);

    if (m_lines.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.setFont(font());
        painter.drawText(plotRect(), Qt::AlignCenter, "No completed trials yet");
    }
}

void ParallelCoordinates::mouseMoveEvent(QMouseEvent *event) {
    const int id = trialAt(event->position());
    if (id != m_hoverId) {
        m_hoverId = id;
        update();
        emit trialHovered(id);
    }
    if (m_pressAxis >= 0 && (event->buttons() & Qt::LeftButton)) {
        if (std::abs(event->position().y() - m_pressPos.y()) > 3) m_brushing = true;
        if (m_brushing) {
            setBrush(m_pressAxis, unitAt(m_pressPos.y()), unitAt(event->position().y()));
            QToolTip::hideText();
            return;
        }
    }
    if (id)
        QToolTip::showText(event->globalPosition().toPoint(), toolTipFor(id), this);
    else
        QToolTip::hideText();
}

void ParallelCoordinates::mousePressEvent(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    m_pressPos = event->position();
    m_pressAxis = axisNear(m_pressPos);
    m_brushing = false;
}

void ParallelCoordinates::mouseReleaseEvent(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
    const int axis = m_pressAxis;
    const bool brushed = m_brushing;
    m_pressAxis = -1;
    m_brushing = false;
    if (brushed) return; // the brush was set while dragging
    // A click: on a line selects its trial; on an axis off every line clears its brush.
    if (const int id = trialAt(event->position()))
        emit trialClicked(id);
    else if (axis >= 0)
        clearBrush(axis);
}

bool ParallelCoordinates::event(QEvent *event) {
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (const int id = trialAt(help->pos()))
            QToolTip::showText(help->globalPos(), toolTipFor(id), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void ParallelCoordinates::leaveEvent(QEvent *event) {
    if (m_hoverId) {
        m_hoverId = 0;
        update();
        emit trialHovered(0);
    }
    QWidget::leaveEvent(event);
}

} // namespace trainscope
