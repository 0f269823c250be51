// The HParams tab, for every logdir holding HParams plugin data: a table of sessions (sort by
// any column, filter, choose the columns), parallel coordinates over every hparam with the
// chosen metric as the last axis, and a scatter matrix of hparams against metrics. Selecting
// sessions (in any of the three) says which runs they are, so the other tabs can show them.
// It follows the run filter, not the run list's checkboxes: those are what it selects.
#pragma once

#include "core/events/hparamsessions.h"
#include "widgets/dashboard/dashboard.h"

#include <QSet>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace trainscope {

class HParamsTableModel;
class ParallelCoordinates;
class ScatterMatrix;

class HParamsView : public Dashboard {
    Q_OBJECT
public:
    explicit HParamsView(QWidget *parent = nullptr);

    void setIndex(const LogdirIndex *index) override;
    void setVisibleRuns(const QMap<QString, QColor> &runs) override;
    void runsChanged(const QStringList &runs) override;
    // Metric columns whose name matches (the other tabs' tags); hparams always show.
    void setTagFilter(const QString &regex) override;

    HParamsTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    ParallelCoordinates *parallelCoordinates() const { return m_parallel; }
    ScatterMatrix *scatterMatrix() const { return m_scatter; }
    void setSessionFilter(const QString &regex); // rows whose run or any value matches
    void setColumnShown(int column, bool shown);
    bool isColumnShown(int column) const;
    void setScoreMetric(const QString &metric); // the parallel coordinates' last axis
    void selectRuns(const QStringList &runs);
    QStringList selectedRuns() const;

signals:
    void runsSelected(const QStringList &runs);

private:
    void reload();
    void rebuildParallel();
    void onSelectionChanged();
    void showColumnsMenu();

    const LogdirIndex *m_index = nullptr;
    QSet<QString> m_visible;
    QString m_tagFilter;
    QSet<QString> m_hiddenColumns; // by name, kept across reloads
    HParamsTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLineEdit *m_filter;
    QToolButton *m_columns;
    QComboBox *m_metric;
    QLabel *m_count;
    ParallelCoordinates *m_parallel;
    ScatterMatrix *m_scatter;
};

} // namespace trainscope
