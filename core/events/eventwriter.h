// Writes a TensorBoard event file into a run directory: scalars, histograms, images, raw
// tensors and hparams summaries, named and framed as TensorBoard's own writer does, so
// TensorBoard and Trainscope both open it. Thread-safe; flushes on a timer and on close.
#pragma once

#include "core/events/eventvalues.h"

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace trainscope {

struct EventWriterOptions {
    double flushSeconds = 2.0; // how stale the file on disk may get while events are added
    std::string hostname;      // for the file name; empty: this machine's name
};

class EventWriter {
public:
    // Creates `runDir` if needed and opens a new event file in it. Throws std::runtime_error
    // naming the file when it cannot be created.
    explicit EventWriter(const std::filesystem::path &runDir, EventWriterOptions options = {});
    ~EventWriter();
    EventWriter(const EventWriter &) = delete;
    EventWriter &operator=(const EventWriter &) = delete;

    static double now();

    void addScalar(const std::string &tag, int64_t step, double value, double wallTime = now());
    // Buckets `values` into `bins` equal-width buckets between their min and max.
    void addHistogram(const std::string &tag, int64_t step, const std::vector<double> &values,
                      int bins = 30, double wallTime = now());
    void addHistogram(const std::string &tag, int64_t step, const HistogramValue &histogram,
                      double wallTime = now());
    void addImage(const std::string &tag, int64_t step, const ImageValue &image,
                  double wallTime = now());
    void addTensor(const std::string &tag, int64_t step, const TensorValue &tensor,
                   const std::string &plugin, double wallTime = now());
    // The HParams plugin's experiment (what the sweep varies and measures) and one session.
    void addHParamsExperiment(const std::map<std::string, HParamDomain> &domains,
                              const std::vector<std::string> &metricTags, double wallTime = now());
    void addHParamsSessionStart(const std::map<std::string, HParamValue> &hparams,
                                const std::string &groupName = {}, double wallTime = now());
    void addHParamsSessionEnd(int status, double wallTime = now());

    void flush();
    void close();
    const std::string &path() const { return m_path; }

private:
    void append(const std::string &serializedEvent);
    bool firstUse(const std::string &tag); // true the first time a tag is written
    void writePending();                   // caller holds m_mutex
    void flushLoop();

    std::string m_path;
    FILE *m_file = nullptr;
    double m_flushSeconds;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::string m_pending; // framed records not yet handed to the OS
    std::set<std::string> m_tagsWithMetadata;
    bool m_closing = false;
    std::thread m_flusher;
};

} // namespace trainscope
