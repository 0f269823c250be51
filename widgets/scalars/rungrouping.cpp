#include "widgets/scalars/rungrouping.h"

#include "core/events/rundata.h"
#include "widgets/names.h"

#include <QRegularExpression>

namespace trainscope {

QString groupOfRun(const QString &run, const Grouping &g, const RunHParams *hparams) {
    switch (g.by) {
    case GroupBy::None:
        return {};
    case GroupBy::Pattern: {
        // One compiled pattern for a whole pass over the runs, not one per run.
        static thread_local QString lastPattern;
        static thread_local QRegularExpression re;
        if (lastPattern != g.pattern || !re.isValid()) {
            lastPattern = g.pattern;
            re = QRegularExpression(g.pattern);
        }
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
