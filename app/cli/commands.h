// One function per subcommand; cli.cpp parses the arguments into these option structs.
#pragma once

#include "cli.h"

#include <iosfwd>
#include <string>

namespace trainscope::cli {

struct RunsOptions {
    std::string logdir;
    bool json = false;
};
int runRuns(const RunsOptions &options, std::ostream &out, std::ostream &err);

struct ScalarsOptions {
    std::string logdir;
    std::string runPattern, tagPattern;
    std::string format = "csv";
};
int runScalars(const ScalarsOptions &options, std::ostream &out, std::ostream &err);

} // namespace trainscope::cli
