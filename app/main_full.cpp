// trainscope-full: the GUI, and every CLI subcommand with training and tuning in-process.
// `trainscope` hands it what needs Qt's widgets or LibTorch (app/cli/handoff.h).
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "config.h"
#if TRAINSCOPE_WITH_GUI
#include "app/gui.h"
#endif

#include <iostream>

int main(int argc, char **argv) {
    namespace cli = trainscope::cli;
    if (const auto code = cli::dispatch(argc, argv, cli::torchCommands())) return *code;
#if TRAINSCOPE_WITH_GUI
    return trainscope::runGui(argc, argv);
#else
    std::cerr << "trainscope: built without the GUI (TRAINSCOPE_WITH_GUI=OFF); try 'trainscope "
                 "--help'\n";
    return cli::BadInput;
#endif
}
