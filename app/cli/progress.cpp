#include "app/cli/progress.h"

#include "core/profile/stepstats.h"

#include <cstdio>
#include <ostream>

namespace trainscope::cli {

ProgressPrinter::ProgressPrinter(std::ostream &err, bool terminal)
    : m_err(err)
    , m_terminal(terminal) {}

void ProgressPrinter::onProgress(const JobProgress &p) {
    if (p.batchesPerEpoch <= 0) return;
    const int percent = int(100 * p.batch / p.batchesPerEpoch);
    std::lock_guard lock(m_mutex);
    if (m_terminal) {
        if (percent == m_lastPercent) return;
        const int filled = percent * 30 / 100;
        char line[160];
        std::snprintf(line, sizeof line, "\repoch %d/%d [%-30s] %3d%%  loss %.4f  %.0f samples/s",
                      p.epoch, p.epochs, std::string(size_t(filled), '#').c_str(), percent, p.loss,
                      p.samplesPerSecond);
        m_err << line << std::flush;
    } else if (percent / 25 != m_lastPercent / 25) { // a line every quarter epoch
        char line[160];
        std::snprintf(line, sizeof line, "epoch %d/%d: %d%% (loss %.4f, %.0f samples/s)\n", p.epoch,
                      p.epochs, percent, p.loss, p.samplesPerSecond);
        m_err << line << std::flush;
    }
    m_lastPercent = percent;
}

void ProgressPrinter::onEpoch(const EpochResult &r) {
    char line[200];
    std::snprintf(line, sizeof line, "%sepoch %d: train loss %.4f acc %.4f | %s | %.1f s\n",
                  m_terminal ? "\r\033[K" : "", r.epoch, r.trainLoss, r.trainAccuracy,
                  validationText(r).c_str(), r.seconds);
    std::lock_guard lock(m_mutex);
    m_err << line << std::flush;
    m_lastPercent = -1;
}

void ProgressPrinter::onProfile(int, const ProfileSummary &s) {
    std::lock_guard lock(m_mutex);
    m_err << (m_terminal ? "\r\033[K" : "") << "profile: " << inputVerdictName(s.verdict) << " ("
          << s.verdictText << ")\n";
}

} // namespace trainscope::cli
