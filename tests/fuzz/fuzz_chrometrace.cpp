// Any bytes as a Chrome/PyTorch trace: read (plain or gzip), analysed as the Profile tab does
// and compared with an empty profile both ways, as `profile diff` does; a malformed trace is an
// exception naming the file, never a crash.
#include "core/profile/chrometrace.h"
#include "core/profile/profilediff.h"
#include "core/profile/tracefile.h"
#include "tests/fuzz/fuzzinput.h"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    const std::string path =
        fuzztest::inputFile(data, size, gzip ? ".pt.trace.json.gz" : ".pt.trace.json");
    try {
        const trainscope::TraceFile trace = trainscope::readChromeTrace(path);
        const trainscope::ProfileFigures figures = trainscope::profileFigures(trace, "fuzz");
        const trainscope::ProfileFigures none = trainscope::profileFigures({}, "none");
        trainscope::profileDiffText(trainscope::diffProfiles(figures, none));
        trainscope::profileDiffJson(trainscope::diffProfiles(none, figures));
    } catch (const std::runtime_error &) {
    }
    return 0;
}
