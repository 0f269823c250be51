// The command-line interface (DESIGN.md's contract): parses argv and runs one subcommand.
// Output goes to the given streams so tests run it in-process.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace trainscope::cli {

enum ExitCode { Ok = 0, BadInput = 1, RuntimeFailure = 2 };

// True when argv[1] names a subcommand rather than a logdir for the GUI.
bool isSubcommand(const std::string &word);

// Runs `trainscope ARGS...` (args without the program name); returns the exit code.
int run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace trainscope::cli
