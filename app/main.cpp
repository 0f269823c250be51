// trainscope: a CLI subcommand when argv[1] names one (DESIGN.md's contract), else the GUI.
// This executable links core only (app/cli/handoff.h): the GUI, train and tune run in
// trainscope-full.
#include "app/cli/handoff.h"

int main(int argc, char **argv) {
    namespace cli = trainscope::cli;
    if (const auto code = cli::dispatch(argc, argv, cli::handOffCommands(argv))) return *code;
    return cli::handOff(argv); // the window, or the headless summary
}
