// The HParams table: one row per session, columns for the run, its status, every hparam and
// every metric. Numbers stay numbers: the sort role holds doubles, so 10 sorts after 9.
#pragma once

#include "core/events/hparamsessions.h"

#include <QAbstractTableModel>

namespace trainscope {

class HParamsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column { Run, Status, HParam, Metric };
    static constexpr int SortRole = Qt::UserRole + 1; // double, QString or invalid (missing)

    explicit HParamsTableModel(QObject *parent = nullptr);

    void setSessions(HParamSessions sessions);
    const HParamSessions &sessions() const { return m_data; }
    const HParamSession &session(int row) const { return m_data.sessions[size_t(row)]; }
    int rowOf(const QString &run) const; // -1: none

    Column columnKind(int column) const;
    QString columnName(int column) const; // the hparam's or metric's name

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    HParamSessions m_data;
};

} // namespace trainscope
