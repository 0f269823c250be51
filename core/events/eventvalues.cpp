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

HParamDomain HParamDomain::interval(double min, double max) {
    HParamDomain d;
    d.type = Type::Float64;
    d.isInterval = true;
    d.min = min, d.max = max;
    return d;
}

HParamDomain HParamDomain::discrete(std::vector<HParamValue> values) {
    HParamDomain d;
    if (!values.empty())
        d.type = std::holds_alternative<double>(values.front()) ? Type::Float64
                 : std::holds_alternative<bool>(values.front()) ? Type::Bool
                                                                : Type::String;
    d.values = std::move(values);
    return d;
}

std::string ReadProblem::message() const {
    return file + ": offset " + std::to_string(offset) + ": " + reason;
}

} // namespace trainscope
