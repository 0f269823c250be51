#include "widgets/runs/runlistmodel.h"

#include <QSet>

#include "widgets/names.h"

#include <algorithm>

namespace trainscope {

QColor runColor(int index) {
    static const char *const palette[] = {"#ff7043", "#0077bb", "#009988", "#ee3377", "#33bbee",
                                          "#7e57c2", "#cc3311", "#c0ca33", "#8d6e63", "#888888"};
    constexpr int n = int(sizeof palette / sizeof *palette);
    QColor c(palette[index % n]);
    if (index >= n) c = c.darker(100 + 25 * (index / n)); // later cycles: darker shades
    return c;
}

RunListModel::RunListModel(QObject *parent)
    : QAbstractListModel(parent) {}

int RunListModel::rowOf(const QString &run) const {
    auto it = std::lower_bound(m_runs.begin(), m_runs.end(), run,
                               [](const Run &r, const QString &name) { return r.name < name; });
    return (it != m_runs.end() && it->name == run) ? int(it - m_runs.begin()) : -1;
}

void RunListModel::addRuns(const QStringList &runs) {
    for (const QString &name : runs) {
        if (rowOf(name) >= 0) continue;
        auto it = std::lower_bound(m_runs.begin(), m_runs.end(), name,
                                   [](const Run &r, const QString &n) { return r.name < n; });
        const int row = int(it - m_runs.begin());
        beginInsertRows({}, row, row);
        m_runs.insert(row, Run{name, runColor(m_colorsUsed++), true, {}});
        endInsertRows();
    }
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
    m_colorsUsed = 0;
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
