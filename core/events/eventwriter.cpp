#include "core/events/eventwriter.h"

#include "core/events/recordio.h"
#include "trainscope/event.pb.h"
#include "trainscope/hparams.pb.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace trainscope {
namespace {

std::atomic<int> g_fileCounter{0};

std::string hostName() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
    return buf;
}

pb::Event makeEvent(int64_t step, double wallTime) {
    pb::Event e;
    e.set_wall_time(wallTime);
    e.set_step(step);
    return e;
}

void setPlugin(pb::Summary::Value *v, const std::string &plugin, const std::string &content = {}) {
    auto *pd = v->mutable_metadata()->mutable_plugin_data();
    pd->set_plugin_name(plugin);
    if (!content.empty()) pd->set_content(content);
}

google::protobuf::Value toStruct(const HParamValue &value) {
    google::protobuf::Value v;
    if (auto d = std::get_if<double>(&value))
        v.set_number_value(*d);
    else if (auto s = std::get_if<std::string>(&value))
        v.set_string_value(*s);
    else
        v.set_bool_value(std::get<bool>(value));
    return v;
}

} // namespace

double EventWriter::now() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

EventWriter::EventWriter(const fs::path &runDir, EventWriterOptions options)
    : m_flushSeconds(options.flushSeconds) {
    std::error_code ec;
    fs::create_directories(runDir, ec);
    if (ec)
        throw std::runtime_error(runDir.string() +
                                 ": cannot create run directory: " + ec.message());
    const std::string host = options.hostname.empty() ? hostName() : options.hostname;
    const auto secs = static_cast<long long>(now());
    m_path = (runDir / ("events.out.tfevents." + std::to_string(secs) + "." + host + "." +
                        std::to_string(getpid()) + "." + std::to_string(g_fileCounter++)))
                 .string();
    m_file = std::fopen(m_path.c_str(), "wb");
    if (!m_file)
        throw std::runtime_error(m_path + ": cannot create event file: " + std::strerror(errno));

    pb::Event first = makeEvent(0, now());
    first.set_file_version("brain.Event:2");
    append(first.SerializeAsString());
    flush(); // TensorBoard lists the run as soon as the header is on disk
    m_flusher = std::thread([this] { flushLoop(); });
}

EventWriter::~EventWriter() {
    close();
}

void EventWriter::append(const std::string &serializedEvent) {
    std::lock_guard lock(m_mutex);
    if (!m_file) throw std::logic_error(m_path + ": event file already closed");
    appendRecord(m_pending, serializedEvent);
}

bool EventWriter::firstUse(const std::string &tag) {
    std::lock_guard lock(m_mutex);
    return m_tagsWithMetadata.insert(tag).second;
}

void EventWriter::addScalar(const std::string &tag, int64_t step, double value, double wallTime) {
    pb::Event e = makeEvent(step, wallTime);
    auto *v = e.mutable_summary()->add_value();
    v->set_tag(tag);
    v->set_simple_value(float(value));
    if (firstUse(tag)) setPlugin(v, "scalars");
    append(e.SerializeAsString());
}

void EventWriter::addHistogram(const std::string &tag, int64_t step,
                               const std::vector<double> &values, int bins, double wallTime) {
    HistogramValue h;
    if (!values.empty()) {
        auto [lo, hi] = std::minmax_element(values.begin(), values.end());
        h.min = *lo;
        h.max = *hi;
        bins = std::max(1, bins);
        const double width = (h.max - h.min) / bins;
        h.limits.resize(size_t(bins));
        h.counts.assign(size_t(bins), 0.0);
        for (int i = 0; i < bins; ++i)
            h.limits[size_t(i)] = h.min + width * (i + 1);
        h.limits.back() = h.max;
        for (double x : values) {
            int b = width > 0 ? int((x - h.min) / width) : 0;
            h.counts[size_t(std::clamp(b, 0, bins - 1))] += 1;
            h.sum += x;
            h.sumSquares += x * x;
        }
        h.num = double(values.size());
    }
    addHistogram(tag, step, h, wallTime);
}

void EventWriter::addHistogram(const std::string &tag, int64_t step, const HistogramValue &h,
                               double wallTime) {
    pb::Event e = makeEvent(step, wallTime);
    auto *v = e.mutable_summary()->add_value();
    v->set_tag(tag);
    auto *histo = v->mutable_histo();
    histo->set_min(h.min);
    histo->set_max(h.max);
    histo->set_num(h.num);
    histo->set_sum(h.sum);
    histo->set_sum_squares(h.sumSquares);
    for (double l : h.limits)
        histo->add_bucket_limit(l);
    for (double c : h.counts)
        histo->add_bucket(c);
    if (firstUse(tag)) setPlugin(v, "histograms");
    append(e.SerializeAsString());
}

void EventWriter::addImage(const std::string &tag, int64_t step, const ImageValue &image,
                           double wallTime) {
    pb::Event e = makeEvent(step, wallTime);
    auto *v = e.mutable_summary()->add_value();
    v->set_tag(tag);
    auto *img = v->mutable_image();
    img->set_width(image.width);
    img->set_height(image.height);
    img->set_colorspace(image.colorspace);
    img->set_encoded_image_string(image.encoded);
    if (firstUse(tag)) setPlugin(v, "images");
    append(e.SerializeAsString());
}

void EventWriter::addTensor(const std::string &tag, int64_t step, const TensorValue &tensor,
                            const std::string &plugin, double wallTime) {
    pb::Event e = makeEvent(step, wallTime);
    auto *v = e.mutable_summary()->add_value();
    v->set_tag(tag);
    auto *t = v->mutable_tensor();
    auto *shape = t->mutable_tensor_shape();
    for (int64_t d : tensor.shape)
        shape->add_dim()->set_size(d);
    if (!tensor.strings.empty()) {
        t->set_dtype(pb::DT_STRING);
        for (const auto &s : tensor.strings)
            t->add_string_val(s);
    } else {
        t->set_dtype(pb::DT_DOUBLE);
        std::string content(tensor.values.size() * sizeof(double), '\0');
        std::memcpy(content.data(), tensor.values.data(), content.size());
        t->set_tensor_content(content);
    }
    if (!plugin.empty() && firstUse(tag)) setPlugin(v, plugin);
    append(e.SerializeAsString());
}

void EventWriter::addHParamsExperiment(const std::map<std::string, HParamDomain> &domains,
                                       const std::vector<std::string> &metricTags,
                                       double wallTime) {
    pb::hparams::HParamsPluginData data;
    auto *exp = data.mutable_experiment();
    exp->set_time_created_secs(wallTime);
    for (const auto &[name, domain] : domains) {
        auto *info = exp->add_hparam_infos();
        info->set_name(name);
        info->set_type(static_cast<pb::hparams::DataType>(domain.type));
        if (domain.isInterval) {
            info->mutable_domain_interval()->set_min_value(domain.min);
            info->mutable_domain_interval()->set_max_value(domain.max);
        } else if (!domain.values.empty()) {
            auto *list = info->mutable_domain_discrete();
            for (const auto &value : domain.values)
                *list->add_values() = toStruct(value);
        }
    }
    for (const auto &tag : metricTags)
        exp->add_metric_infos()->mutable_name()->set_tag(tag);
    data.set_version(0);
    pb::Event e = makeEvent(0, wallTime);
    auto *v = e.mutable_summary()->add_value();
    v->set_tag("_hparams_/experiment");
    setPlugin(v, "hparams", data.SerializeAsString());
    append(e.SerializeAsString());
}

void EventWriter::addHParamsSessionStart(const std::map<std::string, HParamValue> &hparams,
                                         const std::string &groupName, double wallTime) {
    pb::hparams::HParamsPluginData data;
    auto *start = data.mutable_session_start_info();
    for (const auto &[name, value] : hparams)
        (*start->mutable_hparams())[name] = toStruct(value);
    start->set_group_name(groupName);
    start->set_start_time_secs(wallTime);
    pb::Event e = makeEvent(0, wallTime);
    auto *v = e.mutable_summary()->add_value();
    v->set_tag("_hparams_/session_start_info");
    setPlugin(v, "hparams", data.SerializeAsString());
    append(e.SerializeAsString());
}

void EventWriter::addHParamsSessionEnd(int status, double wallTime) {
    pb::hparams::HParamsPluginData data;
    auto *end = data.mutable_session_end_info();
    end->set_status(static_cast<pb::hparams::Status>(status));
    end->set_end_time_secs(wallTime);
    pb::Event e = makeEvent(0, wallTime);
    auto *v = e.mutable_summary()->add_value();
    v->set_tag("_hparams_/session_end_info");
    setPlugin(v, "hparams", data.SerializeAsString());
    append(e.SerializeAsString());
}

void EventWriter::writePending() {
    if (!m_file || m_pending.empty()) return;
    std::fwrite(m_pending.data(), 1, m_pending.size(), m_file);
    std::fflush(m_file);
    m_pending.clear();
}

void EventWriter::flush() {
    std::lock_guard lock(m_mutex);
    writePending();
}

void EventWriter::flushLoop() {
    std::unique_lock lock(m_mutex);
    const auto period = std::chrono::duration<double>(m_flushSeconds);
    while (!m_closing) {
        m_wake.wait_for(lock, period);
        writePending();
    }
}

void EventWriter::close() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_file) return;
        m_closing = true;
    }
    m_wake.notify_all();
    if (m_flusher.joinable()) m_flusher.join();
    std::lock_guard lock(m_mutex);
    writePending();
    std::fclose(m_file);
    m_file = nullptr;
}

} // namespace trainscope
