#include "core/events/rundata.h"

namespace trainscope {

size_t TagData::count() const {
    switch (kind) {
    case TagKind::Scalar:
        return scalars.size();
    case TagKind::Histogram:
        return histograms.size();
    case TagKind::Image:
        return images.size();
    case TagKind::Tensor:
        return tensors.size();
    }
    return 0;
}

const TagData *RunData::tag(const std::string &name) const {
    auto it = tags.find(name);
    return it == tags.end() ? nullptr : &it->second;
}

size_t RunData::countTags(TagKind kind) const {
    size_t n = 0;
    for (const auto &[name, tag] : tags)
        n += tag.kind == kind;
    return n;
}

} // namespace trainscope
