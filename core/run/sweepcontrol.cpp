#include "core/run/sweepcontrol.h"

namespace trainscope {

void SweepControl::cancelTrial(int trialId) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_cancelled.insert(trialId);
}

bool SweepControl::trialCancelled(int trialId) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_cancelled.count(trialId) > 0;
}

} // namespace trainscope
