// Progress of a headless job on stderr: a redrawn bar on a terminal, plain lines otherwise.
#pragma once

#include "core/jobs/observer.h"

#include <iosfwd>
#include <mutex>

namespace trainscope::cli {

class ProgressPrinter : public Observer {
public:
    explicit ProgressPrinter(std::ostream &err, bool terminal);
    void onProgress(const JobProgress &p) override;
    void onEpoch(const EpochResult &r) override;
    void onProfile(int jobId, const ProfileSummary &summary) override;

private:
    std::ostream &m_err;
    bool m_terminal;
    std::mutex m_mutex;
    int m_lastPercent = -1;
};

} // namespace trainscope::cli
