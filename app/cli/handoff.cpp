#include "app/cli/handoff.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace trainscope::cli {

std::string fullExecutable() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    for (const fs::path &candidate :
         {self.parent_path() / "trainscope-full",
          self.parent_path().parent_path() / "libexec" / "trainscope" / "trainscope-full"})
        if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
    return {};
}

int handOff(char **argv) {
    const std::string full = fullExecutable();
    if (full.empty()) {
        std::cerr << "trainscope: trainscope-full (the GUI, train and tune) is not installed "
                     "beside this executable\n";
        return RuntimeFailure;
    }
    execv(full.c_str(), argv);
    std::cerr << "trainscope: cannot start " << full << ": " << std::strerror(errno) << "\n";
    return RuntimeFailure;
}

TorchCommands handOffCommands(char **argv) {
    auto pass = [argv](const auto &, std::ostream &, std::ostream &) { return handOff(argv); };
    return {pass, pass, pass};
}

} // namespace trainscope::cli
