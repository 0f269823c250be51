#include "core/events/eventdecoder.h"

#include "core/events/wire.h"
#include "trainscope/hparams.pb.h"

#include <cmath>
#include <cstring>

namespace trainscope {
namespace {

using wire::Field;
using wire::Reader;

// TensorFlow DataType numbers used below.
enum : int {
    DtFloat = 1,
    DtDouble = 2,
    DtInt32 = 3,
    DtUint8 = 4,
    DtString = 7,
    DtInt64 = 9,
    DtBool = 10,
    DtHalf = 19
};

double halfToDouble(uint16_t h) {
    const int exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    const double sign = (h & 0x8000) ? -1.0 : 1.0;
    if (exp == 0) return sign * std::ldexp(mant, -24);
    if (exp == 31) return mant ? NAN : sign * INFINITY;
    return sign * std::ldexp(mant + 1024, exp - 25);
}

template <typename Fn> bool forEachVarint(const Field &f, Fn &&fn) {
    if (f.type == wire::Varint) {
        fn(f.varint);
        return true;
    }
    if (f.type != wire::Bytes) return false;
    // A packed varint list is a message of nameless varints; walk it byte by byte.
    const char *p = f.bytes.data(), *end = p + f.bytes.size();
    while (p < end) {
        uint64_t v = 0;
        int shift = 0;
        for (;; shift += 7) {
            if (p >= end || shift >= 64) return false;
            const auto b = static_cast<uint8_t>(*p++);
            v |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) break;
        }
        fn(v);
    }
    return true;
}

void appendContent(TensorValue &t, std::string_view bytes) {
    auto each = [&](size_t width, auto convert) {
        for (size_t i = 0; i + width <= bytes.size(); i += width)
            t.values.push_back(convert(bytes.data() + i));
    };
    switch (t.dtype) {
    case DtFloat:
        each(4, [](const char *p) {
            float v;
            std::memcpy(&v, p, 4);
            return double(v);
        });
        break;
    case DtDouble:
        each(8, [](const char *p) {
            double v;
            std::memcpy(&v, p, 8);
            return v;
        });
        break;
    case DtInt32:
        each(4, [](const char *p) {
            int32_t v;
            std::memcpy(&v, p, 4);
            return double(v);
        });
        break;
    case DtInt64:
        each(8, [](const char *p) {
            int64_t v;
            std::memcpy(&v, p, 8);
            return double(v);
        });
        break;
    case DtUint8:
    case DtBool:
        each(1, [](const char *p) { return double(static_cast<uint8_t>(*p)); });
        break;
    case DtHalf:
        each(2, [](const char *p) {
            uint16_t v;
            std::memcpy(&v, p, 2);
            return halfToDouble(v);
        });
        break;
    default:
        break;
    }
}

bool decodeTensor(std::string_view msg, TensorValue &t) {
    Reader r(msg);
    Field f;
    std::string_view content;
    while (r.next(f)) {
        switch (f.number) {
        case 1:
            t.dtype = int(f.varint);
            break;
        case 2: { // TensorShapeProto: repeated Dim dim = 2 { int64 size = 1 }
            Reader shape(f.bytes);
            Field d;
            while (shape.next(d)) {
                if (d.number != 2) continue;
                Reader dim(d.bytes);
                Field s;
                int64_t size = 0;
                while (dim.next(s))
                    if (s.number == 1) size = int64_t(s.varint);
                t.shape.push_back(size);
            }
            if (!shape.ok()) return false;
            break;
        }
        case 4:
            content = f.bytes;
            break;
        case 5:
            if (!wire::forEachPackedFloat(f, [&](float v) { t.values.push_back(v); })) return false;
            break;
        case 6:
            if (!wire::forEachPackedDouble(f, [&](double v) { t.values.push_back(v); }))
                return false;
            break;
        case 7: // int_val (also holds uint8 and bool)
            if (!forEachVarint(f, [&](uint64_t v) { t.values.push_back(double(int32_t(v))); }))
                return false;
            break;
        case 8:
            t.strings.emplace_back(f.bytes);
            break;
        case 10:
            if (!forEachVarint(f, [&](uint64_t v) { t.values.push_back(double(int64_t(v))); }))
                return false;
            break;
        case 11:
            if (!forEachVarint(f, [&](uint64_t v) { t.values.push_back(v ? 1.0 : 0.0); }))
                return false;
            break;
        case 13: // half_val: halves as int32 bits
            if (!forEachVarint(f,
                               [&](uint64_t v) { t.values.push_back(halfToDouble(uint16_t(v))); }))
                return false;
            break;
        default:
            break;
        }
    }
    if (!content.empty()) appendContent(t, content);
    return r.ok();
}

bool decodeHistogram(std::string_view msg, HistogramValue &h) {
    Reader r(msg);
    Field f;
    while (r.next(f)) {
        switch (f.number) {
        case 1:
            h.min = f.asDouble();
            break;
        case 2:
            h.max = f.asDouble();
            break;
        case 3:
            h.num = f.asDouble();
            break;
        case 4:
            h.sum = f.asDouble();
            break;
        case 5:
            h.sumSquares = f.asDouble();
            break;
        case 6:
            if (!wire::forEachPackedDouble(f, [&](double v) { h.limits.push_back(v); }))
                return false;
            break;
        case 7:
            if (!wire::forEachPackedDouble(f, [&](double v) { h.counts.push_back(v); }))
                return false;
            break;
        default:
            break;
        }
    }
    return r.ok() && h.limits.size() == h.counts.size();
}

bool decodeImage(std::string_view msg, ImageValue &img) {
    Reader r(msg);
    Field f;
    while (r.next(f)) {
        switch (f.number) {
        case 1:
            img.height = int(f.varint);
            break;
        case 2:
            img.width = int(f.varint);
            break;
        case 3:
            img.colorspace = int(f.varint);
            break;
        case 4:
            img.encoded.assign(f.bytes);
            break;
        default:
            break;
        }
    }
    return r.ok();
}

// The histograms plugin's tensor form: rows of (left edge, right edge, count).
bool histogramFromTensor(const TensorValue &t, HistogramValue &h) {
    // k is compared by division: a hostile k * 3 would overflow into the values' count.
    if (t.shape.size() != 2 || t.shape[1] != 3 || t.shape[0] < 0 || t.values.size() % 3 != 0 ||
        uint64_t(t.shape[0]) != t.values.size() / 3)
        return false;
    const size_t k = size_t(t.shape[0]);
    for (size_t i = 0; i < k; ++i) {
        const double left = t.values[3 * i], right = t.values[3 * i + 1],
                     count = t.values[3 * i + 2];
        if (i == 0) h.min = left;
        h.max = right;
        h.limits.push_back(right);
        h.counts.push_back(count);
        h.num += count;
        h.sum += count * (left + right) / 2;
        h.sumSquares += count * ((left + right) / 2) * ((left + right) / 2);
    }
    return true;
}

HParamValue fromStructValue(const google::protobuf::Value &v) {
    switch (v.kind_case()) {
    case google::protobuf::Value::kNumberValue:
        return v.number_value();
    case google::protobuf::Value::kBoolValue:
        return v.bool_value();
    case google::protobuf::Value::kStringValue:
        return v.string_value();
    default:
        return std::string();
    }
}

bool decodeHParams(std::string_view content, HParamsValue &out) {
    pb::hparams::HParamsPluginData data;
    if (!data.ParseFromArray(content.data(), int(content.size()))) return false;
    switch (data.data_case()) {
    case pb::hparams::HParamsPluginData::kExperiment:
        out.kind = HParamsValue::Kind::Experiment;
        for (const auto &info : data.experiment().hparam_infos()) {
            HParamDomain &d = out.domains[info.name()];
            if (info.has_domain_interval()) {
                d = HParamDomain::interval(info.domain_interval().min_value(),
                                           info.domain_interval().max_value());
            } else if (info.has_domain_discrete()) {
                std::vector<HParamValue> values;
                for (const auto &v : info.domain_discrete().values())
                    values.push_back(fromStructValue(v));
                d = HParamDomain::discrete(std::move(values));
            }
            const int type = int(info.type());
            if (type >= 0 && type <= 3) d.type = HParamDomain::Type(type); // as declared
        }
        for (const auto &info : data.experiment().metric_infos())
            out.metricTags.push_back(info.name().tag());
        return true;
    case pb::hparams::HParamsPluginData::kSessionStartInfo:
        out.kind = HParamsValue::Kind::SessionStart;
        out.groupName = data.session_start_info().group_name();
        for (const auto &[name, value] : data.session_start_info().hparams())
            out.hparams[name] = fromStructValue(value);
        return true;
    case pb::hparams::HParamsPluginData::kSessionEndInfo:
        out.kind = HParamsValue::Kind::SessionEnd;
        out.status = data.session_end_info().status();
        return true;
    default:
        return false;
    }
}

struct ValueParts {
    std::string_view tag, plugin, pluginContent;
    bool hasMetadata = false;
    int which = 0; // the oneof field number: 2 simple, 4 image, 5 histo, 8 tensor
    Field payload;
};

bool decodeMetadata(std::string_view msg, ValueParts &v) {
    Reader r(msg);
    Field f;
    while (r.next(f)) {
        if (f.number != 1) continue; // plugin_data
        Reader pd(f.bytes);
        Field g;
        while (pd.next(g)) {
            if (g.number == 1)
                v.plugin = g.bytes;
            else if (g.number == 2)
                v.pluginContent = g.bytes;
        }
        if (!pd.ok()) return false;
    }
    return r.ok();
}

bool decodeValue(std::string_view msg, int64_t step, double wall, TagPlugins &plugins,
                 EventSink &sink, std::string &error) {
    ValueParts v;
    Reader r(msg);
    Field f;
    while (r.next(f)) {
        switch (f.number) {
        case 1:
            v.tag = f.bytes;
            break;
        case 9:
            v.hasMetadata = true;
            if (!decodeMetadata(f.bytes, v)) return error = "bad summary metadata", false;
            break;
        case 2:
        case 4:
        case 5:
        case 6:
        case 8:
            v.which = int(f.number);
            v.payload = f;
            break;
        default:
            break;
        }
    }
    if (!r.ok()) return error = "malformed summary value", false;

    if (v.which == 2) { // simple_value: the hot path, no plugin lookup needed
        if (v.hasMetadata) plugins.resolve(v.tag, v.plugin, true);
        sink.onScalar(v.tag, step, wall, v.payload.asFloat());
        return true;
    }
    const std::string &plugin = plugins.resolve(v.tag, v.plugin, v.hasMetadata);
    if (plugin == "hparams") {
        HParamsValue hp;
        if (!v.pluginContent.empty() && !decodeHParams(v.pluginContent, hp))
            return error = "bad hparams payload for tag '" + std::string(v.tag) + "'", false;
        if (!v.pluginContent.empty()) sink.onHParams(v.tag, wall, std::move(hp));
        return true;
    }
    switch (v.which) {
    case 4: {
        ImageValue img;
        if (!decodeImage(v.payload.bytes, img))
            return error = "bad image in tag '" + std::string(v.tag) + "'", false;
        sink.onImage(v.tag, step, wall, std::move(img));
        return true;
    }
    case 5: {
        HistogramValue h;
        if (!decodeHistogram(v.payload.bytes, h))
            return error = "bad histogram in tag '" + std::string(v.tag) + "'", false;
        sink.onHistogram(v.tag, step, wall, std::move(h));
        return true;
    }
    case 8: {
        TensorValue t;
        if (!decodeTensor(v.payload.bytes, t))
            return error = "bad tensor in tag '" + std::string(v.tag) + "'", false;
        size_t elements = 1;
        for (auto d : t.shape)
            elements *= size_t(d);
        const bool numeric = t.dtype != DtString && !t.values.empty();
        if (numeric && elements == 1 && (plugin == "scalars" || plugin.empty())) {
            sink.onScalar(v.tag, step, wall, t.values.front());
            return true;
        }
        if (plugin == "histograms") {
            HistogramValue h;
            if (!histogramFromTensor(t, h))
                return error = "histogram tensor in tag '" + std::string(v.tag) + "' is not [k,3]",
                       false;
            sink.onHistogram(v.tag, step, wall, std::move(h));
            return true;
        }
        if (plugin == "images" && t.strings.size() >= 2) {
            const int width = std::atoi(t.strings[0].c_str()),
                      height = std::atoi(t.strings[1].c_str());
            for (size_t i = 2; i < t.strings.size(); ++i) {
                ImageValue img;
                img.width = width;
                img.height = height;
                img.sample = int(i - 2);
                img.encoded = std::move(t.strings[i]);
                sink.onImage(v.tag, step, wall, std::move(img));
            }
            return true;
        }
        sink.onTensor(v.tag, step, wall, std::move(t), plugin);
        return true;
    }
    default:
        return true; // audio and empty values are not shown (yet)
    }
}

} // namespace

const std::string &TagPlugins::resolve(std::string_view tag, std::string_view plugin,
                                       bool hasMetadata) {
    if (hasMetadata && !plugin.empty()) {
        auto &slot = m_plugins[std::string(tag)];
        slot.assign(plugin);
        m_lastTag.assign(tag);
        m_lastPlugin = slot;
        return m_lastPlugin;
    }
    if (tag == m_lastTag) return m_lastPlugin;
    auto it = m_plugins.find(std::string(tag));
    m_lastTag.assign(tag);
    m_lastPlugin = it == m_plugins.end() ? std::string() : it->second;
    return m_lastPlugin;
}

bool decodeEvent(std::string_view record, TagPlugins &plugins, EventSink &sink,
                 std::string &error) {
    Reader r(record);
    Field f;
    double wall = 0;
    int64_t step = 0;
    std::string_view summary;
    while (r.next(f)) {
        if (f.number == 1 && f.type == wire::Fixed64)
            wall = f.asDouble();
        else if (f.number == 2 && f.type == wire::Varint)
            step = int64_t(f.varint);
        else if (f.number == 5 && f.type == wire::Bytes)
            summary = f.bytes;
    }
    if (!r.ok()) return error = "malformed event", false;
    sink.onEvent(wall, step);
    if (summary.empty()) return true;
    Reader values(summary);
    while (values.next(f))
        if (f.number == 1 && !decodeValue(f.bytes, step, wall, plugins, sink, error)) return false;
    if (!values.ok()) return error = "malformed summary", false;
    return true;
}

} // namespace trainscope
