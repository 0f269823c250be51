// ScalarChart's groups: curves drawn as one, their mean or median inside a band, and the
// legend that names them.
#include "widgets/scalars/scalarchart.h"

#include "widgets/runs/runcolor.h"
#include "widgets/scalars/smoothing.h"

#include <qcustomplot.h>

namespace trainscope {

void ScalarChart::setGrouping(const QHash<QString, QString> &groupOf, const Grouping &grouping) {
    if (!grouping.active() && !m_grouping.active()) return; // a run-list edit, ungrouped
    if (grouping == m_grouping && groupOf == m_groupOf) return;
    cancelRaster();
    const bool restyle = grouping != m_grouping; // else only who is in which group changed
    m_groupOf = grouping.active() ? groupOf : QHash<QString, QString>();
    m_grouping = grouping;
    if (!grouping.active()) {
        for (Curve &g : m_groups)
            removeGraphs(g);
        m_groups.clear();
    }
    if (restyle)
        for (Curve &c : m_curves)
            styleGraphs(c);
    m_groupsDirty = true;
    m_fitXPending = m_fitXPending || m_autoX;
    scheduleReplot();
}

void ScalarChart::rebuildGroups() {
    cancelRaster();
    m_groupsDirty = false;
    if (!m_grouping.active()) return updateLegend();
    QMap<QString, QStringList> members;
    for (auto it = m_curves.begin(); it != m_curves.end(); ++it)
        if (it->shown) members[m_groupOf.value(it.key(), it.key())] << it.key();
    for (auto it = m_groups.begin(); it != m_groups.end();) {
        if (members.contains(it.key())) {
            ++it;
        } else {
            removeGraphs(*it);
            it = m_groups.erase(it);
        }
    }
    for (auto it = members.begin(); it != members.end(); ++it) {
        std::vector<MemberPoints> points;
        for (const QString &m : it.value()) {
            const Curve &c = m_curves[m];
            points.push_back({&c.raw.x(), &c.raw.y()});
        }
        GroupCurve agg = aggregateGroup(points, m_grouping.center, m_grouping.band);
        Curve &g = m_groups[it.key()];
        g.role = Role::Group;
        g.color = runColor(it.key());
        g.members = it.value();
        g.reach = std::move(agg.members);
        addGraphs(g, it.key());
        g.rawGraph->setLayer("main");
        g.smoothGraph->setLayer("main");
        auto keys = std::make_shared<const std::vector<double>>(std::move(agg.x));
        g.smoothed.setData(keys, smoothDebiasedEma(agg.center, m_settings.smoothing));
        g.raw.setData(keys, std::move(agg.center));
        g.lo.setData(keys, smoothDebiasedEma(agg.lo, m_settings.smoothing));
        g.hi.setData(keys, smoothDebiasedEma(agg.hi, m_settings.smoothing));
        styleGraphs(g);
    }
    updateLegend();
}

// A legend only for a few groups: it names what each colour stands for. Thousands of runs get
// none (each entry relays the legend out), and a run's name is in the tooltip.
void ScalarChart::updateLegend() {
    QCPLegend *legend = m_plot->legend;
    legend->clearItems();
    constexpr int kMaxLegendGroups = 12;
    const bool show = m_grouping.active() && m_groups.size() <= kMaxLegendGroups;
    legend->setVisible(show);
    if (!show) return;
    for (auto it = m_groups.begin(); it != m_groups.end(); ++it) {
        QCPGraph *g = m_settings.smoothing > 0 ? it->smoothGraph : it->rawGraph;
        g->setName(QString("%1 (%2 run%3)")
                       .arg(it.key())
                       .arg(it->members.size())
                       .arg(it->members.size() == 1 ? "" : "s"));
        g->addToLegend(legend);
    }
    legend->setFont(QFont(font().family(), 8));
    legend->setBrush(QColor(255, 255, 255, 200));
    legend->setBorderPen(QPen(QColor(0, 0, 0, 40)));
}

// The legend goes to the right-hand corner the curves leave free: under them when most end
// in the upper half (an accuracy), over them when most end low (a loss).
void ScalarChart::placeLegend() {
    if (!m_plot->legend->visible()) return;
    const QCPRange xr = m_plot->xAxis->range();
    const double x = xr.lower + 0.85 * xr.size();
    const double middle = m_plot->axisRect()->center().y();
    int high = 0, curves = 0;
    for (const Curve &g : m_groups) {
        if (!g.raw.size()) continue;
        ++curves;
        if (m_plot->yAxis->coordToPixel(double(drawnLine(g).y()[g.raw.nearest(x)])) < middle)
            ++high;
    }
    m_plot->axisRect()->insetLayout()->setInsetAlignment(
        0, Qt::AlignRight | (2 * high > curves ? Qt::AlignBottom : Qt::AlignTop));
}

QStringList ScalarChart::groups() const {
    return m_groups.keys();
}

const CurveLod *ScalarChart::groupCenter(const QString &group) const {
    auto it = m_groups.find(group);
    return it == m_groups.end() ? nullptr : &it->raw;
}

const CurveLod *ScalarChart::groupBand(const QString &group, bool upper) const {
    auto it = m_groups.find(group);
    return it == m_groups.end() ? nullptr : upper ? &it->hi : &it->lo;
}

QStringList ScalarChart::runsOf(const QString &curve) const {
    if (auto it = m_groups.find(curve); it != m_groups.end() && m_grouping.active()) {
        QStringList runs;
        for (const QString &m : it->members)
            runs << m_curves[m].source.run;
        runs.removeDuplicates();
        return runs;
    }
    auto it = m_curves.find(curve);
    return it == m_curves.end() ? QStringList() : QStringList{it->source.run};
}

} // namespace trainscope
