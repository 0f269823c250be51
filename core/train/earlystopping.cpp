#include "core/train/earlystopping.h"

#include <cmath>
#include <limits>

namespace trainscope {

EarlyStopping::EarlyStopping(const EarlyStoppingSpec &spec)
    : m_spec(spec)
    , m_minimise(spec.mode == "min" ||
                 (spec.mode == "auto" && spec.monitor.find("acc") == std::string::npos))
    , m_best(spec.baseline ? *spec.baseline
                           : (m_minimise ? std::numeric_limits<double>::infinity()
                                         : -std::numeric_limits<double>::infinity())) {}

bool EarlyStopping::update(double value) {
    ++m_epoch;
    const double delta = m_minimise ? m_best - value : value - m_best;
    m_improved = std::isfinite(value) && delta > m_spec.minDelta;
    if (m_improved) {
        m_best = value;
        m_bestEpoch = m_epoch;
        m_wait = 0;
        return false;
    }
    return ++m_wait >= m_spec.patience; // as Keras: patience 0 stops at the first miss
}

} // namespace trainscope
