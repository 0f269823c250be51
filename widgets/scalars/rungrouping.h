// Which runs are drawn together as one group: by a regular expression's captures
// ("(.*)/seed\d+" puts lr=0.1/seed1 and lr=0.1/seed2 in "lr=0.1"), by an hparam's value, or
// by the folder a run sits in; and how a group is drawn.
#pragma once

#include "widgets/scalars/groupaggregate.h"

#include <QRegularExpression>
#include <QString>

namespace trainscope {

struct RunHParams;

enum class GroupBy { None, Pattern, ParentFolder, HParam };

struct Grouping {
    GroupBy by = GroupBy::None;
    QString pattern; // GroupBy::Pattern
    QString hparam;  // GroupBy::HParam
    GroupCenter center = GroupCenter::Mean;
    GroupBand band = GroupBand::MinMax;
    bool showMembers = false; // draw each member, faint, under its group
    bool active() const { return by != GroupBy::None; }
    bool operator==(const Grouping &o) const {
        return by == o.by && pattern == o.pattern && hparam == o.hparam && center == o.center &&
               band == o.band && showMembers == o.showMembers;
    }
    bool operator!=(const Grouping &o) const { return !(*this == o); }
};

// Groups runs under one grouping, its pattern compiled once for a pass over every run.
class RunGrouper {
public:
    explicit RunGrouper(const Grouping &grouping);
    // As groupOfRun.
    QString groupOf(const QString &run, const RunHParams *hparams) const;

private:
    Grouping m_grouping;
    QRegularExpression m_pattern;
};

// The group `run` is drawn in. A run the pattern does not match is a group of its own (its
// name); a pattern's captures are joined by '/', and a pattern with none names the group by
// its whole match. `hparams` is the run's (null when it has none).
QString groupOfRun(const QString &run, const Grouping &grouping, const RunHParams *hparams);

// Why `pattern` cannot group ("" when it can).
QString groupingPatternError(const QString &pattern);

} // namespace trainscope
