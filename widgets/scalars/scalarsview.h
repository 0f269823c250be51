// The Scalars tab: a chart per scalar tag, grouped in collapsible sections by the tag's prefix
// before the first '/', with the settings TensorBoard users expect (smoothing, x axis, ignore
// outliers) and a tag filter; above them the charts of several tags: those the user pinned,
// and those of the logdir's custom_scalars layouts. Runs can be drawn by group.
#pragma once

#include "core/events/customscalars.h"
#include "widgets/dashboard/dashboard.h"
#include "widgets/scalars/rungrouping.h"
#include "widgets/scalars/scalarchart.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

class QLabel;
class QVBoxLayout;

namespace trainscope {

class ChartSection;
class ScalarsControls;

// A chart of several tags: exact ones (pinned), whole-tag patterns matched from the start as
// TensorBoard's custom_scalars does, and margin series (a value inside its bounds).
struct ChartSpec {
    QString title;
    QStringList tags;
    QList<QRegularExpression> patterns;
    std::vector<MarginSeries> margins;
    bool matches(const QString &tag) const;
};

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
    void setGrouping(const Grouping &grouping);
    const Grouping &grouping() const { return m_grouping; }
    void setSyncCharts(bool on); // one chart's zoom and crosshair on every chart
    ScalarsControls *controls() const { return m_controls; }

    // The charts of one tag that show a visible run (the others wait, hidden, for their runs).
    QList<ScalarChart *> charts() const;
    ScalarChart *chart(const QString &tag) const; // null when none of its runs is visible
    QStringList groups() const { return m_sections.keys(); }

    // Pinned charts: `tag` into pinned chart `index`, or into a new one (index -1).
    void pinTag(const QString &tag, int index = -1);
    void unpin(int index);
    QList<ScalarChart *> pinnedCharts() const;
    QList<ScalarChart *> customCharts() const; // the custom_scalars layout's, in its order
    QString layoutProblems() const;            // what of the layouts could not be read

signals:
    void runsClicked(const QStringList &runs); // a curve was clicked

private:
    struct SpecChart {
        ChartSpec spec;
        QString section;
        ScalarChart *chart = nullptr;
        QHash<QString, bool> matched; // by tag: a pattern runs once a tag
    };

    void sync(const QSet<QString> &dirtyRuns);
    void syncSpecChart(SpecChart &spec, const QSet<QString> &dirtyRuns);
    void syncCustomLayout();
    void layoutSections();
    ScalarChart *makeChart(const QString &title);
    void wirePinButton(ScalarChart *chart);
    QString runGroup(const QString &run) const; // "" when ungrouped

    const LogdirIndex *m_index = nullptr;
    QMap<QString, QColor> m_visible;
    ChartSettings m_settings;
    Grouping m_grouping;
    QHash<QString, QString> m_groupOfRun; // visible runs, when grouped
    bool m_sync = false;
    QMap<QString, ScalarChart *> m_charts;    // by tag
    QMap<QString, ChartSection *> m_sections; // by group
    QList<SpecChart> m_pinned, m_custom;
    QMap<QString, ChartSection *> m_specSections; // "Pinned", then the layout's categories
    QString m_layoutKey;                          // the layout the custom charts were made of
    bool m_layoutRead = false; // since the index was set (then again as runs change)
    QString m_layoutProblems;
    QString m_tagFilter;

    ScalarsControls *m_controls;
    QVBoxLayout *m_sectionsLayout;
    QLabel *m_emptyHint;
    QLabel *m_problemLabel;
};

} // namespace trainscope
