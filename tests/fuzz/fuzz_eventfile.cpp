// Any bytes as an event file: the record reader (framing, checksums, resynchronising) and the
// event decoder (every summary encoding) must report problems, never crash or hang.
#include "core/events/eventreader.h"
#include "tests/fuzz/fuzzinput.h"

namespace {

struct Sink : trainscope::EventSink {
    void onScalar(std::string_view, int64_t, double, double) override {}
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string path = fuzztest::inputFile(data, size, ".tfevents");
    for (bool complete : {false, true}) {
        trainscope::EventReader reader(path);
        reader.setComplete(complete);
        trainscope::TagPlugins plugins;
        Sink sink;
        std::vector<trainscope::ReadProblem> problems;
        reader.readNew(plugins, sink, problems);
    }
    return 0;
}
