// The Scalars tab: a chart per scalar tag, grouped in collapsible sections by the tag's prefix
// before the first '/', with the settings TensorBoard users expect (smoothing, x axis, ignore
// outliers) and a tag filter.
#pragma once

#include "widgets/scalars/scalarchart.h"

#include <QMap>
#include <QSet>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSlider;
class QVBoxLayout;

namespace trainscope {

class LogdirIndex;
class ChartSection;

class ScalarsView : public QWidget {
    Q_OBJECT
public:
    explicit ScalarsView(QWidget *parent = nullptr);

    // The index the charts read from; it must outlive its use here (setIndex(nullptr) first).
    void setIndex(const LogdirIndex *index);
    // Which runs to draw, in which colours.
    void setVisibleRuns(const QMap<QString, QColor> &runs);
    // These runs' data grew on disk.
    void runsChanged(const QStringList &runs);

    void setSettings(const ChartSettings &settings);
    const ChartSettings &settings() const { return m_settings; }
    void setTagFilter(const QString &regex);

    QList<ScalarChart *> charts() const { return m_charts.values(); }
    ScalarChart *chart(const QString &tag) const { return m_charts.value(tag); }
    QStringList groups() const { return m_sections.keys(); }

    static QString groupOf(const QString &tag);

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
