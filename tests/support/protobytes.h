// Builds protobuf and TFRecord bytes by hand, field by field, so test fixtures encode the
// format facts of DESIGN.md independently of Trainscope's own writer and generated classes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace pbtest {

class Msg {
public:
    Msg &varint(int field, uint64_t v);
    Msg &fixed64(int field, double v);
    Msg &fixed32(int field, float v);
    Msg &bytes(int field, std::string_view data);
    Msg &msg(int field, const Msg &m) { return bytes(field, m.str()); }
    Msg &packedDoubles(int field, const std::vector<double> &values);
    Msg &packedFloats(int field, const std::vector<float> &values);
    const std::string &str() const { return m_bytes; }

private:
    void key(int field, int wireType);
    void rawVarint(uint64_t v);
    std::string m_bytes;
};

// `u64 len | u32 masked crc(len) | data | u32 masked crc(data)`.
std::string frame(std::string_view data);

// Event{wall_time=1, step=2, file_version=3 "brain.Event:2"}
std::string fileVersionEvent(double wallTime);
// Event{wall_time, step, summary{value{...}}} around one Summary.Value.
std::string summaryEvent(double wallTime, int64_t step, const Msg &value);
// Summary.Value{tag, metadata{plugin_data{plugin_name}}} (metadata only when plugin given).
Msg value(const std::string &tag, const std::string &plugin = {});

// SummaryMetadata{plugin_data{plugin_name}}.
Msg metadata(const std::string &plugin);

// TensorShapeProto{dim{size}...}.
Msg shape(std::initializer_list<int64_t> dims);

// custom_scalars' Layout{category{title, chart..., closed}...}: a multiline chart of tag
// regexes, or a margin chart (value, lower, upper); layoutEvent wraps one in the string tensor
// "custom_scalars__config__", as SummaryWriter.add_custom_scalars writes it.
Msg multilineChart(const std::string &title, const std::vector<std::string> &tags);
Msg marginChart(const std::string &title, const std::string &value, const std::string &lower,
                const std::string &upper);
Msg layoutCategory(const std::string &title, const std::vector<Msg> &charts, bool closed = false);
Msg layout(const std::vector<Msg> &categories);
std::string layoutEvent(double wallTime, const Msg &layout);

// Writes framed records to `path`.
void writeRecords(const std::string &path, const std::vector<std::string> &events);

} // namespace pbtest
