// Plain value types for what an event file holds: the decoder hands these out, the index
// stores them, the writer takes them. No protobuf types leak past core/events.
#pragma once

#include "core/jobs/hparamvalue.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace trainscope {

enum class TagKind { Scalar, Histogram, Image, Tensor };

const char *tagKindName(TagKind kind);

// Bucket i spans (i == 0 ? min : limits[i-1], limits[i]] and holds counts[i] values.
struct HistogramValue {
    double min = 0, max = 0, num = 0, sum = 0, sumSquares = 0;
    std::vector<double> limits;
    std::vector<double> counts;
};

struct ImageValue {
    int width = 0, height = 0, colorspace = 0;
    int sample = 0;      // index within a multi-image summary
    std::string encoded; // PNG (or JPEG) bytes
};

// Numeric tensors keep their values as doubles; string tensors keep strings.
struct TensorValue {
    int dtype = 0; // TensorFlow DataType number
    std::vector<int64_t> shape;
    std::vector<double> values;
    std::vector<std::string> strings;
};

// What an experiment declares one hparam to take, as TensorBoard's HParamInfo does: its type,
// and a domain of discrete values or an interval of numbers.
struct HParamDomain {
    enum class Type { Unset, String, Bool, Float64 } type = Type::Unset; // proto's numbering
    std::vector<HParamValue> values; // discrete domain (choices, booleans)
    bool isInterval = false;         // else discrete (or none, when values is empty)
    double min = 0, max = 0;         // the interval

    static HParamDomain interval(double min, double max);
    static HParamDomain discrete(std::vector<HParamValue> values); // typed by the first value
};

// One of the HParams plugin's three payloads, decoded.
struct HParamsValue {
    enum class Kind { Experiment, SessionStart, SessionEnd } kind = Kind::SessionStart;
    std::map<std::string, HParamValue> hparams;  // SessionStart
    std::string groupName;                       // SessionStart
    std::map<std::string, HParamDomain> domains; // Experiment, by hparam name
    std::vector<std::string> metricTags;         // Experiment
    int status = 0;                              // SessionEnd: 1 success, 2 failure, 3 running
};

std::string hparamToString(const HParamValue &value);

// Where a reader could not decode something: enough to find it with a hex editor.
struct ReadProblem {
    std::string file;
    uint64_t offset = 0;
    std::string reason;
    std::string message() const; // "FILE: offset N: REASON"
};

} // namespace trainscope
