#include "widgets/scalars/scalarsview.h"

#include "core/events/logdirindex.h"
#include "widgets/dashboard/chartsection.h"
#include "widgets/names.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSlider>
#include <QVBoxLayout>

namespace trainscope {

ScalarsView::ScalarsView(QWidget *parent)
    : Dashboard(parent)
    , m_smoothingSlider(new QSlider(Qt::Horizontal, this))
    , m_smoothingBox(new QDoubleSpinBox(this))
    , m_xAxis(new QComboBox(this))
    , m_ignoreOutliers(new QCheckBox("Ignore outliers", this))
    , m_tagFilterEdit(new QLineEdit(this))
    , m_sectionsLayout(nullptr)
    , m_emptyHint(new QLabel("No scalar data in the selected runs.", this)) {
    m_smoothingSlider->setRange(0, 999);
    m_smoothingSlider->setValue(int(m_settings.smoothing * 1000));
    m_smoothingSlider->setMaximumWidth(180);
    m_smoothingBox->setRange(0, 0.999);
    m_smoothingBox->setDecimals(3);
    m_smoothingBox->setSingleStep(0.05);
    m_smoothingBox->setValue(m_settings.smoothing);
    m_xAxis->addItems({"Step", "Relative", "Wall"});
    m_ignoreOutliers->setToolTip("Fit the y axis to the 5th–95th percentiles");
    m_tagFilterEdit->setPlaceholderText("Filter tags (regex)");
    m_tagFilterEdit->setClearButtonEnabled(true);
    m_tagFilterEdit->setMaximumWidth(320);

    connect(m_smoothingSlider, &QSlider::valueChanged, this,
            [this](int v) { m_smoothingBox->setValue(v / 1000.0); });
    connect(m_smoothingBox, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this](double v) {
                const QSignalBlocker block(m_smoothingSlider);
                m_smoothingSlider->setValue(int(std::lround(v * 1000)));
                settingsFromControls();
            });
    connect(m_xAxis, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &ScalarsView::settingsFromControls);
    connect(m_ignoreOutliers, &QCheckBox::toggled, this, &ScalarsView::settingsFromControls);
    connect(m_tagFilterEdit, &QLineEdit::textChanged, this, [this](const QString &regex) {
        setTagFilter(regex);
        emit tagFilterChanged(regex);
    });

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel("Smoothing", this));
    controls->addWidget(m_smoothingSlider);
    controls->addWidget(m_smoothingBox);
    controls->addSpacing(16);
    controls->addWidget(new QLabel("Horizontal axis", this));
    controls->addWidget(m_xAxis);
    controls->addSpacing(16);
    controls->addWidget(m_ignoreOutliers);
    controls->addStretch(1);
    controls->addWidget(m_tagFilterEdit);

    auto *container = new QWidget;
    m_sectionsLayout = new QVBoxLayout(container);
    m_sectionsLayout->addWidget(m_emptyHint);
    m_sectionsLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(container);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(scroll, 1);
}

void ScalarsView::setIndex(const LogdirIndex *index) {
    m_index = index;
    qDeleteAll(m_charts); // every curve points into the old index
    m_charts.clear();
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
    if (!dirty.isEmpty()) sync(dirty);
}

void ScalarsView::settingsFromControls() {
    ChartSettings s;
    s.smoothing = m_smoothingBox->value();
    s.xAxis = static_cast<XAxisMode>(m_xAxis->currentIndex());
    s.ignoreOutliers = m_ignoreOutliers->isChecked();
    setSettings(s);
}

void ScalarsView::setSettings(const ChartSettings &settings) {
    m_settings = settings;
    {
        const QSignalBlocker b1(m_smoothingBox), b2(m_smoothingSlider), b3(m_xAxis),
            b4(m_ignoreOutliers);
        m_smoothingBox->setValue(settings.smoothing);
        m_smoothingSlider->setValue(int(std::lround(settings.smoothing * 1000)));
        m_xAxis->setCurrentIndex(int(settings.xAxis));
        m_ignoreOutliers->setChecked(settings.ignoreOutliers);
    }
    for (ScalarChart *chart : std::as_const(m_charts))
        chart->setSettings(settings);
}

void ScalarsView::sync(const QSet<QString> &dirtyRuns) {
    // tag -> the visible runs that have it
    QMap<QString, QSet<QString>> tagRuns;
    if (m_index)
        for (auto it = m_visible.begin(); it != m_visible.end(); ++it)
            if (const RunData *run = m_index->run(toName(it.key())))
                for (const auto &[name, tag] : run->tags)
                    if (tag.kind == TagKind::Scalar) tagRuns[fromName(name)].insert(it.key());

    // Charts and curves are made once and then shown or hidden: a filter edit at 10,000 runs
    // costs a flag a curve, not a QCustomPlot graph removed and re-made.
    for (auto it = m_charts.begin(); it != m_charts.end(); ++it)
        if (!tagRuns.contains(it.key())) it.value()->setShownRuns({});
    for (auto it = tagRuns.begin(); it != tagRuns.end(); ++it) {
        ScalarChart *&chart = m_charts[it.key()];
        if (!chart) {
            chart = new ScalarChart(it.key(), this); // reparented into its section's grid
            chart->hide();
            chart->setSettings(m_settings);
        }
        for (const QString &run : it.value()) {
            if (chart->hasCurve(run) && !dirtyRuns.contains(run)) continue;
            const RunData *data = m_index->run(toName(run));
            const TagData *tag = data ? data->tag(toName(it.key())) : nullptr;
            if (!tag) continue; // gone from the index since tagRuns was made
            chart->setCurve(run, m_visible.value(run), &tag->scalars, data->firstWallTime);
        }
        chart->setShownRuns(it.value());
    }
    applyTagFilter();
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

void ScalarsView::setTagFilter(const QString &regex) {
    m_tagFilter = regex;
    if (m_tagFilterEdit->text() != regex) {
        const QSignalBlocker block(m_tagFilterEdit);
        m_tagFilterEdit->setText(regex);
    }
    applyTagFilter();
}

void ScalarsView::applyTagFilter() {
    const QRegularExpression re(m_tagFilter, QRegularExpression::CaseInsensitiveOption);
    QMap<QString, QList<QWidget *>> all, shown; // by group
    int charts = 0;                             // with a visible run's curve
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
    for (auto it = m_sections.begin(); it != m_sections.end();) {
        if (all.contains(it.key())) {
            ++it;
        } else {
            delete it.value();
            it = m_sections.erase(it);
        }
    }
    int position = 1; // after the empty-state hint
    for (auto it = all.begin(); it != all.end(); ++it, ++position) {
        ChartSection *&section = m_sections[it.key()];
        if (!section) section = new ChartSection(it.key(), this);
        m_sectionsLayout->insertWidget(position, section);
        const QList<QWidget *> charts = shown.value(it.key());
        section->setCharts(charts);
        section->setVisible(!charts.isEmpty());
        for (QWidget *chart : charts)
            chart->show();
    }
    m_emptyHint->setVisible(charts == 0);
}

} // namespace trainscope
