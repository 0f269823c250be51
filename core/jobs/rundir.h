// What a run directory is: where new work goes (a directory under a logdir, named after the
// job, sweep or trace, the one rule for every such name), and the profiler traces it holds.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace trainscope {

// PARENT/NAME with NAME made safe for a path (anything but letters, digits, '-', '_' and '.'
// becomes '_'), then "NAME-2", "NAME-3"... until neither the disk nor `taken` has it.
std::string uniqueRunDir(const std::string &parent, const std::string &name,
                         const std::function<bool(const std::string &)> &taken = {});

// A PyTorch profiler trace's file name: "*.pt.trace.json" or "*.pt.trace.json.gz".
bool isProfileTraceName(const std::string &fileName);

// The traces of the run in `runDir`, oldest first: those directly in it, as
// torch.profiler.tensorboard_trace_handler writes them (<worker>.<ms>.pt.trace.json, ordered
// by that timestamp), then those under plugins/profile/<timestamp>/ (TensorBoard's profile
// plugin layout, which Trainscope writes too; ordered by folder).
std::vector<std::string> runTraceFiles(const std::string &runDir);
// Where runTraceFiles looks, for messages that find none.
inline constexpr const char *kTraceLocations =
    "*.pt.trace.json[.gz] in it, or under plugins/profile/*/";

} // namespace trainscope
