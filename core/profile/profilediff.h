// Two profiles compared, a baseline and a candidate ("is my fix faster, and where did the time
// go?"): the step-time breakdown with deltas, both verdicts, the input pipeline's stages,
// operators and kernels joined by name, and memory peaks. The CLI, the demo and the GUI's
// Compare view all read this one result.
#pragma once

#include "core/profile/kernelstats.h"
#include "core/profile/memorytimeline.h"
#include "core/profile/stepstats.h"

#include <array>
#include <string>
#include <vector>

namespace trainscope {

struct TraceFile;

// What a comparison reads from one profile: its analysis, kernel table and memory peaks.
struct ProfileFigures {
    std::string label; // the run or file, as the user named it
    ProfileSummary summary;
    std::vector<KernelStats> kernels;
    std::vector<std::pair<std::string, DeviceMemorySummary>> memory; // by device
};
ProfileFigures profileFigures(const TraceFile &trace, std::string label);
// From an analysis already made (the GUI holds it): only the trace's tables are computed.
ProfileFigures profileFigures(const TraceFile &trace, const ProfileSummary &summary,
                              std::string label);

// One figure on both sides.
struct Change {
    double baseline = 0, candidate = 0;
    double delta() const { return candidate - baseline; }
    // Relative to the baseline, in percent; 0 when both are 0, +inf when only the candidate has it.
    double percent() const;
};

// Whether a joined name occurs in both profiles, only the candidate's, or only the baseline's.
enum class Presence { Both, New, Vanished };
const char *presenceName(Presence presence); // "", "new", "vanished"

// An operator or kernel joined by name. For operators `timeUs` is self time; for kernels, total
// time (kernels do not nest). `share` is of all operator self time (or all kernel time), 0..1.
struct NameChange {
    std::string name;
    Presence presence = Presence::Both;
    Change calls, timeUs, share;
};

struct StageChange {
    std::string stage;
    Presence presence = Presence::Both;
    Change cpuMsPerBatch, wallMsPerBatch, workers;
};

struct MemoryChange {
    std::string device;
    Presence presence = Presence::Both;
    Change peakBytes, allocations;
};

struct ProfileDiff {
    std::string baseline, candidate; // labels
    Change steps, meanStepMs, inputShare;
    std::array<Change, kTimeCategories> categoryMs{}; // mean per step, by TimeCategory
    InputVerdict baselineVerdict = InputVerdict::NotInputBound,
                 candidateVerdict = InputVerdict::NotInputBound;
    std::string baselineVerdictText, candidateVerdictText;
    std::vector<StageChange> stages;   // largest |Δ wall ms| first
    std::vector<NameChange> operators; // largest |Δ self time| first, then by name
    std::vector<NameChange> kernels;   // largest |Δ time| first, then by name
    std::vector<MemoryChange> memory;  // by device
    // How many times faster the candidate's mean step is (0 when either has no steps).
    double speedup() const;
};

ProfileDiff diffProfiles(const ProfileFigures &baseline, const ProfileFigures &candidate);

// The same names joined from two tables, largest |Δ time| first (then by name); exposed for the
// GUI's tables and their benchmark.
std::vector<NameChange> diffOperators(const std::vector<OpStats> &baseline,
                                      const std::vector<OpStats> &candidate);
std::vector<NameChange> diffKernels(const std::vector<KernelStats> &baseline,
                                    const std::vector<KernelStats> &candidate);

// For terminals and the demo: the breakdown, verdicts, stages and the `rows` largest changes
// of operators and kernels. And the whole diff as JSON, for scripts.
std::string profileDiffText(const ProfileDiff &diff, size_t rows = 10);
std::string profileDiffJson(const ProfileDiff &diff);

} // namespace trainscope
