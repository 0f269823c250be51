// Everything read from one run's event files, as plain values: per tag its kind and points,
// plus the run's hparams, and the other things that make a directory a run (profiler traces,
// a sweep's study). The index owns one per run.
#pragma once

#include "core/events/eventvalues.h"
#include "core/events/scalarseries.h"

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trainscope {

template <typename T> struct Stamped {
    int64_t step = 0;
    double wallTime = 0;
    T value;
};

struct TagData {
    TagKind kind = TagKind::Scalar;
    std::string plugin;
    ScalarSeries scalars;
    std::vector<Stamped<HistogramValue>> histograms;
    std::vector<Stamped<ImageValue>> images;
    // Serialized TensorProtos, kept as read and decoded when a view shows one (decodeTensor):
    // a tensor costs its own bytes, however many tiny values it packs.
    std::vector<Stamped<std::string>> tensors;

    size_t count() const;
};

struct RunHParams {
    std::map<std::string, HParamValue> values;
    std::string groupName;
    std::vector<std::string> metricTags;         // from an experiment summary, when the run has one
    std::map<std::string, HParamDomain> domains; // the same experiment's hparams
    int status = 0;                              // 0 unknown, 1 success, 2 failure, 3 running
};

struct RunData {
    std::string name; // path relative to the logdir ("." for the logdir itself)
    std::string path;
    std::map<std::string, TagData> tags;
    std::optional<RunHParams> hparams;
    std::vector<std::string> traces; // PyTorch profiler traces, oldest first (runTraceFiles)
    bool hasStudy = false;           // a sweep's study.db
    uint64_t eventCount = 0;
    double firstWallTime = std::numeric_limits<double>::infinity();

    const TagData *tag(const std::string &name) const;
    size_t countTags(TagKind kind) const;
};

} // namespace trainscope
