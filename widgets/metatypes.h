// Qt meta-type declarations for the core values that travel in signals, queued connections
// and QSignalSpy: jobs', the profiler's and sweeps'.
#pragma once

#include "core/jobs/observer.h"
#include "core/profile/stepstats.h"
#include "core/profile/tracefile.h"
#include "core/tune/trial.h"

#include <QMetaType>
#include <QVector>
#include <memory>

Q_DECLARE_METATYPE(trainscope::JobState)
Q_DECLARE_METATYPE(trainscope::JobProgress)
Q_DECLARE_METATYPE(trainscope::EpochResult)
Q_DECLARE_METATYPE(trainscope::StepStats)
Q_DECLARE_METATYPE(trainscope::ProfileSummary)
Q_DECLARE_METATYPE(trainscope::ConfusionMatrix)
Q_DECLARE_METATYPE(std::shared_ptr<const trainscope::TraceFile>)
Q_DECLARE_METATYPE(trainscope::Trial)

namespace trainscope {

// Registers the types above by name (queued connections look them up that way); idempotent.
void registerMetaTypes();

} // namespace trainscope
