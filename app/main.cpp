// trainscope: the GUI, or a CLI subcommand when argv[1] names one (DESIGN.md's contract).
#include "app/cli/cli.h"
#include "config.h"
#if TRAINSCOPE_WITH_GUI
#include "app/gui.h"
#endif

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char **argv) {
    // `help [COMMAND]`: the subcommands' help, with or without a display.
    if (argc > 1 && std::string(argv[1]) == "help") {
        std::vector<std::string> args(argv + 2, argv + argc);
        args.push_back("--help");
        return trainscope::cli::run(args, std::cout, std::cerr);
    }
    if (argc > 1 && trainscope::cli::isSubcommand(argv[1]))
        return trainscope::cli::run(std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                    std::cerr);
#if TRAINSCOPE_WITH_GUI
    return trainscope::runGui(argc, argv);
#else
    if (argc > 1 && std::string(argv[1]) != "--help") {
        std::cerr << "trainscope: built without the GUI (TRAINSCOPE_WITH_GUI=OFF); try 'trainscope "
                     "--help'\n";
        return trainscope::cli::BadInput;
    }
    return trainscope::cli::run({"--help"}, std::cout, std::cerr);
#endif
}
