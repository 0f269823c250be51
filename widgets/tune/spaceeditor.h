// The search-space editor of the "New sweep" form: one table row per parameter (name, type,
// range, step, sampling, values, condition), read back into Params the core validates.
#pragma once

#include "core/tune/searchspace.h"

#include <QGroupBox>
#include <QStringList>
#include <vector>

class QTableWidget;

namespace trainscope {

class SpaceEditor : public QGroupBox {
    Q_OBJECT
public:
    enum Column {
        NameColumn, // an editable list of common spec paths
        TypeColumn, // float, int, choice, boolean, fixed
        MinColumn,
        MaxColumn,
        StepColumn,      // empty or 0: continuous
        SamplingColumn,  // numbers: linear/log/reverse_log; choices: unordered/ordered
        ValuesColumn,    // choices: a comma list ("quoted" text that looks like a number); fixed
        ConditionColumn, // "parent = v1, v2", several joined by ";"
        ColumnCount
    };

    explicit SpaceEditor(QWidget *parent = nullptr);

    // A sensible range for a common spec path (learning rate: log 1e-4..1e-2, a layer's units:
    // 16..256, its type: conv1d, lstm or gru...); a linear 0..1 float for any other name.
    static Param preset(const QString &name);
    static QStringList commonPaths();
    // The paths the name column offers (a base job's JobSpec::tunableFields()); the rows keep
    // their names.
    void setPaths(const QStringList &paths);
    const QStringList &paths() const { return m_paths; }

    void setParams(const std::vector<Param> &params);
    // The rows as parameters, in order. Throws SpecError naming what the table cannot express
    // ("space.model.hidden.max: not a number: lots"); ranges, choices and conditions are
    // checked by SearchSpace.
    std::vector<Param> params() const;

    int addParam(const Param &param); // appends a row; returns it
    void removeRow(int row);
    void moveRow(int row, int delta); // contents move; the selection follows
    // Selects the row an error's field names ("space.model.hidden", "space[2].when").
    bool selectField(const QString &field);

    QTableWidget *table() const { return m_table; }

private:
    void updateRow(int row); // sampling choices and editable cells follow the row's type
    void applyPreset(int row, const QString &name);
    int rowOfWidget(const QWidget *w, int column) const;
    Param paramAt(int row, const std::vector<Param> &earlier) const;

    QTableWidget *m_table;
    QStringList m_paths;
};

} // namespace trainscope
