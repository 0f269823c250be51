// `trainscope` is the light executable: core only, so `runs`, `scalars`, `profile`, `trace`
// and `trials` start in milliseconds. The GUI, `train` and `tune` need Qt's widgets or
// LibTorch (hundreds of milliseconds to load), so it hands the command line, unchanged and
// in the same process (exec), to `trainscope-full`.
#pragma once

#include "app/cli/cli.h"

namespace trainscope::cli {

// trainscope-full beside this executable (the build tree), or in ../libexec/trainscope/
// (installed); "" when neither is there.
std::string fullExecutable();

// Replaces this process with trainscope-full on `argv`; returns (RuntimeFailure, after
// saying why on stderr) only when that cannot be done.
int handOff(char **argv);

// For cli::run: train, tune and evaluate handed off with the whole command line.
TorchCommands handOffCommands(char **argv);

} // namespace trainscope::cli
