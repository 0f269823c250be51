// Any text as a job spec and as a sweep spec: accepted, or refused with a SpecError naming
// the field; never a crash, a hang or a stack overflow (deep nesting).
#include "core/jobs/jobspec.h"
#include "core/jobs/specerror.h"
#include "core/tune/sweepspec.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string text(reinterpret_cast<const char *>(data), size);
    try {
        trainscope::JobSpec::fromJson(text);
    } catch (const trainscope::SpecError &) {
    }
    try {
        trainscope::SweepSpec::fromJson(text);
    } catch (const trainscope::SpecError &) {
    }
    return 0;
}
