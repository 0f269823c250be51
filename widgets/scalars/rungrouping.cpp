#include "widgets/scalars/rungrouping.h"

#include "core/events/rundata.h"
#include "widgets/names.h"

#include <QRegularExpression>

namespace trainscope {

RunGrouper::RunGrouper(const Grouping &grouping)
    : m_grouping(grouping) {
    if (grouping.by == GroupBy::Pattern) m_pattern = QRegularExpression(grouping.pattern);
}

QString groupOfRun(const QString &run, const Grouping &grouping, const RunHParams *hparams) {
    return RunGrouper(grouping).groupOf(run, hparams);
}

QString RunGrouper::groupOf(const QString &run, const RunHParams *hparams) const {
    const Grouping &g = m_grouping;
    switch (g.by) {
    case GroupBy::None:
        return {};
    case GroupBy::Pattern: {
        const QRegularExpression &re = m_pattern;
        const QRegularExpressionMatch m = re.isValid() ? re.match(run) : QRegularExpressionMatch();
        if (!m.hasMatch()) return run;
        if (re.captureCount() == 0) return m.captured(0);
        QStringList parts;
        for (int i = 1; i <= re.captureCount(); ++i)
            parts << m.captured(i);
        return parts.join('/');
    }
    case GroupBy::ParentFolder: {
        const int slash = run.lastIndexOf('/');
        return slash < 0 ? QString(".") : run.left(slash);
    }
    case GroupBy::HParam: {
        const std::string name = toName(g.hparam);
        if (hparams)
            if (auto it = hparams->values.find(name); it != hparams->values.end())
                return g.hparam + "=" + fromName(hparamToString(it->second));
        return g.hparam + "=(none)";
    }
    }
    return {};
}

QString groupingPatternError(const QString &pattern) {
    const QRegularExpression re(pattern);
    return re.isValid() ? QString() : re.errorString();
}

} // namespace trainscope
