// Any bytes as an event file: the record reader (framing, checksums, resynchronising) and the
// event decoder (every summary encoding, and tensors decoded when shown) must report problems,
// never crash or hang.
#include "core/events/eventreader.h"
#include "tests/fuzz/fuzzinput.h"

namespace {

// Decodes kept tensors as a view would, so the lazy decoder is fuzzed too.
struct Sink : trainscope::EventSink {
    void onScalar(std::string_view, int64_t, double, double) override {}
    void onTensor(std::string_view, int64_t, double, std::string_view proto,
                  std::string_view) override {
        trainscope::decodeTensor(proto);
    }
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
