// The learning rate of every training step, as the job's schedule sets it: step and
// exponential decay per epoch (PyTorch's StepLR, ExponentialLR), cosine with linear warm-up,
// one-cycle (PyTorch's OneCycleLR) per step, and reduce-on-plateau by Keras' rules.
#pragma once

#include "core/jobs/jobspec.h"

#include <cstdint>
#include <optional>

namespace trainscope {

class LearningRateSchedule {
public:
    // `epochs` in all, `stepsPerEpoch` steps each; the optimizer's own rate is the base.
    LearningRateSchedule(const ScheduleSpec &spec, double baseRate, int epochs,
                         int64_t stepsPerEpoch);

    // The rate for step `step` (0-based) of epoch `epoch` (1-based).
    double rate(int epoch, int64_t step) const;
    // After each epoch, with the monitored metric's value (reduce_on_plateau); true when the
    // rate was reduced.
    bool epochEnded(std::optional<double> monitored);

private:
    ScheduleSpec m_spec;
    double m_base;
    int m_epochs;
    int64_t m_stepsPerEpoch;
    // reduce_on_plateau's state, as Keras keeps it.
    double m_plateauRate, m_best;
    int m_wait = 0, m_cooldownLeft = 0;
};

} // namespace trainscope
