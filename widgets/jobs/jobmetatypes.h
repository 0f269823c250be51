// Qt meta-type declarations for core's job and profiler values, so they travel in signals,
// queued connections and QSignalSpy.
#pragma once

#include "jobs/observer.h"
#include "profile/stepstats.h"

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

namespace trainscope {

// Registers the types above by name (queued connections look them up that way); idempotent.
void registerJobMetaTypes();

} // namespace trainscope
