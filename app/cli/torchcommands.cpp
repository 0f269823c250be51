#include "app/cli/commands.h"

namespace trainscope::cli {

const TorchCommands &torchCommands() {
    static const TorchCommands commands{runTrain, runTune, runEvaluate};
    return commands;
}

} // namespace trainscope::cli
