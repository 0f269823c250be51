// The command-line interface (DESIGN.md's contract): parses argv and runs one subcommand.
// Output goes to the given streams so tests run it in-process.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace trainscope::cli {

enum ExitCode { Ok = 0, BadInput = 1, RuntimeFailure = 2 };

struct TrainOptions;
struct TuneOptions;
struct EvaluateOptions;

// Training, tuning and scoring link LibTorch; every other command needs only core. So
// `trainscope` parses every command line (its help lists them all) and hands these three to
// `trainscope-full` (handoff.h), which, like the tests, passes the real ones (torchCommands).
struct TorchCommands {
    std::function<int(const TrainOptions &, std::ostream &, std::ostream &)> train;
    std::function<int(const TuneOptions &, std::ostream &, std::ostream &)> tune;
    std::function<int(const EvaluateOptions &, std::ostream &, std::ostream &)> evaluate;
};

// True when argv[1] names a subcommand rather than a logdir for the GUI.
bool isSubcommand(const std::string &word);

// Runs `trainscope ARGS...` (args without the program name); returns the exit code.
int run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
        const TorchCommands &torch);

// `trainscope --version`: the version, and what GPU tracing finds on this machine.
int printVersion(std::ostream &out);

// What both executables' main() does first: `help [COMMAND]`, `--help`, `--version` and the
// subcommands, on stdout and stderr. Nothing when argv asks for the GUI.
std::optional<int> dispatch(int argc, char **argv, const TorchCommands &torch);

} // namespace trainscope::cli
