#include "widgets/scalars/scalarscontrols.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>

namespace trainscope {

ScalarsControls::ScalarsControls(QWidget *parent)
    : QWidget(parent)
    , m_smoothingSlider(new QSlider(Qt::Horizontal, this))
    , m_smoothingBox(new QDoubleSpinBox(this))
    , m_xAxis(new QComboBox(this))
    , m_ignoreOutliers(new QCheckBox("Ignore outliers", this))
    , m_tagFilterEdit(new QLineEdit(this))
    , m_groupBy(new QComboBox(this))
    , m_pattern(new QLineEdit(this))
    , m_hparam(new QComboBox(this))
    , m_center(new QComboBox(this))
    , m_band(new QComboBox(this))
    , m_members(new QCheckBox("Members", this))
    , m_sync(new QCheckBox("Sync x and crosshair", this))
    , m_patternError(new QLabel(this))
    , m_patternTimer(new QTimer(this)) {
    const ChartSettings defaults;
    m_smoothingSlider->setRange(0, 999);
    m_smoothingSlider->setValue(int(defaults.smoothing * 1000));
    m_smoothingSlider->setMaximumWidth(180);
    m_smoothingBox->setRange(0, 0.999);
    m_smoothingBox->setDecimals(3);
    m_smoothingBox->setSingleStep(0.05);
    m_smoothingBox->setValue(defaults.smoothing);
    m_xAxis->addItems({"Step", "Relative", "Wall"});
    m_ignoreOutliers->setToolTip("Fit the y axis to the 5th–95th percentiles");
    m_tagFilterEdit->setPlaceholderText("Filter tags (regex)");
    m_tagFilterEdit->setClearButtonEnabled(true);
    m_tagFilterEdit->setMaximumWidth(320);

    // The order of GroupBy, GroupCenter and GroupBand.
    m_groupBy->addItems({"None", "Pattern", "Parent folder", "HParam"});
    m_groupBy->setToolTip("Draw runs that belong together as one curve");
    m_pattern->setPlaceholderText(R"((.*)/seed\d+)");
    m_pattern->setToolTip("A regular expression: runs whose captures are equal form a group");
    m_pattern->setMaximumWidth(240);
    m_center->addItems({"mean", "median"});
    m_band->addItems({"no band", "min–max", "±1 std dev"});
    m_band->setCurrentIndex(int(GroupBand::MinMax));
    m_members->setToolTip("Draw each member run, faint, under its group");
    m_sync->setToolTip("Zooming one chart zooms them all; the crosshair follows the mouse");
    m_patternError->setStyleSheet("color: #b00020;");
    m_patternTimer->setSingleShot(true);
    m_patternTimer->setInterval(250);

    connect(m_smoothingSlider, &QSlider::valueChanged, this,
            [this](int v) { m_smoothingBox->setValue(v / 1000.0); });
    connect(m_smoothingBox, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this](double v) {
                const QSignalBlocker block(m_smoothingSlider);
                m_smoothingSlider->setValue(int(std::lround(v * 1000)));
                emit settingsChanged();
            });
    connect(m_xAxis, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &ScalarsControls::settingsChanged);
    connect(m_ignoreOutliers, &QCheckBox::toggled, this, &ScalarsControls::settingsChanged);
    connect(m_tagFilterEdit, &QLineEdit::textChanged, this, &ScalarsControls::tagFilterEdited);
    for (QComboBox *box : {m_groupBy, m_hparam, m_center, m_band})
        connect(box, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
            showGroupingFields();
            emit groupingChanged();
        });
    connect(m_members, &QCheckBox::toggled, this, &ScalarsControls::groupingChanged);
    connect(m_pattern, &QLineEdit::textChanged, m_patternTimer, qOverload<>(&QTimer::start));
    connect(m_patternTimer, &QTimer::timeout, this, [this] {
        showGroupingFields();
        emit groupingChanged();
    });
    connect(m_sync, &QCheckBox::toggled, this, &ScalarsControls::syncChanged);

    auto *first = new QHBoxLayout;
    first->addWidget(new QLabel("Smoothing", this));
    first->addWidget(m_smoothingSlider);
    first->addWidget(m_smoothingBox);
    first->addSpacing(16);
    first->addWidget(new QLabel("Horizontal axis", this));
    first->addWidget(m_xAxis);
    first->addSpacing(16);
    first->addWidget(m_ignoreOutliers);
    first->addStretch(1);
    first->addWidget(m_tagFilterEdit);
    auto *second = new QHBoxLayout;
    second->addWidget(new QLabel("Group runs by", this));
    second->addWidget(m_groupBy);
    second->addWidget(m_pattern);
    second->addWidget(m_hparam);
    second->addWidget(m_patternError);
    second->addWidget(m_center);
    second->addWidget(m_band);
    second->addWidget(m_members);
    second->addStretch(1);
    second->addWidget(m_sync);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(first);
    layout->addLayout(second);
    showGroupingFields();
}

void ScalarsControls::showGroupingFields() {
    const auto by = GroupBy(m_groupBy->currentIndex());
    m_pattern->setVisible(by == GroupBy::Pattern);
    m_hparam->setVisible(by == GroupBy::HParam);
    for (QWidget *w : std::initializer_list<QWidget *>{m_center, m_band, m_members})
        w->setVisible(by != GroupBy::None);
    const QString error = groupingError();
    m_patternError->setText(error);
    m_patternError->setVisible(!error.isEmpty());
}

ChartSettings ScalarsControls::settings() const {
    ChartSettings s;
    s.smoothing = m_smoothingBox->value();
    s.xAxis = static_cast<XAxisMode>(m_xAxis->currentIndex());
    s.ignoreOutliers = m_ignoreOutliers->isChecked();
    return s;
}

void ScalarsControls::setSettings(const ChartSettings &s) {
    const QSignalBlocker b1(m_smoothingBox), b2(m_smoothingSlider), b3(m_xAxis),
        b4(m_ignoreOutliers);
    m_smoothingBox->setValue(s.smoothing);
    m_smoothingSlider->setValue(int(std::lround(s.smoothing * 1000)));
    m_xAxis->setCurrentIndex(int(s.xAxis));
    m_ignoreOutliers->setChecked(s.ignoreOutliers);
}

Grouping ScalarsControls::grouping() const {
    Grouping g;
    g.by = GroupBy(m_groupBy->currentIndex());
    g.pattern = m_pattern->text();
    g.hparam = m_hparam->currentText();
    g.center = GroupCenter(m_center->currentIndex());
    g.band = GroupBand(m_band->currentIndex());
    g.showMembers = m_members->isChecked();
    // Nothing to group by yet (an empty or broken pattern, no hparam): runs stay apart.
    if ((g.by == GroupBy::Pattern && (g.pattern.isEmpty() || !groupingError().isEmpty())) ||
        (g.by == GroupBy::HParam && g.hparam.isEmpty()))
        g.by = GroupBy::None;
    return g;
}

void ScalarsControls::setGrouping(const Grouping &g) {
    const QSignalBlocker b1(m_groupBy), b2(m_pattern), b3(m_hparam), b4(m_center), b5(m_band),
        b6(m_members);
    m_groupBy->setCurrentIndex(int(g.by));
    m_pattern->setText(g.pattern);
    if (!g.hparam.isEmpty() && m_hparam->findText(g.hparam) < 0) m_hparam->addItem(g.hparam);
    m_hparam->setCurrentText(g.hparam);
    m_center->setCurrentIndex(int(g.center));
    m_band->setCurrentIndex(int(g.band));
    m_members->setChecked(g.showMembers);
    showGroupingFields();
}

void ScalarsControls::setHParams(const QStringList &names) {
    QStringList current;
    for (int i = 0; i < m_hparam->count(); ++i)
        current << m_hparam->itemText(i);
    if (current == names) return;
    const QString chosen = m_hparam->currentText();
    {
        const QSignalBlocker block(m_hparam);
        m_hparam->clear();
        m_hparam->addItems(names);
        m_hparam->setCurrentIndex(std::max(0, int(names.indexOf(chosen))));
    }
    if (m_hparam->currentText() != chosen && GroupBy(m_groupBy->currentIndex()) == GroupBy::HParam)
        emit groupingChanged();
}

bool ScalarsControls::syncCharts() const {
    return m_sync->isChecked();
}
void ScalarsControls::setSyncCharts(bool on) {
    m_sync->setChecked(on);
}

QString ScalarsControls::tagFilter() const {
    return m_tagFilterEdit->text();
}

void ScalarsControls::setTagFilter(const QString &regex) {
    if (m_tagFilterEdit->text() == regex) return;
    const QSignalBlocker block(m_tagFilterEdit);
    m_tagFilterEdit->setText(regex);
}

QString ScalarsControls::groupingError() const {
    if (GroupBy(m_groupBy->currentIndex()) != GroupBy::Pattern) return {};
    return groupingPatternError(m_pattern->text());
}

} // namespace trainscope
