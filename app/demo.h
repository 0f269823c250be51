// The embedded demo: Fashion-MNIST trained with a deliberately slow input pipeline, then the
// same job with the profiler's recommended fix (cache, prefetch, map workers), so the two
// runs sit side by side. Specs are embedded from resources/jobs/.
#pragma once

#include "core/jobs/jobspec.h"

#include <QString>
#include <QStringList>
#include <iosfwd>

namespace trainscope {

JobSpec demoSlowSpec();
JobSpec demoFixedSpec();
JobSpec defaultJobSpec(); // the "New job" form's starting point

// Without a display: runs both jobs one after the other in `logdir`, printing progress on
// `err` and the comparison on `out`; `traces` (when given) gets their two saved profiles.
// Returns a CLI exit code.
int runDemoHeadless(const QString &logdir, std::ostream &out, std::ostream &err,
                    QStringList *traces = nullptr);

} // namespace trainscope
