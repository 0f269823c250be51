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

// Counts the varints of a packed list without decoding them; false when one is cut off.
bool countVarints(std::string_view bytes, uint64_t &count) {
    int run = 0; // bytes of the varint being counted
    for (const char c : bytes) {
        if (++run > 10) return false;
        if (!(static_cast<uint8_t>(c) & 0x80)) {
            ++count;
            run = 0;
        }
    }
    return run == 0;
}

template <typename Fn> void forEachVarint(const Field &f, Fn &&fn) {
    if (f.type == wire::Varint) {
        fn(f.varint);
        return;
    }
    // A packed varint list is a message of nameless varints (checked by countVarints).
    const char *p = f.bytes.data(), *end = p + f.bytes.size();
    while (p < end) {
        uint64_t v = 0;
        for (int shift = 0; p < end; shift += 7) {
            const auto b = static_cast<uint8_t>(*p++);
            v |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) break;
        }
        fn(v);
    }
}

// Bytes per element of tensor_content for the dtypes read; 0 for the others.
size_t contentWidth(int dtype) {
    switch (dtype) {
    case DtFloat:
    case DtInt32:
        return 4;
    case DtDouble:
    case DtInt64:
        return 8;
    case DtUint8:
    case DtBool:
        return 1;
    case DtHalf:
        return 2;
    default:
        return 0;
    }
}

template <typename T> T load(const char *p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

double contentValue(int dtype, const char *p) {
    switch (dtype) {
    case DtFloat:
        return load<float>(p);
    case DtDouble:
        return load<double>(p);
    case DtInt32:
        return load<int32_t>(p);
    case DtInt64:
        return double(load<int64_t>(p));
    case DtHalf:
        return halfToDouble(load<uint16_t>(p));
    default: // uint8, bool
        return load<uint8_t>(p);
    }
}

// A TensorProto walked once: its dtype and shape, and how many values it holds, without
// materialising them. A hostile tensor of millions of one-byte varints costs nothing here;
// only what is kept is decoded, each value once.
struct TensorScan {
    int dtype = 0;
    std::vector<int64_t> shape;
    uint64_t numbers = 0, strings = 0;
    std::string_view content; // tensor_content: the last one counts, as protobuf merges

    uint64_t elements() const { // the shape's product, saturating; 1 for a scalar
        uint64_t n = 1;
        for (const int64_t d : shape) {
            if (d <= 0) return 0;
            n = uint64_t(d) > UINT64_MAX / n ? UINT64_MAX : n * uint64_t(d);
        }
        return n;
    }
};

constexpr size_t kMaxRank = 254; // TensorFlow's TensorShape limit

bool scanTensor(std::string_view msg, TensorScan &t) {
    Reader r(msg);
    Field f;
    while (r.next(f)) {
        switch (f.number) {
        case 1:
            t.dtype = int(f.varint);
            break;
        case 2: { // TensorShapeProto: repeated Dim dim = 2 { int64 size = 1 }
            t.shape.clear();
            Reader shape(f.bytes);
            Field d;
            while (shape.next(d)) {
                if (d.number != 2) continue;
                if (t.shape.size() == kMaxRank) return false;
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
            t.content = f.bytes;
            break;
        case 5:
            if (f.type == wire::Fixed32)
                ++t.numbers;
            else if (f.type == wire::Bytes && f.bytes.size() % 4 == 0)
                t.numbers += f.bytes.size() / 4;
            else
                return false;
            break;
        case 6:
            if (f.type == wire::Fixed64)
                ++t.numbers;
            else if (f.type == wire::Bytes && f.bytes.size() % 8 == 0)
                t.numbers += f.bytes.size() / 8;
            else
                return false;
            break;
        case 7:  // int_val (also holds uint8 and bool)
        case 10: // int64_val
        case 11: // bool_val
        case 13: // half_val: halves as int32 bits
            if (f.type == wire::Varint)
                ++t.numbers;
            else if (f.type != wire::Bytes || !countVarints(f.bytes, t.numbers))
                return false;
            break;
        case 8:
            if (f.type != wire::Bytes) return false;
            ++t.strings;
            break;
        default:
            break;
        }
    }
    if (!r.ok()) return false;
    if (const size_t width = contentWidth(t.dtype)) t.numbers += t.content.size() / width;
    return true;
}

// Calls fn(value) for each number of a scanned tensor, in order (the typed lists, then
// tensor_content), until fn returns false.
template <typename Fn> void forEachNumber(std::string_view msg, const TensorScan &t, Fn &&fn) {
    bool more = true;
    Reader r(msg);
    Field f;
    while (more && r.next(f)) {
        switch (f.number) {
        case 5:
            wire::forEachPackedFloat(f, [&](float v) { more = more && fn(double(v)); });
            break;
        case 6:
            wire::forEachPackedDouble(f, [&](double v) { more = more && fn(v); });
            break;
        case 7:
            forEachVarint(f, [&](uint64_t v) { more = more && fn(double(int32_t(v))); });
            break;
        case 10:
            forEachVarint(f, [&](uint64_t v) { more = more && fn(double(int64_t(v))); });
            break;
        case 11:
            forEachVarint(f, [&](uint64_t v) { more = more && fn(v ? 1.0 : 0.0); });
            break;
        case 13:
            forEachVarint(f, [&](uint64_t v) { more = more && fn(halfToDouble(uint16_t(v))); });
            break;
        default:
            break;
        }
    }
    const size_t width = contentWidth(t.dtype);
    for (size_t i = 0; more && width && i + width <= t.content.size(); i += width)
        more = fn(contentValue(t.dtype, t.content.data() + i));
}

template <typename Fn> void forEachString(std::string_view msg, Fn &&fn) {
    Reader r(msg);
    Field f;
    while (r.next(f))
        if (f.number == 8) fn(f.bytes);
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

// The histograms plugin's tensor form: rows of (left edge, right edge, count), decoded
// straight into the histogram.
bool histogramFromTensor(std::string_view msg, const TensorScan &t, HistogramValue &h) {
    // k is compared by division: a hostile k * 3 would overflow into the values' count.
    if (t.shape.size() != 2 || t.shape[1] != 3 || t.shape[0] < 0 || t.numbers % 3 != 0 ||
        uint64_t(t.shape[0]) != t.numbers / 3)
        return false;
    h.limits.reserve(size_t(t.shape[0]));
    h.counts.reserve(size_t(t.shape[0]));
    double row[3];
    size_t i = 0;
    forEachNumber(msg, t, [&](double v) {
        row[i++ % 3] = v;
        if (i % 3) return true;
        const double left = row[0], right = row[1], count = row[2], mid = (left + right) / 2;
        if (i == 3) h.min = left;
        h.max = right;
        h.limits.push_back(right);
        h.counts.push_back(count);
        h.num += count;
        h.sum += count * mid;
        h.sumSquares += count * mid * mid;
        return true;
    });
    return true;
}

// Whether `bytes` starts as an image Qt can show would (PNG, JPEG, GIF, BMP or WebP): what is
// not is left out rather than kept, so a tensor of a million one-byte "images" costs nothing.
bool looksLikeImage(std::string_view bytes) {
    auto starts = [&](std::string_view magic, size_t at = 0) {
        return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
    };
    if (bytes.size() < 24) return false; // smaller than any real PNG, JPEG, GIF, BMP or WebP
    return starts("\x89PNG\r\n\x1a\n") || starts("\xff\xd8\xff") || starts("GIF87a") ||
           starts("GIF89a") || starts("BM") || (starts("RIFF") && starts("WEBP", 8));
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
                 EventSink &sink, std::string &error, std::vector<std::string> &leftOut) {
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
        if (!looksLikeImage(img.encoded)) {
            leftOut.push_back("tag '" + std::string(v.tag) + "' step " + std::to_string(step) +
                              ": not a PNG, JPEG, GIF, BMP or WebP image");
            return true;
        }
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
        const std::string_view proto = v.payload.bytes;
        TensorScan t;
        if (!scanTensor(proto, t))
            return error = "bad tensor in tag '" + std::string(v.tag) + "'", false;
        const bool numeric = t.dtype != DtString && t.numbers > 0;
        if (numeric && t.elements() == 1 && (plugin == "scalars" || plugin.empty())) {
            double first = 0;
            forEachNumber(proto, t, [&](double x) { return first = x, false; });
            sink.onScalar(v.tag, step, wall, first);
            return true;
        }
        if (plugin == "histograms") {
            HistogramValue h;
            if (!histogramFromTensor(proto, t, h))
                return error = "histogram tensor in tag '" + std::string(v.tag) + "' is not [k,3]",
                       false;
            sink.onHistogram(v.tag, step, wall, std::move(h));
            return true;
        }
        if (plugin == "images" && t.strings >= 2) {
            // [width, height, encoded images...]: each sample is copied once, straight from
            // the record.
            int width = 0, height = 0, index = 0, notImages = 0;
            forEachString(proto, [&](std::string_view s) {
                const int i = index++;
                if (i < 2) {
                    (i == 0 ? width : height) = std::atoi(std::string(s.substr(0, 16)).c_str());
                    return;
                }
                if (!looksLikeImage(s)) {
                    ++notImages;
                    return;
                }
                ImageValue img;
                img.width = width;
                img.height = height;
                img.sample = i - 2;
                img.encoded.assign(s);
                sink.onImage(v.tag, step, wall, std::move(img));
            });
            if (notImages)
                leftOut.push_back("tag '" + std::string(v.tag) + "' step " + std::to_string(step) +
                                  ": " + std::to_string(notImages) + " of " +
                                  std::to_string(index - 2) +
                                  " samples are not PNG, JPEG, GIF, BMP or WebP images");
            return true;
        }
        // Kept as written and decoded when a view shows it (decodeTensor): what a tensor
        // costs is its own bytes.
        sink.onTensor(v.tag, step, wall, proto, plugin);
        return true;
    }
    default:
        return true; // audio and empty values are not shown (yet)
    }
}

} // namespace

std::optional<TensorValue> decodeTensor(std::string_view proto) {
    TensorScan scan;
    if (!scanTensor(proto, scan)) return std::nullopt;
    TensorValue t;
    t.dtype = scan.dtype;
    t.shape = std::move(scan.shape);
    t.values.reserve(size_t(scan.numbers));
    forEachNumber(proto, scan, [&](double v) { return t.values.push_back(v), true; });
    t.strings.reserve(size_t(scan.strings));
    forEachString(proto, [&](std::string_view s) { t.strings.emplace_back(s); });
    return t;
}

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

namespace {

bool readVarint(const uint8_t *&p, const uint8_t *end, uint64_t &v) {
    v = 0;
    for (int shift = 0; shift < 64 && p < end; shift += 7) {
        const uint8_t b = *p++;
        v |= uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80)) return true;
    }
    return false;
}

// The record nearly every scalar logger writes, byte for byte: Event{wall_time=1, step=2,
// summary=5{value=1{tag=1, simple_value=2}}}, in that order, one value, no metadata. Read
// straight through it; false (and nothing said to the sink) for any other shape, which the
// general walk reads.
bool decodeSimpleScalar(std::string_view record, EventSink &sink) {
    const auto *p = reinterpret_cast<const uint8_t *>(record.data());
    const uint8_t *end = p + record.size();
    if (end - p < 9 || p[0] != 0x09) return false; // wall_time, fixed64
    double wall;
    std::memcpy(&wall, p + 1, 8);
    p += 9;
    uint64_t step = 0, length = 0;
    if (p < end && *p == 0x10 && !readVarint(++p, end, step)) return false;
    // summary, then its one value: each the last thing in its message
    for (const uint8_t key : {uint8_t(0x2a), uint8_t(0x0a)})
        if (p == end || *p != key || !readVarint(++p, end, length) || length != uint64_t(end - p))
            return false;
    if (p == end || *p != 0x0a || !readVarint(++p, end, length) || length > uint64_t(end - p))
        return false;
    const std::string_view tag(reinterpret_cast<const char *>(p), length);
    p += length;
    if (end - p != 5 || *p != 0x15) return false; // simple_value, fixed32
    float value;
    std::memcpy(&value, p + 1, 4);
    sink.onEvent(wall, int64_t(step));
    sink.onScalar(tag, int64_t(step), wall, value);
    return true;
}

} // namespace

bool decodeEvent(std::string_view record, TagPlugins &plugins, EventSink &sink, std::string &error,
                 std::vector<std::string> &leftOut) {
    if (decodeSimpleScalar(record, sink)) return true;
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
        if (f.number == 1 && !decodeValue(f.bytes, step, wall, plugins, sink, error, leftOut))
            return false;
    if (!values.ok()) return error = "malformed summary", false;
    return true;
}

} // namespace trainscope
