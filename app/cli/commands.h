// One function per subcommand; cli.cpp parses the arguments into these option structs.
#pragma once

#include "app/cli/cli.h"

#include <iosfwd>
#include <string>
#include <vector>

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

struct TrainOptions {
    std::string spec;
    std::string logdir = "runs";
    std::vector<std::string> sets;
};
int runTrain(const TrainOptions &options, std::ostream &out, std::ostream &err); // LibTorch

struct ProfileOptions {
    std::string run;
    bool json = false;
};
int runProfile(const ProfileOptions &options, std::ostream &out, std::ostream &err);

struct ProfileDiffOptions {
    std::string baseline, candidate; // run directories (their newest profile) or trace files
    bool json = false;
};
int runProfileDiff(const ProfileDiffOptions &options, std::ostream &out, std::ostream &err);

struct TuneOptions {
    std::string sweep; // SWEEP.json; may be empty with --resume
    std::string dir;
    int workers = 0;
    bool resume = false;
    int maxTrials = 0;   // > 0: the budget, in place of the spec's (a resume may raise it)
    std::string devices; // "0,1": each worker's GPU, in turn
    // A postgresql:// URI, and the study's name there (default: the sweep's).
    std::string storage, study;
    double heartbeatGrace = -1; // seconds; < 0: SweepOptions' default
    bool retrainBest = false;
};
int runTune(TuneOptions options, std::ostream &out, std::ostream &err); // LibTorch

struct EvaluateOptions {
    std::string run;
    std::string data;
    bool json = false;
};
int runEvaluate(const EvaluateOptions &options, std::ostream &out, std::ostream &err); // LibTorch

// runTrain, runTune and runEvaluate, for trainscope-full and the tests.
const TorchCommands &torchCommands();

struct TrialsOptions {
    std::string dir;
    std::string storage, study; // a PostgreSQL study in place of DIR's study.db
    bool json = false;
};
int runTrials(const TrialsOptions &options, std::ostream &out, std::ostream &err);

struct TraceExportOptions {
    std::string run; // a run directory (its newest profile) or a trace file
    std::string output;
};
int runTraceExport(const TraceExportOptions &options, std::ostream &out, std::ostream &err);

struct TraceImportOptions {
    std::string file;
    std::string logdir = "runs";
};
int runTraceImport(const TraceImportOptions &options, std::ostream &out, std::ostream &err);

} // namespace trainscope::cli
