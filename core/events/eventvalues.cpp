#include "core/events/eventvalues.h"

#include <cstdio>

namespace trainscope {

const char *tagKindName(TagKind kind) {
    switch (kind) {
    case TagKind::Scalar:
        return "scalars";
    case TagKind::Histogram:
        return "histograms";
    case TagKind::Image:
        return "images";
    case TagKind::Tensor:
        return "tensors";
    }
    return "unknown";
}

std::string hparamToString(const HParamValue &value) {
    if (auto s = std::get_if<std::string>(&value)) return *s;
    if (auto b = std::get_if<bool>(&value)) return *b ? "true" : "false";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", std::get<double>(value));
    return buf;
}

std::string ReadProblem::message() const {
    return file + ": offset " + std::to_string(offset) + ": " + reason;
}

} // namespace trainscope
