#include "widgets/hparams/scattermatrix.h"

#include "widgets/histograms/plotframe.h"
#include "widgets/names.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <set>

namespace trainscope {
namespace {

constexpr int kLeft = 70, kTop = 24, kGap = 10;

} // namespace

double ScatterMatrix::Axis::unit(double v) const {
    if (!std::isfinite(v)) return NAN;
    if (log) {
        if (v <= 0) return NAN;
        return hi > lo ? (std::log(v) - std::log(lo)) / (std::log(hi) - std::log(lo)) : 0.5;
    }
    return hi > lo ? (v - lo) / (hi - lo) : 0.5;
}

double ScatterMatrix::Axis::unit(const HParamValue &v) const {
    if (numeric) {
        const double *d = std::get_if<double>(&v);
        return d ? unit(*d) : NAN;
    }
    const std::string text = hparamToString(v);
    const auto it = std::find(categories.begin(), categories.end(), text);
    if (it == categories.end()) return NAN;
    return categories.size() > 1 ? double(it - categories.begin()) / double(categories.size() - 1)
                                 : 0.5;
}

ScatterMatrix::ScatterMatrix(QWidget *parent) : QWidget(parent) {}

void ScatterMatrix::setSessions(const HParamSessions *sessions) {
    m_sessions = sessions;
    rebuild();
    updateGeometry();
    update();
}

void ScatterMatrix::setSelected(const QSet<QString> &runs) {
    m_selected = runs;
    update();
}

void ScatterMatrix::rebuild() {
    m_x.clear();
    m_y.clear();
    if (!m_sessions) return;
    auto numericAxis = [](const std::vector<double> &values) {
        Axis a;
        if (values.empty()) return a;
        const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
        a.lo = *lo, a.hi = *hi;
        a.log = a.lo > 0 && a.hi / a.lo >= 1000; // learning rates, weight decays
        return a;
    };
    for (const std::string &name : m_sessions->hparams) {
        std::vector<double> numbers;
        std::set<std::string> others;
        for (const HParamSession &s : m_sessions->sessions) {
            const auto it = s.hparams.find(name);
            if (it == s.hparams.end()) continue;
            if (const double *d = std::get_if<double>(&it->second); d && std::isfinite(*d))
                numbers.push_back(*d);
            else
                others.insert(hparamToString(it->second));
        }
        Axis a = numericAxis(numbers);
        if (!others.empty()) { // any string makes the whole axis categorical
            a = Axis{};
            a.numeric = false;
            std::set<std::string> all = others;
            for (double d : numbers)
                all.insert(hparamToString(d));
            a.categories.assign(all.begin(), all.end());
        }
        m_x.push_back(a);
    }
    for (const std::string &name : m_sessions->metrics) {
        std::vector<double> values;
        for (const HParamSession &s : m_sessions->sessions)
            if (const auto it = s.metrics.find(name); it != s.metrics.end() && std::isfinite(it->second))
                values.push_back(it->second);
        Axis a = numericAxis(values);
        a.log = false; // metrics read best on a linear scale
        m_y.push_back(a);
    }
}

QSize ScatterMatrix::sizeHint() const {
    return {kLeft + int(m_x.size()) * (kCellWidth + kGap), kTop + int(m_y.size()) * (kCellHeight + kGap) + 10};
}

QRectF ScatterMatrix::cellRect(int hparam, int metric) const {
    return QRectF(kLeft + hparam * (kCellWidth + kGap), kTop + metric * (kCellHeight + kGap),
                  kCellWidth, kCellHeight);
}

std::optional<QPointF> ScatterMatrix::pointFor(int row, int hparam, int metric) const {
    if (!m_sessions) return std::nullopt;
    const HParamSession &s = m_sessions->sessions[size_t(row)];
    const auto h = s.hparams.find(m_sessions->hparams[size_t(hparam)]);
    const auto m = s.metrics.find(m_sessions->metrics[size_t(metric)]);
    if (h == s.hparams.end() || m == s.metrics.end()) return std::nullopt;
    const double ux = m_x[size_t(hparam)].unit(h->second), uy = m_y[size_t(metric)].unit(m->second);
    if (std::isnan(ux) || std::isnan(uy)) return std::nullopt;
    const QRectF r = cellRect(hparam, metric).adjusted(5, 5, -5, -5);
    return QPointF(r.left() + ux * r.width(), r.bottom() - uy * r.height());
}

int ScatterMatrix::sessionAt(const QPointF &pos) const {
    if (!m_sessions) return -1;
    for (int h = 0; h < int(m_x.size()); ++h)
        for (int m = 0; m < int(m_y.size()); ++m) {
            if (!cellRect(h, m).adjusted(-4, -4, 4, 4).contains(pos)) continue;
            int best = -1;
            double bestDistance = 5;
            for (int row = 0; row < int(m_sessions->sessions.size()); ++row)
                if (const auto p = pointFor(row, h, m)) {
                    const double d = std::hypot(p->x() - pos.x(), p->y() - pos.y());
                    if (d <= bestDistance) bestDistance = d, best = row;
                }
            return best;
        }
    return -1;
}

void ScatterMatrix::paintEvent(QPaintEvent *) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (!m_sessions || m_x.empty() || m_y.empty()) {
        painter.setPen(QColor(120, 120, 120));
        painter.drawText(rect(), Qt::AlignCenter, "No sessions with both hparams and metrics");
        return;
    }
    const QFontMetrics fm(font());
    for (int h = 0; h < int(m_x.size()); ++h) {
        const QRectF top = cellRect(h, 0);
        painter.setPen(QColor(60, 60, 60));
        painter.drawText(QRectF(top.left(), 2, top.width(), kTop - 4), Qt::AlignCenter,
                         fm.elidedText(fromName(m_sessions->hparams[size_t(h)]), Qt::ElideMiddle,
                                       int(top.width())));
    }
    for (int m = 0; m < int(m_y.size()); ++m) {
        const QRectF left = cellRect(0, m);
        painter.save();
        painter.translate(12, left.center().y());
        painter.rotate(-90);
        painter.drawText(QRectF(-left.height() / 2, -10, left.height(), 20), Qt::AlignCenter,
                         fm.elidedText(fromName(m_sessions->metrics[size_t(m)]), Qt::ElideMiddle,
                                       int(left.height())));
        painter.restore();
        painter.drawText(QRectF(16, left.top(), kLeft - 20, 14), Qt::AlignRight,
                         tickLabel(m_y[size_t(m)].hi));
        painter.drawText(QRectF(16, left.bottom() - 14, kLeft - 20, 14), Qt::AlignRight,
                         tickLabel(m_y[size_t(m)].lo));
    }
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor plain(70, 110, 170, 120), chosen(230, 80, 30);
    std::vector<char> isSelected(m_sessions->sessions.size());
    for (size_t row = 0; row < isSelected.size(); ++row)
        isSelected[row] = m_selected.contains(fromName(m_sessions->sessions[row].run));
    for (int h = 0; h < int(m_x.size()); ++h)
        for (int m = 0; m < int(m_y.size()); ++m) {
            painter.setPen(QColor(0, 0, 0, 60));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(cellRect(h, m));
            painter.setPen(Qt::NoPen);
            for (bool selected : {false, true}) { // the selected on top
                painter.setBrush(selected ? chosen : plain);
                for (int row = 0; row < int(m_sessions->sessions.size()); ++row) {
                    if (bool(isSelected[size_t(row)]) != selected) continue;
                    if (const auto p = pointFor(row, h, m))
                        painter.drawEllipse(*p, selected ? 3.5 : 2.5, selected ? 3.5 : 2.5);
                }
            }
        }
}

void ScatterMatrix::mousePressEvent(QMouseEvent *event) {
    const int row = sessionAt(event->position());
    if (row >= 0) emit sessionClicked(row);
}

} // namespace trainscope
