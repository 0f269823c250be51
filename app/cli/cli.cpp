#include "app/cli/cli.h"

#include "app/cli/commands.h"
#include "config.h"
#include "core/profile/gpucollector.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <ostream>

namespace trainscope::cli {
namespace {

const char *const kSubcommands[] = {"runs",  "scalars", "train",  "profile",
                                    "trace", "tune",    "trials", "evaluate"};

} // namespace

bool isSubcommand(const std::string &word) {
    return std::find(std::begin(kSubcommands), std::end(kSubcommands), word) !=
           std::end(kSubcommands);
}

int run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
        const TorchCommands &torch) {
    CLI::App app{"Trainscope: a workbench for deep-learning training runs", "trainscope"};
    app.require_subcommand(1);

    RunsOptions runs;
    auto *runsCmd =
        app.add_subcommand("runs", "List runs with their tags by kind and event counts");
    runsCmd->add_option("LOGDIR", runs.logdir, "TensorBoard logdir")->required();
    runsCmd->add_flag("--json", runs.json, "JSON output");

    ScalarsOptions scalars;
    auto *scalarsCmd =
        app.add_subcommand("scalars", "Print every scalar point: run,tag,step,wall_time,value");
    scalarsCmd->add_option("LOGDIR", scalars.logdir, "TensorBoard logdir")->required();
    scalarsCmd->add_option("--run", scalars.runPattern,
                           "only runs matching this regular expression");
    scalarsCmd->add_option("--tag", scalars.tagPattern,
                           "only tags matching this regular expression");
    scalarsCmd->add_option("--format", scalars.format, "csv or json")
        ->check(CLI::IsMember({"csv", "json"}));

    TrainOptions train;
    auto *trainCmd = app.add_subcommand("train", "Run a training job headless");
    trainCmd->add_option("SPEC", train.spec, "job spec (JSON)")->required();
    trainCmd->add_option("--logdir", train.logdir, "where the run directory goes (default: runs)");
    trainCmd->add_option("--set", train.sets, "override a spec field: key.path=value (repeatable)");

    ProfileOptions profile;
    auto *profileCmd =
        app.add_subcommand("profile", "Step-time breakdown, verdict and recommendations of a run");
    profileCmd->add_option("RUN", profile.run, "run directory, or a trace file");
    profileCmd->add_flag("--json", profile.json, "JSON output");
    ProfileDiffOptions profileDiff;
    auto *diffCmd = profileCmd->add_subcommand(
        "diff", "Compare two profiles: breakdown, verdicts, stages, operators, kernels, memory");
    diffCmd->add_option("BASELINE", profileDiff.baseline, "run directory, or a trace file")
        ->required();
    diffCmd->add_option("CANDIDATE", profileDiff.candidate, "run directory, or a trace file")
        ->required();
    diffCmd->add_flag("--json", profileDiff.json, "JSON output");

    auto *traceCmd = app.add_subcommand("trace", "Export or import Chrome/PyTorch traces");
    traceCmd->require_subcommand(1);
    TraceExportOptions traceExport;
    auto *exportCmd = traceCmd->add_subcommand(
        "export", "Write a run's newest profile as a Chrome trace (Perfetto, chrome://tracing)");
    exportCmd->add_option("RUN", traceExport.run, "run directory, or a trace file")->required();
    exportCmd->add_option("-o,--output", traceExport.output, "F.json or F.json.gz")->required();
    TraceImportOptions traceImport;
    auto *importCmd = traceCmd->add_subcommand(
        "import", "Make a PyTorch profiler trace (*.pt.trace.json[.gz]) a run under a logdir");
    importCmd->add_option("FILE", traceImport.file, "the trace")->required();
    importCmd->add_option("--logdir", traceImport.logdir, "where the run goes (default: runs)");

    TuneOptions tune;
    auto *tuneCmd = app.add_subcommand("tune", "Run a hyperparameter sweep headless");
    tuneCmd->add_option("SWEEP", tune.sweep,
                        "sweep spec (JSON); with --resume, the sweep directory will do");
    tuneCmd->add_option("--dir", tune.dir, "the sweep directory (study.db, trial runs)");
    tuneCmd->add_option("--workers", tune.workers, "trials run in parallel (default: the spec's)")
        ->check(CLI::Range(1, 256));
    tuneCmd->add_flag("--resume", tune.resume, "continue a stopped sweep in DIR");
    tuneCmd
        ->add_option("--max-trials", tune.maxTrials,
                     "the trial budget, in place of the spec's (a resume may raise it)")
        ->check(CLI::PositiveNumber);
    tuneCmd->add_option("--storage", tune.storage,
                        "the study in PostgreSQL (postgresql://...), shared by workers on many "
                        "machines; DIR still holds this machine's trial runs");
    tuneCmd->add_option("--study", tune.study,
                        "the study's name in --storage (default: the sweep's name)");
    tuneCmd
        ->add_option("--heartbeat-grace", tune.heartbeatGrace,
                     "seconds a worker may be silent before its trial is failed and retried "
                     "by another (default 120; 0: never)")
        ->check(CLI::Range(0.0, 1e6));
    tuneCmd->add_option("--devices", tune.devices,
                        "GPU indices, one per worker in turn (0,1,...): CUDA_VISIBLE_DEVICES for "
                        "commands, the device for training jobs");
    tuneCmd->add_flag("--retrain-best", tune.retrainBest,
                      "then train the best configuration with early stopping");
    TrialsOptions trials;
    auto *trialsCmd =
        app.add_subcommand("trials", "A sweep's trial table and its best hyperparameters");
    trialsCmd->add_option("DIR", trials.dir, "the sweep directory");
    trialsCmd->add_option("--storage", trials.storage,
                          "a PostgreSQL study (postgresql://...) in place of DIR's study.db");
    trialsCmd->add_option(
        "--study", trials.study,
        "the study's name in --storage (the sweep's name, unless tune was given another)");
    trialsCmd->add_flag("--json", trials.json, "JSON output");

    EvaluateOptions evaluate;
    auto *evaluateCmd = app.add_subcommand(
        "evaluate", "Score a run's best checkpoint on a held-out folder (accuracy, loss, "
                    "precision and recall per class, confusion matrix)");
    evaluateCmd->add_option("RUN", evaluate.run, "a run directory Trainscope trained")->required();
    evaluateCmd
        ->add_option("--data", evaluate.data, "the held-out folder, of the kind the run trained on")
        ->required();
    evaluateCmd->add_flag("--json", evaluate.json, "JSON output");

    // Set last: subcommands made after it would inherit it.
    app.footer("Without a subcommand, the window:\n"
               "  trainscope [LOGDIR|TRACE] [--demo] [--screenshot FILE.png [--tab NAME] "
               "[--after-ms MS]]\n"
               "  (with no display, a headless summary and a screenshot instead)\n"
               "'trainscope help COMMAND' shows one command's options; 'trainscope --version' "
               "the version and where GPU tracing finds CUPTI.");

    std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 takes them reversed
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError &e) {
        return app.exit(e, out, err) == 0 ? Ok : BadInput; // prints help, or the error
    }
    try {
        if (runsCmd->parsed()) return runRuns(runs, out, err);
        if (scalarsCmd->parsed()) return runScalars(scalars, out, err);
        if (trainCmd->parsed()) return torch.train(train, out, err);
        if (diffCmd->parsed()) return runProfileDiff(profileDiff, out, err);
        if (profileCmd->parsed()) {
            if (profile.run.empty()) {
                err << "trainscope profile: RUN is required (or: profile diff BASELINE "
                       "CANDIDATE)\n";
                return BadInput;
            }
            return runProfile(profile, out, err);
        }
        if (tuneCmd->parsed()) return torch.tune(tune, out, err);
        if (trialsCmd->parsed()) return runTrials(trials, out, err);
        if (evaluateCmd->parsed()) return torch.evaluate(evaluate, out, err);
        if (exportCmd->parsed()) return runTraceExport(traceExport, out, err);
        if (importCmd->parsed()) return runTraceImport(traceImport, out, err);
    } catch (const std::exception &e) {
        err << "trainscope: " << e.what() << "\n";
        return RuntimeFailure;
    }
    return BadInput;
}

int printVersion(std::ostream &out) {
    out << "trainscope " << TRAINSCOPE_VERSION << "\n"
        << "GPU tracing: " << GpuCollector::backendStatus() << "\n";
    return Ok;
}

std::optional<int> dispatch(int argc, char **argv, const TorchCommands &torch) {
    const std::string first = argc > 1 ? argv[1] : "";
    if (first == "--version") return printVersion(std::cout);
    if (first == "help" || first == "--help" || first == "-h") {
        std::vector<std::string> args(argv + 2, argv + argc);
        if (first == "help")
            args.push_back("--help"); // `help COMMAND`: COMMAND --help
        else
            args.insert(args.begin(), first);
        return run(args, std::cout, std::cerr, torch);
    }
    if (isSubcommand(first))
        return run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr, torch);
    return std::nullopt;
}

} // namespace trainscope::cli
