// Decodes one serialized Event record and hands each summary value to a sink, resolving every
// encoding TensorBoard, PyTorch's SummaryWriter and tensorboardX write (simple_value, tensors
// with plugin metadata, HistogramProto, [k,3] histogram tensors, Summary.Image, image string
// tensors, hparams plugin payloads).
#pragma once

#include "core/events/eventvalues.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace trainscope {

class EventSink {
public:
    virtual ~EventSink() = default;
    // Every decoded event, summaries or not (file_version, log messages...).
    virtual void onEvent(double /*wallTime*/, int64_t /*step*/) {}
    virtual void onScalar(std::string_view tag, int64_t step, double wallTime, double value) = 0;
    virtual void onHistogram(std::string_view, int64_t, double, HistogramValue &&) {}
    virtual void onImage(std::string_view, int64_t, double, ImageValue &&) {}
    // Any other tensor, as its serialized TensorProto (decodeTensor reads it when shown).
    virtual void onTensor(std::string_view /*tag*/, int64_t, double, std::string_view /*proto*/,
                          std::string_view /*plugin*/) {}
    virtual void onHParams(std::string_view, double, HParamsValue &&) {}
};

// Each tag's plugin name, remembered from the first value that carried metadata. One per run:
// a tag's metadata may sit in an earlier file of the same run.
class TagPlugins {
public:
    // Records `plugin` when given; returns the tag's plugin ("" when never said).
    const std::string &resolve(std::string_view tag, std::string_view plugin, bool hasMetadata);

private:
    std::unordered_map<std::string, std::string> m_plugins;
    std::string m_lastTag, m_lastPlugin; // consecutive values of one tag skip the map
};

// Returns false and sets `error` when the record is not a well-formed Event. Parts of a
// well-formed one that are not kept (an image sample that is no image) are said in `leftOut`.
bool decodeEvent(std::string_view record, TagPlugins &plugins, EventSink &sink, std::string &error,
                 std::vector<std::string> &leftOut);

// A TensorProto's values (numbers as doubles, or strings); nullopt when it is malformed.
std::optional<TensorValue> decodeTensor(std::string_view proto);

} // namespace trainscope
