#include "widgets/metatypes.h"

namespace trainscope {

void registerMetaTypes() {
    static const bool once = [] {
        qRegisterMetaType<trainscope::JobState>("trainscope::JobState");
        qRegisterMetaType<trainscope::JobProgress>("trainscope::JobProgress");
        qRegisterMetaType<trainscope::EpochResult>("trainscope::EpochResult");
        qRegisterMetaType<trainscope::StepStats>("trainscope::StepStats");
        qRegisterMetaType<QVector<trainscope::StepStats>>("QVector<trainscope::StepStats>");
        qRegisterMetaType<trainscope::ProfileSummary>("trainscope::ProfileSummary");
        qRegisterMetaType<trainscope::ConfusionMatrix>("trainscope::ConfusionMatrix");
        qRegisterMetaType<std::shared_ptr<const trainscope::TraceFile>>(
            "std::shared_ptr<const trainscope::TraceFile>");
        qRegisterMetaType<trainscope::Trial>("trainscope::Trial");
        return true;
    }();
    Q_UNUSED(once);
}

} // namespace trainscope
