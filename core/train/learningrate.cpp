#include "core/train/learningrate.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace trainscope {
namespace {

const double kPi = std::acos(-1.0);

// From `start` to `end` along half a cosine, pct in [0, 1].
double cosineBetween(double start, double end, double pct) {
    return end + (start - end) / 2 * (std::cos(kPi * std::clamp(pct, 0.0, 1.0)) + 1);
}

bool lowerIsBetter(const ScheduleSpec &spec) {
    if (spec.mode != "auto") return spec.mode == "min";
    return spec.monitor.find("accuracy") == std::string::npos;
}

} // namespace

LearningRateSchedule::LearningRateSchedule(const ScheduleSpec &spec, double baseRate, int epochs,
                                           int64_t stepsPerEpoch)
    : m_spec(spec)
    , m_base(baseRate)
    , m_epochs(std::max(epochs, 1))
    , m_stepsPerEpoch(std::max<int64_t>(stepsPerEpoch, 1))
    , m_plateauRate(baseRate)
    , m_best(lowerIsBetter(spec) ? std::numeric_limits<double>::infinity()
                                 : -std::numeric_limits<double>::infinity()) {}

double LearningRateSchedule::rate(int epoch, int64_t step) const {
    const std::string &type = m_spec.type;
    const int64_t global = int64_t(epoch - 1) * m_stepsPerEpoch + step; // 0-based
    const int64_t total = int64_t(m_epochs) * m_stepsPerEpoch;
    if (type == "step") return m_base * std::pow(m_spec.gamma, (epoch - 1) / m_spec.stepEpochs);
    if (type == "exponential") return m_base * std::pow(m_spec.gamma, epoch - 1);
    if (type == "cosine") {
        const double warmup = m_spec.warmupEpochs * double(m_stepsPerEpoch);
        if (double(global) < warmup) return m_base * double(global + 1) / warmup;
        const double pct = (double(global) - warmup) / std::max(1.0, double(total) - warmup);
        return cosineBetween(m_base, m_spec.minLearningRate, pct);
    }
    if (type == "one_cycle") { // PyTorch's OneCycleLR, two phases, cosine annealing
        const double initial = m_base / m_spec.divFactor;
        const double last = initial / m_spec.finalDivFactor;
        const double peak = m_spec.pctStart * double(total) - 1;
        if (double(global) <= peak) return cosineBetween(initial, m_base, double(global) / peak);
        return cosineBetween(m_base, last,
                             (double(global) - peak) / std::max(1.0, double(total - 1) - peak));
    }
    if (type == "reduce_on_plateau") return m_plateauRate;
    return m_base;
}

bool LearningRateSchedule::epochEnded(std::optional<double> monitored) {
    if (m_spec.type != "reduce_on_plateau" || !monitored) return false;
    // Keras' ReduceLROnPlateau.on_epoch_end, step for step.
    if (m_cooldownLeft > 0) {
        --m_cooldownLeft;
        m_wait = 0;
    }
    const double v = *monitored;
    const bool improved =
        lowerIsBetter(m_spec) ? v < m_best - m_spec.minDelta : v > m_best + m_spec.minDelta;
    if (improved) {
        m_best = v;
        m_wait = 0;
        return false;
    }
    if (m_cooldownLeft > 0) return false;
    if (++m_wait < m_spec.patience) return false;
    if (m_plateauRate <= m_spec.minLearningRate) return false;
    m_plateauRate = std::max(m_plateauRate * m_spec.factor, m_spec.minLearningRate);
    m_cooldownLeft = m_spec.cooldown;
    m_wait = 0;
    return true;
}

} // namespace trainscope
