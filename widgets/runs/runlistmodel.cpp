#include "widgets/runs/runlistmodel.h"

#include <QSet>

#include "widgets/names.h"

#include <algorithm>

namespace trainscope {

RunListModel::RunListModel(QObject *parent)
    : QAbstractListModel(parent) {}

int RunListModel::rowOf(const QString &run) const {
    auto it = std::lower_bound(m_runs.begin(), m_runs.end(), run,
                               [](const Run &r, const QString &name) { return r.name < name; });
    return (it != m_runs.end() && it->name == run) ? int(it - m_runs.begin()) : -1;
}

void RunListModel::addRuns(const QStringList &runs) {
    QVector<Run> added;
    for (const QString &name : runs)
        if (rowOf(name) < 0) added.push_back(Run{name, runColor(name), true, {}});
    if (added.isEmpty()) return;
    auto byName = [](const Run &a, const Run &b) { return a.name < b.name; };
    std::sort(added.begin(), added.end(), byName);
    added.erase(std::unique(added.begin(), added.end(),
                            [](const Run &a, const Run &b) { return a.name == b.name; }),
                added.end());
    if (added.size() == 1) { // a run appearing live: one row, the view keeps its place
        const auto it = std::lower_bound(m_runs.begin(), m_runs.end(), added.front(), byName);
        const int row = int(it - m_runs.begin());
        beginInsertRows({}, row, row);
        m_runs.insert(row, added.front());
        endInsertRows();
        return;
    }
    // Thousands at once (a logdir opened): one merge, not a row inserted (and moved) each.
    beginResetModel();
    QVector<Run> merged;
    merged.reserve(m_runs.size() + added.size());
    std::merge(m_runs.begin(), m_runs.end(), added.begin(), added.end(), std::back_inserter(merged),
               byName);
    m_runs = std::move(merged);
    endResetModel();
}

void RunListModel::setToolTip(const QString &run, const QString &text) {
    const int row = rowOf(run);
    if (row < 0) return;
    m_runs[row].toolTip = text;
    emit dataChanged(index(row), index(row), {Qt::ToolTipRole});
}

void RunListModel::setAllChecked(bool checked) {
    for (auto &r : m_runs)
        r.checked = checked;
    if (!m_runs.isEmpty())
        emit dataChanged(index(0), index(int(m_runs.size()) - 1), {Qt::CheckStateRole});
    emit selectionChanged();
}

void RunListModel::setCheckedRuns(const QStringList &runs) {
    const QSet<QString> wanted(runs.begin(), runs.end());
    for (auto &r : m_runs)
        r.checked = wanted.contains(r.name);
    if (!m_runs.isEmpty())
        emit dataChanged(index(0), index(int(m_runs.size()) - 1), {Qt::CheckStateRole});
    emit selectionChanged();
}

void RunListModel::clear() {
    beginResetModel();
    m_runs.clear();
    endResetModel();
}

QStringList RunListModel::runs() const {
    QStringList out;
    for (const auto &r : m_runs)
        out << r.name;
    return out;
}

QStringList RunListModel::checkedRuns() const {
    QStringList out;
    for (const auto &r : m_runs)
        if (r.checked) out << r.name;
    return out;
}

QColor RunListModel::color(const QString &run) const {
    const int row = rowOf(run);
    return row < 0 ? QColor() : m_runs[row].color;
}

bool RunListModel::isChecked(const QString &run) const {
    const int row = rowOf(run);
    return row >= 0 && m_runs[row].checked;
}

int RunListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_runs.size());
}

QVariant RunListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Run &r = m_runs[index.row()];
    switch (role) {
    case Qt::DisplayRole: // what the run filter's regular expression matches
        return displayName(r.name);
    case RunNameRole:
        return r.name;
    case Qt::DecorationRole:
    case ColorRole:
        return r.color;
    case Qt::CheckStateRole:
        return r.checked ? Qt::Checked : Qt::Unchecked;
    case Qt::ToolTipRole:
        return r.toolTip.isEmpty() ? r.name : r.toolTip;
    default:
        return {};
    }
}

bool RunListModel::setData(const QModelIndex &index, const QVariant &value, int role) {
    if (role != Qt::CheckStateRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    const bool checked =
        value.value<Qt::CheckState>() == Qt::Checked || value.toInt() == Qt::Checked;
    if (m_runs[index.row()].checked == checked) return true;
    m_runs[index.row()].checked = checked;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    emit selectionChanged();
    return true;
}

Qt::ItemFlags RunListModel::flags(const QModelIndex &index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable;
}

} // namespace trainscope
