#include "widgets/hparams/hparamstablemodel.h"

#include "widgets/names.h"

namespace trainscope {

HParamsTableModel::HParamsTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void HParamsTableModel::setSessions(HParamSessions sessions) {
    beginResetModel();
    m_data = std::move(sessions);
    endResetModel();
}

int HParamsTableModel::rowOf(const QString &run) const {
    const std::string name = toName(run);
    for (size_t i = 0; i < m_data.sessions.size(); ++i)
        if (m_data.sessions[i].run == name) return int(i);
    return -1;
}

HParamsTableModel::Column HParamsTableModel::columnKind(int column) const {
    if (column == 0) return Column::Run;
    if (column == 1) return Column::Status;
    return column - 2 < int(m_data.hparams.size()) ? Column::HParam : Column::Metric;
}

QString HParamsTableModel::columnName(int column) const {
    switch (columnKind(column)) {
    case Column::Run:
        return "Run";
    case Column::Status:
        return "Status";
    case Column::HParam:
        return fromName(m_data.hparams[size_t(column - 2)]);
    case Column::Metric:
        return fromName(m_data.metrics[size_t(column - 2 - int(m_data.hparams.size()))]);
    }
    return {};
}

int HParamsTableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_data.sessions.size());
}

int HParamsTableModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : 2 + int(m_data.hparams.size() + m_data.metrics.size());
}

QVariant HParamsTableModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole &&
        role != Qt::TextAlignmentRole)
        return {};
    const HParamSession &s = m_data.sessions[size_t(index.row())];
    const Column kind = columnKind(index.column());
    QVariant value;
    switch (kind) {
    case Column::Run:
        value = displayName(fromName(s.run));
        break;
    case Column::Status:
        value = QString(sessionStatusName(s.status));
        break;
    case Column::HParam: {
        const auto it = s.hparams.find(m_data.hparams[size_t(index.column() - 2)]);
        if (it == s.hparams.end()) break;
        if (const double *d = std::get_if<double>(&it->second))
            value = *d;
        else if (const bool *b = std::get_if<bool>(&it->second))
            value = QString(*b ? "true" : "false");
        else
            value = fromName(std::get<std::string>(it->second));
        break;
    }
    case Column::Metric: {
        const auto it = s.metrics.find(
            m_data.metrics[size_t(index.column() - 2 - int(m_data.hparams.size()))]);
        if (it != s.metrics.end()) value = it->second;
        break;
    }
    }
    const bool number = value.typeId() == QMetaType::Double;
    if (role == Qt::TextAlignmentRole)
        return number ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    if (role == SortRole) return value;
    if (role == Qt::ToolTipRole) return kind == Column::Run ? value : QVariant();
    return number ? QString::number(value.toDouble(), 'g', 6) : value;
}

QVariant HParamsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
    if (role == Qt::DisplayRole) return columnName(section);
    if (role == Qt::ToolTipRole)
        return columnKind(section) == Column::Metric ? "metric: the last value of this scalar"
               : columnKind(section) == Column::HParam ? "hyperparameter"
                                                       : QVariant();
    return {};
}

} // namespace trainscope
