// The Scalars tab's controls: smoothing, x axis, outliers and the tag filter on the first row;
// how runs are grouped and drawn, and whether charts share x and crosshair, on the second.
#pragma once

#include "widgets/scalars/rungrouping.h"
#include "widgets/scalars/scalarchart.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSlider;
class QTimer;

namespace trainscope {

class ScalarsControls : public QWidget {
    Q_OBJECT
public:
    explicit ScalarsControls(QWidget *parent = nullptr);

    ChartSettings settings() const;
    void setSettings(const ChartSettings &settings); // emits nothing
    Grouping grouping() const;
    void setGrouping(const Grouping &grouping); // emits nothing
    void setHParams(const QStringList &names);  // the hparams runs can be grouped by
    bool syncCharts() const;
    void setSyncCharts(bool on);
    QString tagFilter() const;
    void setTagFilter(const QString &regex); // emits nothing
    QString groupingError() const;           // a pattern that does not compile, said

signals:
    void settingsChanged();
    void groupingChanged();
    void syncChanged(bool on);
    void tagFilterEdited(const QString &regex);

private:
    void showGroupingFields();

    QSlider *m_smoothingSlider;
    QDoubleSpinBox *m_smoothingBox;
    QComboBox *m_xAxis;
    QCheckBox *m_ignoreOutliers;
    QLineEdit *m_tagFilterEdit;
    QComboBox *m_groupBy;
    QLineEdit *m_pattern;
    QComboBox *m_hparam;
    QComboBox *m_center;
    QComboBox *m_band;
    QCheckBox *m_members;
    QCheckBox *m_sync;
    QLabel *m_patternError;
    QTimer *m_patternTimer; // a pattern is applied once typing pauses
};

} // namespace trainscope
