// Reading a big trace's events on several threads (private to core/profile): the traceEvents
// array cut into pieces at element boundaries, the pieces parsed at once and applied in file
// order, so the result is the one-thread read's. A cut that is not a boundary fails its piece's
// parse, and the whole file is then read on one thread. Also the tests' seam into the reader.
#pragma once

#include "core/profile/tracefile.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace trainscope {

// How readChromeTrace reads: the defaults are what it uses; tests turn them.
struct TraceReadTuning {
    size_t parallelFromBytes = size_t(64) << 20; // of JSON text: smaller traces are read whole
    size_t pieceBytes = size_t(16) << 20;
    unsigned threads = 0; // 0: std::thread::hardware_concurrency()
    std::function<void(double fraction)> progress;
};

// Which way a trace was read.
struct TraceReadReport {
    size_t pieces = 0;      // pieces parsed in parallel (0: read whole)
    std::string fallback;   // why the pieces were given up for the whole read ("" if not)
    double textSeconds = 0; // getting the text: mapping the file, or inflating it
};

TraceFile readChromeTraceTuned(const std::string &path, const TraceReadTuning &tuning,
                               TraceReadReport *report = nullptr);

// Forwards the fraction done to a progress callback, at most once a percent (and at the end);
// a stage maps its own 0..1 onto a part of the whole read.
class ProgressMeter {
public:
    explicit ProgressMeter(const std::function<void(double)> &report)
        : m_report(report) {}
    double reached() const { return std::max(m_last, 0.0); }
    void stage(double from, double to) { m_from = from, m_to = to; }
    void operator()(double stageFraction) {
        if (!m_report) return;
        const double f = m_from + (m_to - m_from) * std::min(std::max(stageFraction, 0.0), 1.0);
        if (f < m_last + 0.01 && !(f >= 1 && m_last < 1)) return;
        m_last = f;
        m_report(f);
    }

private:
    const std::function<void(double)> &m_report;
    double m_from = 0, m_to = 1, m_last = -1;
};

// The trace in `text` read in pieces, or nothing when it does not split into whole events
// (then report->fallback says why).
std::optional<TraceFile> readInPieces(std::string_view text, const TraceReadTuning &tuning,
                                      ProgressMeter &progress, TraceReadReport *report);

} // namespace trainscope
