// `trainscope trace export RUN -o F.json[.gz]`: a run's newest profile (or any trace file) as a
// standalone Chrome trace that Perfetto and chrome://tracing open.
// `trainscope trace import F.pt.trace.json[.gz] --logdir DIR`: a trace taken elsewhere (PyTorch's
// profiler) becomes a run under DIR, with its profile and step-time scalars, so the run browser,
// the Profile tab and `trainscope profile` open it like one of ours.
#include "app/cli/commands.h"
#include "app/cli/loadtrace.h"

#include "core/jobs/rundir.h"

#include "core/events/eventwriter.h"
#include "core/profile/chrometrace.h"
#include "core/profile/stepanalysis.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <ostream>

namespace fs = std::filesystem;

namespace trainscope::cli {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

size_t itemCount(const TraceFile &t) {
    return t.events.size() + t.flows.size() + t.counters.size() + t.memory.size();
}

std::string rate(size_t items, double seconds) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f M events/s", seconds > 0 ? items / seconds / 1e6 : 0.0);
    return buf;
}

// "resnet.pt.trace.json.gz" -> "resnet"; a free name under `logdir` ("resnet-2" when taken).
fs::path runDirFor(const std::string &file, const std::string &logdir) {
    std::string stem = fs::path(file).filename().string();
    for (const char *suffix : {".gz", ".json", ".trace", ".pt"})
        if (stem.size() > std::strlen(suffix) &&
            stem.compare(stem.size() - std::strlen(suffix), std::string::npos, suffix) == 0)
            stem.resize(stem.size() - std::strlen(suffix));
    return uniqueRunDir(logdir, stem);
}

} // namespace

int runTraceExport(const TraceExportOptions &options, std::ostream &out, std::ostream &err) {
    std::error_code ec;
    const std::string source =
        fs::is_directory(options.run, ec) ? latestProfilePath(options.run) : options.run;
    if (source.empty()) {
        err << "trainscope: " << options.run << ": no profiler trace in this run ("
            << kTraceLocations << ")\n";
        return BadInput;
    }
    TraceFile trace;
    if (!loadTrace(source, trace, err)) return BadInput;
    const auto start = Clock::now();
    try {
        writeChromeTrace(options.output, trace);
    } catch (const std::exception &e) {
        err << "trainscope: " << e.what() << "\n";
        return RuntimeFailure;
    }
    const double seconds = secondsSince(start);
    out << options.output << "\n";
    err << "trainscope: exported " << itemCount(trace) << " events from " << source << " ("
        << rate(itemCount(trace), seconds) << ")\n";
    return Ok;
}

int runTraceImport(const TraceImportOptions &options, std::ostream &out, std::ostream &err) {
    const auto start = Clock::now();
    TraceFile trace;
    if (!loadTrace(options.file, trace, err)) return BadInput;
    const double readSeconds = secondsSince(start);
    const bool gpu = std::any_of(trace.events.begin(), trace.events.end(),
                                 [](const TraceEvent &e) { return e.pid >= kGpuPidBase; });
    if (trace.context.device == "cpu" && gpu) trace.context.device = "cuda";
    if (trace.deviceInfo.note.empty() && !gpu)
        trace.deviceInfo.note = "no GPU lane in this trace: host and operator events only";
    const ProfileSummary summary = summarizeTrace(trace);
    const fs::path runDir = runDirFor(options.file, options.logdir);
    try {
        writeChromeTrace(newProfilePath(runDir.string()), trace);
        // The step times as scalars: the run is listed and charted like one of ours.
        EventWriter events(runDir);
        for (const StepStats &s : summary.steps) {
            events.addScalar("profile/step_time_ms", s.step, s.totalMs);
            if (s.gpuBusyMs >= 0)
                events.addScalar("profile/gpu_utilization", s.step, s.gpuUtilization());
        }
    } catch (const std::exception &e) {
        err << "trainscope: " << e.what() << "\n";
        return RuntimeFailure;
    }
    out << runDir.string() << "\n";
    err << "trainscope: imported " << itemCount(trace) << " events (" << trace.flows.size()
        << " flows, " << trace.memory.size() << " memory events, " << summary.steps.size()
        << " steps) from " << options.file << " (" << rate(itemCount(trace), readSeconds) << ")\n";
    return Ok;
}

} // namespace trainscope::cli
