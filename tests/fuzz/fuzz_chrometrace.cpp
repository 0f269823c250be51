// Any bytes as a Chrome/PyTorch trace: read (plain or gzip), analysed as the Profile tab does
// and compared with an empty profile both ways, as `profile diff` does; a malformed trace is an
// exception naming the file, never a crash. Read again in pieces on two threads, as big traces
// are, it must come out the same (or fail the same way).
#include "core/profile/chrometrace.h"
#include "core/profile/profilediff.h"
#include "core/profile/tracefile.h"
#include "core/profile/tracesplit.h"
#include "tests/fuzz/fuzzinput.h"

#include <optional>
#include <stdexcept>

namespace {

bool sameTrace(const trainscope::TraceFile &a, const trainscope::TraceFile &b) {
    if (a.events.size() != b.events.size() || a.flows.size() != b.flows.size() ||
        a.memory.size() != b.memory.size() || a.counters.size() != b.counters.size() ||
        a.threadNames != b.threadNames || a.processNames != b.processNames ||
        a.dropped != b.dropped)
        return false;
    for (size_t i = 0; i < a.events.size(); ++i) {
        const trainscope::TraceEvent &x = a.events[i], &y = b.events[i];
        if (x.name != y.name || x.category != y.category || x.startNs != y.startNs ||
            x.durationNs != y.durationNs || x.pid != y.pid || x.tid != y.tid || x.args != y.args ||
            x.phase != y.phase)
            return false;
    }
    for (size_t i = 0; i < a.flows.size(); ++i)
        if (a.flows[i].id != b.flows[i].id || a.flows[i].toNs != b.flows[i].toNs) return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    const std::string path =
        fuzztest::inputFile(data, size, gzip ? ".pt.trace.json.gz" : ".pt.trace.json");
    trainscope::TraceReadTuning pieces;
    pieces.parallelFromBytes = 0;
    pieces.pieceBytes = 64;
    pieces.threads = 2;
    std::optional<trainscope::TraceFile> inPieces;
    try {
        inPieces = trainscope::readChromeTraceTuned(path, pieces);
    } catch (const std::runtime_error &) {
    }
    try {
        const trainscope::TraceFile trace = trainscope::readChromeTrace(path);
        if (!inPieces || !sameTrace(trace, *inPieces)) __builtin_trap();
        const trainscope::ProfileFigures figures = trainscope::profileFigures(trace, "fuzz");
        const trainscope::ProfileFigures none = trainscope::profileFigures({}, "none");
        trainscope::profileDiffText(trainscope::diffProfiles(figures, none));
        trainscope::profileDiffJson(trainscope::diffProfiles(none, figures));
    } catch (const std::runtime_error &) {
        if (inPieces) __builtin_trap(); // read in pieces what the whole read refuses
    }
    return 0;
}
