#include "widgets/tune/scoreplot.h"

#include "widgets/tune/trialtablemodel.h"

#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace trainscope {
namespace {

constexpr TrialStatus kStatuses[] = {TrialStatus::Running, TrialStatus::Completed,
                                     TrialStatus::Pruned, TrialStatus::Failed,
                                     TrialStatus::Invalid};

QString statusLabel(TrialStatus s) {
    return trialStatusText(s).toLower();
}

} // namespace

ScorePlot::ScorePlot(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this)) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->xAxis->setLabel("trial");
    // Trials are whole numbers: ticks at multiples of 1 (1, 2, 5, 10, ...), never 0.6 or 1.2.
    QSharedPointer<QCPAxisTickerFixed> trials(new QCPAxisTickerFixed);
    trials->setTickStep(1);
    trials->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_plot->xAxis->setTicker(trials);
    m_plot->yAxis->setLabel("score");
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

    // Best-so-far first, so the dots are drawn over it.
    m_best = m_plot->addGraph();
    m_best->setName("best so far");
    m_best->setLineStyle(QCPGraph::lsStepLeft);
    m_best->setPen(QPen(QColor("#37474f"), 2));
    m_byStatus.resize(std::size(kStatuses));
    for (TrialStatus s : kStatuses) {
        QCPGraph *g = m_plot->addGraph();
        g->setName(statusLabel(s));
        g->setLineStyle(QCPGraph::lsNone);
        const QColor c = trialStatusColor(s);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c, c, 7));
        g->setPen(QPen(c));
        m_byStatus[size_t(s)] = g;
    }
    m_plot->legend->setVisible(true);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setIconSize(14, 9);
    QFont legendFont = font();
    legendFont.setPointSizeF(std::max(6.0, legendFont.pointSizeF() * 0.85));
    m_plot->legend->setFont(legendFont);
    // A row above the axes, as the step-time chart does, so it never hides a point.
    m_plot->legend->setWrap(6);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);

    connect(m_plot, &QCustomPlot::mouseMove, this, &ScorePlot::showToolTip);
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent *event) {
        if (const int id = trialNear(event->position())) emit trialClicked(id);
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { rebuild(); }); // reset zoom
    setMinimumSize(200, 160);
    rebuild();
}

void ScorePlot::setObjective(const Objective &objective) {
    m_objective = objective;
    rebuild();
}

void ScorePlot::setTrials(const std::vector<Trial> &trials) {
    m_trials.clear();
    m_lastId = 0;
    for (const Trial &t : trials) {
        m_lastId = std::max(m_lastId, t.id);
        if (t.score && std::isfinite(*t.score)) m_trials.push_back(t);
    }
    std::sort(m_trials.begin(), m_trials.end(),
              [](const Trial &a, const Trial &b) { return a.id < b.id; });
    rebuild();
}

int ScorePlot::pointCount(TrialStatus status) const {
    return m_byStatus[size_t(status)]->dataCount();
}

void ScorePlot::rebuild() {
    m_bestKeys.clear();
    m_bestValues.clear();
    for (const Trial &t : m_trials) {
        if (t.status != TrialStatus::Completed) continue; // partial scores never set a record
        const bool record =
            m_bestValues.isEmpty() || m_objective.better(*t.score, m_bestValues.last());
        m_bestKeys.append(t.id);
        m_bestValues.append(record ? *t.score : m_bestValues.last());
    }
    // Held to the newest trial, so the line shows how long the record has stood.
    if (!m_bestKeys.isEmpty() && m_lastId > m_bestKeys.last()) {
        m_bestKeys.append(m_lastId);
        m_bestValues.append(m_bestValues.last());
    }
    m_best->setData(m_bestKeys, m_bestValues, true);

    std::vector<QVector<double>> keys(m_byStatus.size()), values(m_byStatus.size());
    double lo = 0, hi = 1, maxId = 1;
    bool any = false;
    for (const Trial &t : m_trials) {
        keys[size_t(t.status)].append(t.id);
        values[size_t(t.status)].append(*t.score);
        lo = any ? std::min(lo, *t.score) : *t.score;
        hi = any ? std::max(hi, *t.score) : *t.score;
        maxId = std::max(maxId, double(t.id));
        any = true;
    }
    for (size_t s = 0; s < m_byStatus.size(); ++s) {
        m_byStatus[s]->setData(keys[s], values[s], true);
        // The legend lists only what is drawn.
        if (keys[s].isEmpty())
            m_byStatus[s]->removeFromLegend();
        else
            m_byStatus[s]->addToLegend();
    }
    maxId = std::max(maxId, double(m_lastId));
    const double pad = hi > lo ? 0.08 * (hi - lo) : std::max(0.05, std::abs(hi) * 0.05);
    m_plot->xAxis->setRange(0.5, maxId + 0.5);
    m_plot->yAxis->setRange(lo - pad, hi + pad);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int ScorePlot::trialNear(const QPointF &pos) const {
    int found = 0;
    double nearest = 8; // pixels
    for (const Trial &t : m_trials) {
        const double dx = m_plot->xAxis->coordToPixel(t.id) - pos.x();
        const double dy = m_plot->yAxis->coordToPixel(*t.score) - pos.y();
        const double d = std::hypot(dx, dy);
        if (d <= nearest) {
            nearest = d;
            found = t.id;
        }
    }
    return found;
}

void ScorePlot::showToolTip(QMouseEvent *event) {
    const int id = trialNear(event->position());
    auto it =
        std::find_if(m_trials.begin(), m_trials.end(), [id](const Trial &t) { return t.id == id; });
    if (!id || it == m_trials.end()) {
        QToolTip::hideText();
        return;
    }
    QStringList lines{QString("Trial %1 (%2): %3")
                          .arg(id)
                          .arg(statusLabel(it->status))
                          .arg(*it->score, 0, 'g', 5)};
    for (const auto &[name, value] : it->params)
        lines << QString::fromStdString(name) + " = " + paramDisplay(value);
    QToolTip::showText(event->globalPosition().toPoint(), lines.join('\n'), m_plot);
}

} // namespace trainscope
