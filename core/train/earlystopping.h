// Keras' EarlyStopping rule: stop when the monitored value has not improved by min_delta for
// `patience` epochs (and, with a baseline, when it never beat the baseline).
#pragma once

#include "core/jobs/jobspec.h"

namespace trainscope {

class EarlyStopping {
public:
    explicit EarlyStopping(const EarlyStoppingSpec &spec);

    // Feeds one epoch's value; returns true when training should stop.
    bool update(double value);
    bool improvedLastEpoch() const { return m_improved; }
    double best() const { return m_best; }
    int bestEpoch() const { return m_bestEpoch; } // 1-based; 0 before any improvement
    bool minimising() const { return m_minimise; }

private:
    EarlyStoppingSpec m_spec;
    bool m_minimise;
    double m_best;
    int m_epoch = 0, m_bestEpoch = 0, m_wait = 0;
    bool m_improved = false;
};

} // namespace trainscope
