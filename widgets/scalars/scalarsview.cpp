#include "widgets/scalars/scalarsview.h"

#include "core/events/logdirindex.h"
#include "widgets/dashboard/chartsection.h"
#include "widgets/names.h"
#include "widgets/runs/runcolor.h"
#include "widgets/scalars/scalarscontrols.h"

#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

namespace trainscope {
namespace {

const QString kPinnedSection = "Pinned";

// Deletes the sections `keep` says no to.
template <typename Keep> void dropSectionsBut(QMap<QString, ChartSection *> &sections, Keep keep) {
    for (auto it = sections.begin(); it != sections.end();) {
        if (keep(it.key())) {
            ++it;
        } else {
            delete it.value();
            it = sections.erase(it);
        }
    }
}

// A multi-tag chart's curve: its run and tag, so neither a run nor a tag alone names it.
QString curveLabel(const QString &run, const QString &tag) {
    return run + " · " + tag;
}

} // namespace

bool ChartSpec::matches(const QString &tag) const {
    if (tags.contains(tag)) return true;
    for (const QRegularExpression &re : patterns)
        if (re.match(tag, 0, QRegularExpression::NormalMatch,
                     QRegularExpression::AnchorAtOffsetMatchOption)
                .hasMatch())
            return true;
    return false;
}

ScalarsView::ScalarsView(QWidget *parent)
    : Dashboard(parent)
    , m_controls(new ScalarsControls(this))
    , m_sectionsLayout(nullptr)
    , m_emptyHint(new QLabel("No scalar data in the selected runs.", this))
    , m_problemLabel(new QLabel(this)) {
    m_problemLabel->setStyleSheet("color: #b00020;");
    m_problemLabel->setWordWrap(true);
    m_problemLabel->hide();
    connect(m_controls, &ScalarsControls::settingsChanged, this,
            [this] { setSettings(m_controls->settings()); });
    connect(m_controls, &ScalarsControls::groupingChanged, this,
            [this] { setGrouping(m_controls->grouping()); });
    connect(m_controls, &ScalarsControls::syncChanged, this, &ScalarsView::setSyncCharts);
    connect(m_controls, &ScalarsControls::tagFilterEdited, this, [this](const QString &regex) {
        setTagFilter(regex);
        emit tagFilterChanged(regex);
    });

    auto *container = new QWidget;
    m_sectionsLayout = new QVBoxLayout(container);
    m_sectionsLayout->addWidget(m_problemLabel);
    m_sectionsLayout->addWidget(m_emptyHint);
    m_sectionsLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(container);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_controls);
    layout->addWidget(scroll, 1);
}

void ScalarsView::setIndex(const LogdirIndex *index) {
    m_index = index;
    qDeleteAll(m_charts); // every curve points into the old index
    m_charts.clear();
    for (QList<SpecChart> *specs : {&m_pinned, &m_custom})
        for (SpecChart &s : *specs) {
            delete s.chart;
            s.chart = nullptr;
        }
    m_custom.clear();
    m_layoutKey.clear();
    m_layoutRead = false;
    sync({});
}

void ScalarsView::setVisibleRuns(const QMap<QString, QColor> &runs) {
    m_visible = runs;
    sync({});
}

void ScalarsView::runsChanged(const QStringList &runs) {
    QSet<QString> dirty;
    for (const QString &r : runs)
        if (m_visible.contains(r)) dirty.insert(r);
    syncCustomLayout(); // a layout may come with any run, checked or not
    if (!dirty.isEmpty()) sync(dirty);
}

void ScalarsView::setSettings(const ChartSettings &settings) {
    m_settings = settings;
    m_controls->setSettings(settings);
    for (ScalarChart *chart : std::as_const(m_charts))
        chart->setSettings(settings);
    for (QList<SpecChart> *specs : {&m_pinned, &m_custom})
        for (SpecChart &s : *specs)
            if (s.chart) s.chart->setSettings(settings);
}

void ScalarsView::setGrouping(const Grouping &grouping) {
    if (grouping == m_grouping) return;
    m_grouping = grouping;
    m_controls->setGrouping(grouping);
    sync({});
}

void ScalarsView::setSyncCharts(bool on) {
    m_sync = on;
    if (m_controls->syncCharts() != on) m_controls->setSyncCharts(on);
    if (!on)
        for (ScalarChart *chart : findChildren<ScalarChart *>())
            chart->setCrosshair(NAN);
}

QString ScalarsView::runGroup(const QString &run) const {
    return m_grouping.active() ? m_groupOfRun.value(run, run) : QString();
}

ScalarChart *ScalarsView::makeChart(const QString &title) {
    auto *chart = new ScalarChart(title, this); // reparented into its section's grid
    chart->hide();
    chart->setSettings(m_settings);
    connect(chart, &ScalarChart::curveClicked, this, &ScalarsView::runsClicked);
    connect(chart, &ScalarChart::userZoomed, this, [this, chart](double lo, double hi) {
        if (!m_sync) return;
        for (ScalarChart *other : findChildren<ScalarChart *>())
            if (other != chart && other->isVisible()) other->setXRange(lo, hi);
    });
    connect(chart, &ScalarChart::hoveredAt, this, [this, chart](double x) {
        if (!m_sync) return;
        for (ScalarChart *other : findChildren<ScalarChart *>())
            if (other != chart && other->isVisible()) other->setCrosshair(x);
    });
    return chart;
}

// Every chart of one tag can be pinned: into a new chart of one's own or one pinned already.
void ScalarsView::wirePinButton(ScalarChart *chart) {
    QToolButton *pin = chart->addHeaderButton("pin", "Pin this tag into a chart of several");
    connect(pin, &QToolButton::clicked, this, [this, chart, pin] {
        QMenu menu(pin);
        menu.addAction("New pinned chart", this, [this, chart] { pinTag(chart->tag()); });
        for (int i = 0; i < m_pinned.size(); ++i)
            if (!m_pinned[i].spec.tags.contains(chart->tag()))
                menu.addAction(QString("Add to “%1”").arg(m_pinned[i].spec.title), this,
                               [this, chart, i] { pinTag(chart->tag(), i); });
        menu.exec(pin->mapToGlobal(QPoint(0, pin->height())));
    });
}

void ScalarsView::pinTag(const QString &tag, int index) {
    if (index < 0 || index >= m_pinned.size()) {
        SpecChart s;
        s.section = kPinnedSection;
        m_pinned << s;
        index = int(m_pinned.size()) - 1;
    }
    SpecChart &s = m_pinned[index];
    if (!s.spec.tags.contains(tag)) s.spec.tags << tag;
    s.spec.title = s.spec.tags.join(", ");
    delete s.chart; // its title changed: a new chart (pins are few)
    s.chart = nullptr;
    s.matched.clear();
    sync({});
}

void ScalarsView::unpin(int index) {
    if (index < 0 || index >= m_pinned.size()) return;
    delete m_pinned[index].chart;
    m_pinned.removeAt(index);
    sync({});
}

// The custom_scalars layouts of every run (checked or not), merged; charts are made again
// only when the layout changed.
void ScalarsView::syncCustomLayout() {
    m_layoutRead = true;
    std::vector<const RunData *> runs;
    if (m_index)
        for (const auto &[name, run] : m_index->runs())
            if (run.tag(std::string(kCustomScalarsTag))) runs.push_back(&run);
    std::vector<std::string> problems;
    const CustomLayout layout = mergeCustomLayouts(runs, problems);
    QString key;
    for (const CustomCategory &c : layout.categories) {
        key += fromName(c.title) + '\x1f';
        for (const CustomChart &chart : c.charts) {
            key += fromName(chart.title) + '\x1e';
            for (const std::string &p : chart.tagPatterns)
                key += fromName(p) + '\x1d';
            for (const MarginSeries &m : chart.margins)
                key += fromName(m.value + '\x1c' + m.lower + '\x1c' + m.upper) + '\x1d';
        }
    }
    QStringList said;
    for (const std::string &p : problems)
        said << fromName(p);
    m_layoutProblems = said.join('\n');
    m_problemLabel->setText(m_layoutProblems);
    m_problemLabel->setVisible(!m_layoutProblems.isEmpty());
    if (key == m_layoutKey) return;
    m_layoutKey = key;
    for (SpecChart &s : m_custom)
        delete s.chart;
    m_custom.clear();
    for (const CustomCategory &c : layout.categories)
        for (const CustomChart &chart : c.charts) {
            SpecChart s;
            s.section = fromName(c.title).isEmpty() ? "Custom scalars" : fromName(c.title);
            s.spec.title = fromName(chart.title);
            for (const std::string &p : chart.tagPatterns) {
                QRegularExpression re(fromName(p));
                if (re.isValid()) s.spec.patterns << re;
            }
            s.spec.margins = chart.margins;
            if (s.spec.title.isEmpty()) {
                QStringList parts;
                for (const std::string &p : chart.tagPatterns)
                    parts << fromName(p);
                for (const MarginSeries &m : chart.margins)
                    parts << fromName(m.value);
                s.spec.title = parts.join(", ");
            }
            m_custom << s;
        }
}

void ScalarsView::syncSpecChart(SpecChart &s, const QSet<QString> &dirtyRuns) {
    if (!m_index) return;
    if (!s.chart) {
        s.chart = makeChart(s.spec.title);
        if (s.section == kPinnedSection) {
            QToolButton *unpinButton = s.chart->addHeaderButton("unpin", "Remove this chart");
            ScalarChart *chart = s.chart;
            connect(unpinButton, &QToolButton::clicked, this, [this, chart] {
                for (int i = 0; i < m_pinned.size(); ++i)
                    if (m_pinned[i].chart == chart) return unpin(i);
            });
        }
    }
    QSet<QString> shown;
    QHash<QString, QString> groupOfCurve;
    auto show = [&](const QString &label, const QString &run, const QString &tag,
                    const CurveSource &source) {
        shown.insert(label);
        if (m_grouping.active()) groupOfCurve.insert(label, curveLabel(runGroup(run), tag));
        if (s.chart->hasCurve(label) && !dirtyRuns.contains(run)) return;
        s.chart->setCurve(label, runColor(label), source);
    };
    for (auto it = m_visible.begin(); it != m_visible.end(); ++it) {
        const RunData *run = m_index->run(toName(it.key()));
        if (!run) continue;
        for (const auto &[name, tag] : run->tags) {
            if (tag.kind != TagKind::Scalar) continue;
            const QString tagName = fromName(name);
            auto known = s.matched.find(tagName);
            if (known == s.matched.end())
                known = s.matched.insert(tagName, s.spec.matches(tagName));
            if (*known)
                show(curveLabel(it.key(), tagName), it.key(), tagName,
                     CurveSource{it.key(), &tag.scalars, nullptr, nullptr, run->firstWallTime});
        }
        for (const MarginSeries &m : s.spec.margins) {
            const TagData *value = run->tag(m.value);
            if (!value || value->kind != TagKind::Scalar) continue;
            const TagData *lower = run->tag(m.lower), *upper = run->tag(m.upper);
            show(curveLabel(it.key(), fromName(m.value)), it.key(), fromName(m.value),
                 CurveSource{it.key(), &value->scalars, lower ? &lower->scalars : nullptr,
                             upper ? &upper->scalars : nullptr, run->firstWallTime});
        }
    }
    s.chart->setShownRuns(shown);
    s.chart->setGrouping(groupOfCurve, m_grouping);
}

void ScalarsView::sync(const QSet<QString> &dirtyRuns) {
    if (!m_layoutRead) syncCustomLayout();
    // Each visible run looked up once; at 10,000 runs a filter edit passes over them a few
    // times, and every lookup and name conversion counts.
    struct Visible {
        const QString *name;
        const RunData *data;
    };
    std::vector<Visible> visible;
    visible.reserve(size_t(m_visible.size()));
    if (m_index)
        for (auto it = m_visible.begin(); it != m_visible.end(); ++it)
            if (const RunData *run = m_index->run(toName(it.key())))
                visible.push_back({&it.key(), run});

    m_groupOfRun.clear();
    const RunGrouper grouper(m_grouping);
    QSet<QString> hparams;
    for (const Visible &v : visible) {
        const RunHParams *hp = v.data->hparams ? &*v.data->hparams : nullptr;
        if (hp)
            for (const auto &[name, value] : hp->values)
                hparams.insert(fromName(name));
        if (m_grouping.active()) m_groupOfRun.insert(*v.name, grouper.groupOf(*v.name, hp));
    }
    QStringList hparamNames = hparams.values();
    hparamNames.sort();
    m_controls->setHParams(hparamNames);

    // tag -> the visible runs that have it (the names are the index's own strings)
    std::map<std::string_view, std::vector<std::pair<const Visible *, const TagData *>>> tagRuns;
    for (const Visible &v : visible)
        for (const auto &[name, tag] : v.data->tags)
            if (tag.kind == TagKind::Scalar) tagRuns[name].emplace_back(&v, &tag);

    // Charts and curves are made once and then shown or hidden: a filter edit at 10,000 runs
    // costs a flag a curve, not a QCustomPlot graph removed and re-made.
    QSet<QString> tagsShown;
    for (const auto &[name, runs] : tagRuns) {
        const QString tagName = fromName(std::string(name));
        tagsShown.insert(tagName);
        ScalarChart *&chart = m_charts[tagName];
        if (!chart) {
            chart = makeChart(tagName);
            wirePinButton(chart);
        }
        QSet<QString> shown;
        shown.reserve(qsizetype(runs.size()));
        QHash<QString, QString> groupOfCurve;
        for (const auto &[v, tag] : runs) {
            const QString &run = *v->name;
            shown.insert(run);
            if (m_grouping.active()) groupOfCurve.insert(run, runGroup(run));
            if (chart->hasCurve(run) && !dirtyRuns.contains(run)) continue;
            chart->setCurve(run, m_visible.value(run), &tag->scalars, v->data->firstWallTime);
        }
        chart->setShownRuns(shown);
        chart->setGrouping(groupOfCurve, m_grouping);
    }
    for (auto it = m_charts.begin(); it != m_charts.end(); ++it)
        if (!tagsShown.contains(it.key())) it.value()->setShownRuns({});
    for (QList<SpecChart> *specs : {&m_pinned, &m_custom})
        for (SpecChart &s : *specs)
            syncSpecChart(s, dirtyRuns);
    layoutSections();
}

QList<ScalarChart *> ScalarsView::charts() const {
    QList<ScalarChart *> out;
    for (ScalarChart *c : m_charts)
        if (c->showsAnyRun()) out << c;
    return out;
}

ScalarChart *ScalarsView::chart(const QString &tag) const {
    ScalarChart *c = m_charts.value(tag);
    return c && c->showsAnyRun() ? c : nullptr;
}

QList<ScalarChart *> ScalarsView::pinnedCharts() const {
    QList<ScalarChart *> out;
    for (const SpecChart &s : m_pinned)
        if (s.chart) out << s.chart;
    return out;
}

QList<ScalarChart *> ScalarsView::customCharts() const {
    QList<ScalarChart *> out;
    for (const SpecChart &s : m_custom)
        if (s.chart) out << s.chart;
    return out;
}

QString ScalarsView::layoutProblems() const {
    return m_layoutProblems;
}

void ScalarsView::setTagFilter(const QString &regex) {
    m_tagFilter = regex;
    m_controls->setTagFilter(regex);
    layoutSections();
}

void ScalarsView::layoutSections() {
    const QRegularExpression re(m_tagFilter, QRegularExpression::CaseInsensitiveOption);
    // The charts of several tags first, in their sections: pinned, then the layout's.
    QMap<QString, QList<QWidget *>> specShown;
    QStringList specOrder;
    for (const QList<SpecChart> *specs : {&m_pinned, &m_custom})
        for (const SpecChart &s : *specs) {
            if (!specOrder.contains(s.section)) specOrder << s.section;
            if (!s.chart) continue;
            if (s.chart->showsAnyRun())
                specShown[s.section] << s.chart;
            else
                s.chart->hide();
        }
    dropSectionsBut(m_specSections, [&](const QString &name) { return specOrder.contains(name); });
    int position = 2; // after the problems and the empty-state hint
    int charts = 0;   // with a visible run's curve
    for (const QString &name : specOrder) {
        ChartSection *&section = m_specSections[name];
        if (!section) section = new ChartSection(name, this);
        m_sectionsLayout->insertWidget(position++, section);
        const QList<QWidget *> shown = specShown.value(name);
        section->setCharts(shown);
        section->setVisible(!shown.isEmpty());
        for (QWidget *chart : shown)
            chart->show();
        charts += int(shown.size());
    }

    QMap<QString, QList<QWidget *>> all, shown; // by group
    for (auto it = m_charts.begin(); it != m_charts.end(); ++it) {
        const QString group = groupOf(it.key());
        all[group]; // its section keeps the hidden charts too: it owns them
        if (!it.value()->showsAnyRun()) {
            it.value()->hide();
            continue;
        }
        ++charts;
        if (!re.isValid() || re.match(displayName(it.key())).hasMatch())
            shown[group] << it.value();
        else
            it.value()->hide();
    }
    // A section goes only when its group has no chart left (its charts were deleted already).
    dropSectionsBut(m_sections, [&](const QString &group) { return all.contains(group); });
    for (auto it = all.begin(); it != all.end(); ++it, ++position) {
        ChartSection *&section = m_sections[it.key()];
        if (!section) section = new ChartSection(it.key(), this);
        m_sectionsLayout->insertWidget(position, section);
        const QList<QWidget *> sectionCharts = shown.value(it.key());
        section->setCharts(sectionCharts);
        section->setVisible(!sectionCharts.isEmpty());
        for (QWidget *chart : sectionCharts)
            chart->show();
    }
    m_emptyHint->setVisible(charts == 0);
}

} // namespace trainscope
