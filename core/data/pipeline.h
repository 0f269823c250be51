// The input pipeline a job spec composes: shuffle (with a buffer) -> read -> preprocess
// (deterministic, cacheable in memory or snapshotted to disk for later runs) -> augment
// (random) -> batch, built by map worker
// threads either on demand (prefetch 0) or ahead of the consumer into a bounded queue.
// Every stage reports its cost per batch, so the profiler can name the slow one.
#pragma once

#include "core/data/dataset.h"
#include "core/jobs/jobspec.h"
#include "core/profile/stepstats.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace trainscope {

struct Batch {
    std::vector<float> features; // size() x example size
    std::vector<int64_t> labels;
    std::vector<int64_t> exampleShape;
    size_t size() const { return labels.size(); }
};

class Pipeline {
public:
    // `training`: shuffle and augment; otherwise examples come in order, preprocessed only.
    Pipeline(const Dataset &data, const PipelineSpec &spec, int batchSize, bool training,
             uint64_t seed);
    ~Pipeline();
    Pipeline(const Pipeline &) = delete;
    Pipeline &operator=(const Pipeline &) = delete;

    void startEpoch(int epoch);
    // The next batch of the epoch, waiting for it if needed; false at the epoch's end.
    bool next(Batch &out);

    size_t batchesPerEpoch() const;
    // One example's shape once preprocessed (central_crop and resize change it).
    const std::vector<int64_t> &exampleShape() const { return m_shape; }
    size_t exampleSize() const { return m_exampleSize; }
    // The first `count` examples, preprocessed (no augmentation), one after another.
    std::vector<float> preprocessed(size_t count) const;
    int workers() const { return m_workers; }   // after autotune
    int prefetch() const { return m_prefetch; } // after autotune
    // Cumulative time per stage since construction, summed over the workers, slowest first.
    std::vector<StageStats> stageStats() const;
    // With a snapshot folder: whether this pipeline read its examples from an earlier run's
    // snapshot, and the file (written once the first epoch has preprocessed every example).
    bool snapshotReused() const { return m_snapshotReused; }
    const std::string &snapshotPath() const { return m_snapshotPath; }

private:
    enum Stage { Read, Preprocess, Augment, StageCount };
    // Example `index` preprocessed into `dst`; `copied`: dst already holds it as read.
    void preprocess(uint32_t index, float *dst, std::vector<float> &scratch, bool copied) const;
    void buildExamples(size_t batch, size_t from, size_t to, Batch &out,
                       std::vector<float> &scratch, uint64_t (&ns)[StageCount]);
    void buildBatch(size_t batch, Batch &out); // one thread, or split across workers
    void producerLoop();
    void openSnapshot();  // reuse a matching snapshot, or plan to write one
    void writeSnapshot(); // once every example is preprocessed
    void stopProducers();
    std::vector<uint32_t> epochOrder(int epoch) const;

    const Dataset &m_data;
    PipelineSpec m_spec;
    size_t m_batchSize;
    bool m_training;
    uint64_t m_seed;
    int m_workers, m_prefetch;
    std::vector<int64_t> m_shape; // after preprocessing
    bool m_reshapes;              // a preprocessing op changes the size
    size_t m_exampleSize = 0;     // of m_shape
    int m_epoch = 0;
    std::vector<uint32_t> m_order;

    // The cache of preprocessed examples ("cache": "memory").
    std::vector<float> m_cache;
    std::unique_ptr<std::atomic<bool>[]> m_cached;
    std::atomic<size_t> m_cachedCount{0};
    std::string m_snapshotPath;
    bool m_snapshotReused = false, m_snapshotWritten = false;

    std::atomic<uint64_t> m_stageNs[StageCount] = {};
    std::atomic<uint64_t> m_batchesBuilt{0};

    // Producer/consumer state (prefetch > 0).
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<size_t, Batch> m_ready;
    size_t m_claimed = 0, m_consumed = 0;
    bool m_stopping = false;
    std::vector<std::thread> m_producers;
};

} // namespace trainscope
