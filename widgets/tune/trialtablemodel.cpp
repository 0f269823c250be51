#include "widgets/tune/trialtablemodel.h"

#include "widgets/format.h"

#include <QFont>
#include <algorithm>
#include <cmath>
#include <limits>

namespace trainscope {
namespace {

QVariant paramSortKey(const ParamValue &v) {
    if (auto *b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
    if (auto *i = std::get_if<int64_t>(&v)) return double(*i);
    if (auto *d = std::get_if<double>(&v)) return *d;
    return QString::fromStdString(std::get<std::string>(v));
}

QString paramHeaderHint(const Param &p) {
    switch (p.kind) {
    case ParamKind::Int:
    case ParamKind::Float: {
        QString hint = QString("%1 %2 … %3")
                           .arg(p.kind == ParamKind::Int ? "int" : "float")
                           .arg(p.min, 0, 'g', 6)
                           .arg(p.max, 0, 'g', 6);
        if (p.step > 0) hint += QString(", step %1").arg(p.step, 0, 'g', 6);
        if (p.scale == Scale::Log) hint += ", log";
        if (p.scale == Scale::ReverseLog) hint += ", reverse log";
        return hint;
    }
    case ParamKind::Choice: {
        QStringList values;
        for (const ParamValue &v : p.choices)
            values << paramDisplay(v);
        return "choice of " + values.join(", ");
    }
    case ParamKind::Boolean:
        return "boolean";
    case ParamKind::Fixed:
        return "fixed at " + paramDisplay(p.fixed);
    }
    return {};
}

} // namespace

QColor trialStatusColor(TrialStatus status) {
    switch (status) {
    case TrialStatus::Completed:
        return QColor("#2e7d32");
    case TrialStatus::Pruned:
        return QColor("#757575");
    case TrialStatus::Failed:
        return QColor("#c62828");
    case TrialStatus::Running:
        return QColor("#1565c0");
    case TrialStatus::Invalid:
        return QColor("#ef6c00");
    }
    return {};
}

QString trialStatusText(TrialStatus status) {
    return QString::fromLatin1(trialStatusName(status));
}

std::optional<double> latestValue(const Trial &trial) {
    for (auto it = trial.values.rbegin(); it != trial.values.rend(); ++it)
        if (std::isfinite(*it)) return *it;
    return std::nullopt;
}

QString paramDisplay(const ParamValue &value) {
    // Sampled floats carry 17 digits nobody reads; the sort key keeps the exact value.
    if (auto *d = std::get_if<double>(&value)) return QString::number(*d, 'g', 4);
    return QString::fromStdString(paramText(value));
}

TrialTableModel::TrialTableModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void TrialTableModel::setSpace(const SearchSpace &space) {
    beginResetModel();
    m_space = space;
    endResetModel();
}

void TrialTableModel::setObjective(const Objective &objective) {
    m_objective = objective;
    // Only the sort keys of unscored trials change.
    if (!m_trials.empty())
        emit dataChanged(index(0, ScoreColumn), index(rowCount() - 1, ScoreColumn), {SortRole});
}

void TrialTableModel::setDefaultEpochs(int epochs) {
    if (epochs == m_defaultEpochs) return;
    m_defaultEpochs = epochs;
    if (!m_trials.empty())
        emit dataChanged(index(0, EpochsColumn), index(rowCount() - 1, EpochsColumn));
}

void TrialTableModel::setTrials(std::vector<Trial> trials) {
    beginResetModel();
    std::stable_sort(trials.begin(), trials.end(),
                     [](const Trial &a, const Trial &b) { return a.id < b.id; });
    // One row per id: a later entry for the same id is the newer state.
    std::vector<Trial> unique;
    for (Trial &t : trials) {
        if (!unique.empty() && unique.back().id == t.id)
            unique.back() = std::move(t);
        else
            unique.push_back(std::move(t));
    }
    m_trials = std::move(unique);
    endResetModel();
}

void TrialTableModel::upsert(const Trial &trial) {
    auto it = std::lower_bound(m_trials.begin(), m_trials.end(), trial.id,
                               [](const Trial &t, int id) { return t.id < id; });
    const int row = int(it - m_trials.begin());
    if (it != m_trials.end() && it->id == trial.id) {
        *it = trial;
        emit dataChanged(index(row, 0), index(row, columnCount() - 1));
        return;
    }
    beginInsertRows({}, row, row);
    m_trials.insert(it, trial);
    endInsertRows();
}

void TrialTableModel::clear() {
    setTrials({});
}

int TrialTableModel::rowOf(int trialId) const {
    auto it = std::lower_bound(m_trials.begin(), m_trials.end(), trialId,
                               [](const Trial &t, int id) { return t.id < id; });
    return it != m_trials.end() && it->id == trialId ? int(it - m_trials.begin()) : -1;
}

int TrialTableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_trials.size());
}

int TrialTableModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : errorColumn() + 1;
}

QVariant TrialTableModel::display(const Trial &t, int column) const {
    switch (column) {
    case IdColumn:
        return QString::number(t.id);
    case StatusColumn:
        return trialStatusText(t.status);
    case ScoreColumn: {
        if (t.score) return QString::number(*t.score, 'g', 5);
        // Running: the value so far, in italics (see FontRole), so the row is not blank.
        const std::optional<double> latest = latestValue(t);
        return latest ? QString::number(*latest, 'g', 5) : QString();
    }
    case EpochsColumn: {
        const int budget = budgetOf(t);
        // A finished command trial that reported no epochs (its objective printed once): blank,
        // not a misleading "0".
        if (budget <= 0 && t.values.empty() && t.status != TrialStatus::Running) return QString();
        const QString done = budget > 0 ? QString("%1/%2").arg(t.values.size()).arg(budget)
                                        : QString::number(t.values.size());
        return t.status == TrialStatus::Running ? "epoch " + done : done;
    }
    }
    if (column == durationColumn())
        return t.finishedAt > 0 && t.startedAt > 0 ? formatDuration(t.finishedAt - t.startedAt)
                                                   : QString();
    if (column == errorColumn()) {
        // One line in the cell; the tooltip has the whole text.
        const QString error = QString::fromStdString(t.error);
        return error.section('\n', 0, 0);
    }
    const Param &p = m_space.params()[size_t(column - FirstParamColumn)];
    auto it = t.params.find(p.name);
    return it == t.params.end() ? QString() : paramDisplay(it->second);
}

QVariant TrialTableModel::sortKey(const Trial &t, int column) const {
    switch (column) {
    case IdColumn:
        return t.id;
    case StatusColumn:
        return trialStatusText(t.status);
    case ScoreColumn:
        if (t.score) return *t.score;
        if (const std::optional<double> latest = latestValue(t)) return *latest;
        // After the worst score whichever way "best first" sorts.
        return m_objective.maximize ? -std::numeric_limits<double>::infinity()
                                    : std::numeric_limits<double>::infinity();
    case EpochsColumn:
        return int(t.values.size());
    }
    if (column == durationColumn())
        return t.finishedAt > 0 && t.startedAt > 0 ? t.finishedAt - t.startedAt : -1.0;
    if (column == errorColumn()) return QString::fromStdString(t.error);
    const Param &p = m_space.params()[size_t(column - FirstParamColumn)];
    auto it = t.params.find(p.name);
    return it == t.params.end() ? QVariant() : paramSortKey(it->second);
}

QVariant TrialTableModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Trial &t = m_trials[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(t, column);
    case SortRole:
        return sortKey(t, column);
    case TrialIdRole:
        return t.id;
    case Qt::ForegroundRole:
        if (column == StatusColumn || (column == errorColumn() && !t.error.empty()))
            return trialStatusColor(t.status);
        return {};
    case Qt::DecorationRole:
        if (column == StatusColumn) return trialStatusColor(t.status);
        return {};
    case Qt::TextAlignmentRole:
        if (column == StatusColumn || column == errorColumn()) return {};
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (column == errorColumn() && !t.error.empty()) return QString::fromStdString(t.error);
        if (column == EpochsColumn) {
            const int budget = budgetOf(t);
            QString tip = t.epochs > 0 ? QString("budget %1 epochs").arg(t.epochs)
                          : budget > 0 ? QString("the base job's %1 epochs").arg(budget)
                                       : QString("the base spec's epochs");
            if (t.continueFrom > 0)
                tip += QString("; continues trial %1's checkpoint").arg(t.continueFrom);
            return tip;
        }
        if (column == ScoreColumn && !t.values.empty()) {
            QStringList values;
            for (double v : t.values)
                values << QString::number(v, 'g', 4);
            const QString per = "per epoch: " + values.join(", ");
            return t.score
                       ? per
                       : "so far (latest epoch " + QString::number(t.values.size()) + "); " + per;
        }
        return {};
    case Qt::FontRole:
        if (column == ScoreColumn && t.status == TrialStatus::Running) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    }
    return {};
}

QVariant TrialTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
    const bool isParam = section >= FirstParamColumn && section < durationColumn();
    if (role == Qt::ToolTipRole) {
        if (isParam) {
            const Param &p = m_space.params()[size_t(section - FirstParamColumn)];
            return QString::fromStdString(p.name) + ": " + paramHeaderHint(p);
        }
        if (section == ScoreColumn) return QString("The best objective value over the epochs");
        return {};
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case IdColumn:
        return QString("Trial");
    case StatusColumn:
        return QString("Status");
    case ScoreColumn:
        return QString("Score");
    case EpochsColumn:
        return QString("Epochs");
    }
    if (section == durationColumn()) return QString("Duration");
    if (section == errorColumn()) return QString("Error");
    return QString::fromStdString(m_space.params()[size_t(section - FirstParamColumn)].name);
}

} // namespace trainscope
