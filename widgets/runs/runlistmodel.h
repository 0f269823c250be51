// The run list: one row per run with a checkbox (shown in charts or not) and a stable colour.
// Runs keep their colour and check state as the logdir grows.
#pragma once

#include "widgets/runs/runcolor.h"

#include <QAbstractListModel>
#include <QColor>
#include <QStringList>
#include <QVector>

namespace trainscope {

class RunListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { RunNameRole = Qt::UserRole + 1, ColorRole };

    explicit RunListModel(QObject *parent = nullptr);

    // Adds the runs not yet listed (sorted in), keeping every existing run's state.
    void addRuns(const QStringList &runs);
    void setToolTip(const QString &run, const QString &text);
    void setAllChecked(bool checked);
    void setCheckedRuns(const QStringList &runs); // exactly these checked

    void clear();

    QStringList runs() const;
    QStringList checkedRuns() const;
    QColor color(const QString &run) const;
    bool isChecked(const QString &run) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

signals:
    void selectionChanged(); // a run was checked or unchecked

private:
    struct Run {
        QString name;
        QColor color;
        bool checked = true;
        QString toolTip;
    };
    int rowOf(const QString &run) const;
    QVector<Run> m_runs;
};

} // namespace trainscope
