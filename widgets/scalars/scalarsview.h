// The Scalars tab: a chart per scalar tag, grouped in collapsible sections by the tag's prefix
// before the first '/', with the settings TensorBoard users expect (smoothing, x axis, ignore
// outliers) and a tag filter.
#pragma once

#include "widgets/dashboard/dashboard.h"
#include "widgets/scalars/scalarchart.h"

#include <QSet>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSlider;
class QVBoxLayout;

namespace trainscope {

class ChartSection;

class ScalarsView : public Dashboard {
    Q_OBJECT
public:
    explicit ScalarsView(QWidget *parent = nullptr);

    void setIndex(const LogdirIndex *index) override;
    void setVisibleRuns(const QMap<QString, QColor> &runs) override;
    void runsChanged(const QStringList &runs) override;

    void setSettings(const ChartSettings &settings);
    const ChartSettings &settings() const { return m_settings; }
    void setTagFilter(const QString &regex) override;

    // The charts that show a visible run (the others wait, hidden, for their runs to return).
    QList<ScalarChart *> charts() const;
    ScalarChart *chart(const QString &tag) const; // null when none of its runs is visible
    QStringList groups() const { return m_sections.keys(); }

private:
    void sync(const QSet<QString> &dirtyRuns);
    void applyTagFilter();
    void settingsFromControls();

    const LogdirIndex *m_index = nullptr;
    QMap<QString, QColor> m_visible;
    ChartSettings m_settings;
    QMap<QString, ScalarChart *> m_charts;    // by tag
    QMap<QString, ChartSection *> m_sections; // by group
    QString m_tagFilter;

    QSlider *m_smoothingSlider;
    QDoubleSpinBox *m_smoothingBox;
    QComboBox *m_xAxis;
    QCheckBox *m_ignoreOutliers;
    QLineEdit *m_tagFilterEdit;
    QVBoxLayout *m_sectionsLayout;
    QWidget *m_emptyHint;
};

} // namespace trainscope
