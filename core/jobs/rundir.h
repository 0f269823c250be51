// Where new work goes: a run directory under a logdir, named after the job, sweep or trace,
// the one rule for every such name (jobs, sweeps, imported traces).
#pragma once

#include <functional>
#include <string>

namespace trainscope {

// PARENT/NAME with NAME made safe for a path (anything but letters, digits, '-', '_' and '.'
// becomes '_'), then "NAME-2", "NAME-3"... until neither the disk nor `taken` has it.
std::string uniqueRunDir(const std::string &parent, const std::string &name,
                         const std::function<bool(const std::string &)> &taken = {});

} // namespace trainscope
