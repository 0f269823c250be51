#include "tests/support/protobytes.h"

#include "core/events/crc32c.h"

#include <cstring>
#include <fstream>
#include <stdexcept>

namespace pbtest {

void Msg::rawVarint(uint64_t v) {
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if (v) b |= 0x80;
        m_bytes.push_back(char(b));
    } while (v);
}

void Msg::key(int field, int wireType) {
    rawVarint(uint64_t(field) << 3 | uint64_t(wireType));
}

Msg &Msg::varint(int field, uint64_t v) {
    key(field, 0);
    rawVarint(v);
    return *this;
}

Msg &Msg::fixed64(int field, double v) {
    key(field, 1);
    char b[8];
    std::memcpy(b, &v, 8);
    m_bytes.append(b, 8);
    return *this;
}

Msg &Msg::fixed32(int field, float v) {
    key(field, 5);
    char b[4];
    std::memcpy(b, &v, 4);
    m_bytes.append(b, 4);
    return *this;
}

Msg &Msg::bytes(int field, std::string_view data) {
    key(field, 2);
    rawVarint(data.size());
    m_bytes.append(data);
    return *this;
}

Msg &Msg::packedDoubles(int field, const std::vector<double> &values) {
    std::string raw(values.size() * 8, '\0');
    std::memcpy(raw.data(), values.data(), raw.size());
    return bytes(field, raw);
}

Msg &Msg::packedFloats(int field, const std::vector<float> &values) {
    std::string raw(values.size() * 4, '\0');
    std::memcpy(raw.data(), values.data(), raw.size());
    return bytes(field, raw);
}

std::string frame(std::string_view data) {
    auto le32 = [](uint32_t v) {
        std::string s(4, '\0');
        std::memcpy(s.data(), &v, 4);
        return s;
    };
    const uint64_t len = data.size();
    std::string lenBytes(8, '\0');
    std::memcpy(lenBytes.data(), &len, 8);
    return lenBytes + le32(trainscope::maskCrc(trainscope::crc32c(lenBytes.data(), 8))) +
           std::string(data) +
           le32(trainscope::maskCrc(trainscope::crc32c(data.data(), data.size())));
}

std::string fileVersionEvent(double wallTime) {
    return Msg().fixed64(1, wallTime).bytes(3, "brain.Event:2").str();
}

std::string summaryEvent(double wallTime, int64_t step, const Msg &value) {
    return Msg().fixed64(1, wallTime).varint(2, uint64_t(step)).msg(5, Msg().msg(1, value)).str();
}

Msg value(const std::string &tag, const std::string &plugin) {
    Msg v;
    v.bytes(1, tag);
    if (!plugin.empty()) v.msg(9, metadata(plugin));
    return v;
}

Msg shape(std::initializer_list<int64_t> dims) {
    Msg s;
    for (auto d : dims)
        s.msg(2, Msg().varint(1, uint64_t(d)));
    return s;
}

Msg metadata(const std::string &plugin) {
    return Msg().msg(1, Msg().bytes(1, plugin));
}

Msg multilineChart(const std::string &title, const std::vector<std::string> &tags) {
    Msg content;
    for (const std::string &t : tags)
        content.bytes(1, t);
    return Msg().bytes(1, title).msg(2, content);
}

Msg marginChart(const std::string &title, const std::string &value, const std::string &lower,
                const std::string &upper) {
    const Msg series = Msg().bytes(1, value).bytes(2, lower).bytes(3, upper);
    return Msg().bytes(1, title).msg(3, Msg().msg(1, series));
}

Msg layoutCategory(const std::string &title, const std::vector<Msg> &charts, bool closed) {
    Msg c;
    c.bytes(1, title);
    for (const Msg &chart : charts)
        c.msg(2, chart);
    if (closed) c.varint(3, 1);
    return c;
}

Msg layout(const std::vector<Msg> &categories) {
    Msg l;
    for (const Msg &c : categories)
        l.msg(2, c);
    return l;
}

std::string layoutEvent(double wallTime, const Msg &layout) {
    // TensorProto{dtype DT_STRING (7), tensor_shape {}, string_val}
    const Msg tensor = Msg().varint(1, 7).msg(2, Msg()).bytes(8, layout.str());
    return summaryEvent(wallTime, 0,
                        value("custom_scalars__config__", "custom_scalars").msg(8, tensor));
}

void writeRecords(const std::string &path, const std::vector<std::string> &events) {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    if (!out) throw std::runtime_error("cannot write " + path);
    for (const auto &e : events)
        out << frame(e);
}

} // namespace pbtest
