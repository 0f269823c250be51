// The live trial table of a sweep: id, status, score (a running trial's latest value), epochs
// done of the budget, one column per search-space parameter, duration and error; one row per
// trial id, updated in place as trials progress.
#pragma once

#include "core/tune/searchspace.h"
#include "core/tune/trial.h"

#include <QAbstractTableModel>
#include <QColor>
#include <optional>
#include <vector>

namespace trainscope {

// The colour a trial status is shown in: COMPLETED green, PRUNED grey, FAILED red, RUNNING
// blue, INVALID orange.
QColor trialStatusColor(TrialStatus status);
// "COMPLETED", "RUNNING", ... as the study and the CLI write them.
QString trialStatusText(TrialStatus status);

class TrialTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn, StatusColumn, ScoreColumn, EpochsColumn, FirstParamColumn };
    enum Role {
        SortRole = Qt::UserRole, // numbers as numbers; unscored trials sort after the worst
        TrialIdRole,             // int, any column
    };

    explicit TrialTableModel(QObject *parent = nullptr);

    // The parameters become columns (a reset). Trials are kept.
    void setSpace(const SearchSpace &space);
    const SearchSpace &space() const { return m_space; }
    // The direction decides where unscored trials sort (after the worst score).
    void setObjective(const Objective &objective);
    // The budget of trials whose own is 0: the base job's training.epochs (0: unknown, as for
    // a command sweep).
    void setDefaultEpochs(int epochs);
    int budgetOf(const Trial &t) const { return t.epochs > 0 ? t.epochs : m_defaultEpochs; }

    void setTrials(std::vector<Trial> trials); // replaces every row (kept in id order)
    // Updates the row of `trial.id` in place, or inserts it in id order.
    void upsert(const Trial &trial);
    void clear();

    const Trial &trial(int row) const { return m_trials[size_t(row)]; }
    const std::vector<Trial> &trials() const { return m_trials; }
    int rowOf(int trialId) const; // -1 when absent

    int paramCount() const { return int(m_space.params().size()); }
    int durationColumn() const { return FirstParamColumn + paramCount(); }
    int errorColumn() const { return durationColumn() + 1; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVariant display(const Trial &t, int column) const;
    QVariant sortKey(const Trial &t, int column) const;

    SearchSpace m_space;
    Objective m_objective;
    int m_defaultEpochs = 0;
    std::vector<Trial> m_trials; // by id
};

// The last finite value a trial reported (its objective at its latest epoch), if any.
std::optional<double> latestValue(const Trial &trial);

// A value as the tables and plots show it: floats to 4 significant digits, strings unquoted.
QString paramDisplay(const ParamValue &value);

} // namespace trainscope
