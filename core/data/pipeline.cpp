#include "core/data/pipeline.h"

#include "core/data/transforms.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>

namespace trainscope {
namespace {

uint64_t nowNs() {
    return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now().time_since_epoch())
                        .count());
}

int hardwareThreads() {
    return std::max(1u, std::thread::hardware_concurrency());
}

} // namespace

Pipeline::Pipeline(const Dataset &data, const PipelineSpec &spec, int batchSize, bool training,
                   uint64_t seed)
    : m_data(data)
    , m_spec(spec)
    , m_batchSize(size_t(std::max(1, batchSize)))
    , m_training(training)
    , m_seed(seed)
    , m_workers(spec.mapWorkers > 0 ? spec.mapWorkers : hardwareThreads())
    ,
    // Autotune keeps two batches ahead per worker: enough to hide a stage that is up to
    // as slow as the step, without holding many batches in memory.
    m_prefetch(spec.prefetch >= 0 ? spec.prefetch : std::max(2, m_workers))
    , m_shape(transformedShape(data.shape, spec.preprocess))
    , m_reshapes(std::any_of(spec.preprocess.begin(), spec.preprocess.end(), changesShape)) {
    m_exampleSize = 1;
    for (int64_t d : m_shape)
        m_exampleSize *= size_t(d);
    if (m_spec.cache == "memory" || !m_spec.snapshot.empty()) {
        m_cache.resize(data.size() * m_exampleSize);
        m_cached = std::make_unique<std::atomic<bool>[]>(data.size());
        for (size_t i = 0; i < data.size(); ++i)
            m_cached[i] = false;
    }
    if (!m_spec.snapshot.empty()) openSnapshot();
}

namespace {

// A 64-bit hash of everything a snapshot depends on: the examples, the labels and the
// preprocessing. Word-at-a-time, so hashing Fashion-MNIST takes a few tens of milliseconds.
uint64_t snapshotKey(const Dataset &d, const std::vector<AugmentOp> &preprocess) {
    uint64_t h = 0x9e3779b97f4a7c15ull;
    auto mix = [&h](uint64_t v) {
        h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
        h *= 0xff51afd7ed558ccdull;
    };
    auto bytes = [&](const void *data, size_t size) {
        const auto *p = static_cast<const unsigned char *>(data);
        size_t i = 0;
        for (; i + 8 <= size; i += 8) {
            uint64_t w;
            std::memcpy(&w, p + i, 8);
            mix(w);
        }
        uint64_t tail = 0;
        std::memcpy(&tail, p + i, size - i);
        mix(tail ^ size);
    };
    bytes(d.name.data(), d.name.size());
    bytes(d.shape.data(), d.shape.size() * sizeof(int64_t));
    bytes(d.features.data(), d.features.size() * sizeof(float));
    bytes(d.labels.data(), d.labels.size() * sizeof(int64_t));
    for (const AugmentOp &op : preprocess) {
        bytes(op.op.data(), op.op.size());
        bytes(&op.amount, sizeof op.amount);
        if (!op.size.empty()) bytes(op.size.data(), op.size.size() * sizeof(int));
    }
    return h;
}

constexpr char kSnapshotMagic[8] = {'T', 'S', 'S', 'N', 'A', 'P', '1', '\n'};

} // namespace

void Pipeline::openSnapshot() {
    char name[40];
    std::snprintf(name, sizeof name, "%016llx.snapshot",
                  static_cast<unsigned long long>(snapshotKey(m_data, m_spec.preprocess)));
    m_snapshotPath = (std::filesystem::path(m_spec.snapshot) / name).string();
    std::ifstream in(m_snapshotPath, std::ios::binary);
    if (!in) return; // none yet: the first epoch writes it
    char magic[8];
    uint64_t count = 0;
    in.read(magic, 8);
    in.read(reinterpret_cast<char *>(&count), 8);
    if (!in || std::memcmp(magic, kSnapshotMagic, 8) != 0 || count != m_cache.size())
        return; // rewritten
    in.read(reinterpret_cast<char *>(m_cache.data()), std::streamsize(count * sizeof(float)));
    if (!in) return; // truncated: rewritten after this run's first epoch
    for (size_t i = 0; i < m_data.size(); ++i)
        m_cached[i] = true;
    m_cachedCount = m_data.size();
    m_snapshotReused = m_snapshotWritten = true;
}

void Pipeline::writeSnapshot() {
    if (m_snapshotPath.empty() || m_snapshotWritten || m_cachedCount.load() < m_data.size()) return;
    m_snapshotWritten = true;
    std::error_code ec;
    std::filesystem::create_directories(m_spec.snapshot, ec);
    const std::string tmp = m_snapshotPath + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        const uint64_t count = m_cache.size();
        out.write(kSnapshotMagic, 8);
        out.write(reinterpret_cast<const char *>(&count), 8);
        out.write(reinterpret_cast<const char *>(m_cache.data()),
                  std::streamsize(count * sizeof(float)));
        if (!out) return; // a full disk costs the snapshot, not the run
    }
    std::filesystem::rename(tmp, m_snapshotPath, ec); // readers never see half a snapshot
}

Pipeline::~Pipeline() {
    stopProducers();
}

size_t Pipeline::batchesPerEpoch() const {
    return (m_data.size() + m_batchSize - 1) / m_batchSize;
}

std::vector<uint32_t> Pipeline::epochOrder(int epoch) const {
    std::vector<uint32_t> order(m_data.size());
    std::iota(order.begin(), order.end(), 0u);
    const size_t buffer = size_t(m_spec.shuffleBuffer);
    if (!m_training || buffer <= 1) return order;
    std::mt19937_64 rng(m_seed * 1000003u + uint64_t(epoch));
    if (buffer >= order.size()) {
        std::shuffle(order.begin(), order.end(), rng);
        return order;
    }
    // tf.data's shuffle: emit a random element of a sliding buffer, refill from the stream.
    std::vector<uint32_t> window(order.begin(), order.begin() + long(buffer)), out;
    out.reserve(order.size());
    for (size_t i = buffer; i < order.size(); ++i) {
        const size_t j = rng() % buffer;
        out.push_back(window[j]);
        window[j] = order[i];
    }
    std::shuffle(window.begin(), window.end(), rng);
    out.insert(out.end(), window.begin(), window.end());
    return out;
}

void Pipeline::preprocess(uint32_t index, float *dst, std::vector<float> &scratch,
                          bool copied) const {
    const size_t in = m_data.exampleSize();
    std::mt19937_64 none(index);
    if (!m_reshapes) {
        if (!copied) std::copy_n(m_data.example(index), in, dst);
        for (const AugmentOp &op : m_spec.preprocess)
            applyTransform(op, dst, m_data.shape, none, scratch, false);
        return;
    }
    std::vector<float> work(m_data.example(index), m_data.example(index) + in);
    std::vector<int64_t> shape = m_data.shape;
    for (const AugmentOp &op : m_spec.preprocess)
        applyPreprocess(op, work, shape, scratch);
    std::copy_n(work.data(), m_exampleSize, dst);
}

std::vector<float> Pipeline::preprocessed(size_t count) const {
    count = std::min(count, m_data.size());
    std::vector<float> out(count * m_exampleSize), scratch;
    for (size_t i = 0; i < count; ++i)
        preprocess(uint32_t(i), out.data() + i * m_exampleSize, scratch, false);
    return out;
}

void Pipeline::buildExamples(size_t batch, size_t from, size_t to, Batch &out,
                             std::vector<float> &scratch, uint64_t (&ns)[StageCount]) {
    const size_t per = m_exampleSize;
    for (size_t k = from; k < to; ++k) {
        const uint32_t index = m_order[batch * m_batchSize + k];
        float *dst = out.features.data() + k * per;
        uint64_t t0 = nowNs();
        if (m_cached && m_cached[index].load(std::memory_order_acquire)) {
            std::copy_n(m_cache.data() + size_t(index) * per, per, dst);
            ns[Read] += nowNs() - t0;
        } else {
            // Reading is the copy out of the dataset; ops that resize copy it themselves.
            if (!m_reshapes) std::copy_n(m_data.example(index), per, dst);
            const uint64_t t1 = nowNs();
            ns[Read] += t1 - t0;
            preprocess(index, dst, scratch, !m_reshapes);
            if (m_cached) {
                std::copy_n(dst, per, m_cache.data() + size_t(index) * per);
                if (!m_cached[index].exchange(true, std::memory_order_acq_rel)) ++m_cachedCount;
            }
            ns[Preprocess] += nowNs() - t1;
        }
        if (m_training && !m_spec.augment.empty()) {
            const uint64_t t2 = nowNs();
            std::mt19937_64 rng(m_seed ^ (uint64_t(m_epoch) << 40) ^
                                (uint64_t(index) * 0x9e3779b97f4a7c15ull));
            for (const AugmentOp &op : m_spec.augment)
                applyTransform(op, dst, m_shape, rng, scratch);
            ns[Augment] += nowNs() - t2;
        }
        out.labels[k] = m_data.labels[index];
    }
}

void Pipeline::buildBatch(size_t batch, Batch &out) {
    const size_t first = batch * m_batchSize;
    const size_t count = std::min(m_batchSize, m_order.size() - first);
    out.exampleShape = m_shape;
    out.features.resize(count * m_exampleSize);
    out.labels.resize(count);
    uint64_t ns[StageCount] = {};
    const size_t threads = m_prefetch == 0 ? std::min<size_t>(size_t(m_workers), count) : 1;
    if (threads <= 1) {
        std::vector<float> scratch;
        buildExamples(batch, 0, count, out, scratch, ns);
    } else { // on demand with several map workers: split the batch's examples among them
        std::vector<std::thread> pool;
        std::vector<std::array<uint64_t, StageCount>> parts(threads);
        for (size_t t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                std::vector<float> scratch;
                uint64_t local[StageCount] = {};
                buildExamples(batch, count * t / threads, count * (t + 1) / threads, out, scratch,
                              local);
                std::copy(local, local + StageCount, parts[t].begin());
            });
        for (auto &th : pool)
            th.join();
        for (const auto &p : parts)
            for (int s = 0; s < StageCount; ++s)
                ns[s] += p[size_t(s)];
    }
    for (int s = 0; s < StageCount; ++s)
        m_stageNs[s] += ns[s];
    ++m_batchesBuilt;
}

void Pipeline::startEpoch(int epoch) {
    stopProducers();
    m_epoch = epoch;
    m_order = epochOrder(epoch);
    std::lock_guard lock(m_mutex);
    m_ready.clear();
    m_claimed = m_consumed = 0;
    m_stopping = false;
    if (m_prefetch > 0)
        for (int w = 0; w < m_workers; ++w)
            m_producers.emplace_back([this] { producerLoop(); });
}

void Pipeline::producerLoop() {
    const size_t total = batchesPerEpoch();
    std::unique_lock lock(m_mutex);
    while (true) {
        m_changed.wait(lock, [&] {
            return m_stopping || (m_claimed < total && m_claimed < m_consumed + size_t(m_prefetch));
        });
        if (m_stopping) return;
        const size_t k = m_claimed++;
        lock.unlock();
        Batch b;
        buildBatch(k, b);
        lock.lock();
        m_ready.emplace(k, std::move(b));
        m_changed.notify_all();
        if (m_claimed >= total) return;
    }
}

bool Pipeline::next(Batch &out) {
    const size_t total = batchesPerEpoch();
    if (m_consumed >= total) writeSnapshot(); // the epoch is done: every example was preprocessed
    if (m_prefetch == 0) {
        if (m_consumed >= total) return false;
        buildBatch(m_consumed++, out);
        return true;
    }
    std::unique_lock lock(m_mutex);
    if (m_consumed >= total) return false;
    m_changed.wait(lock, [&] { return m_ready.count(m_consumed) > 0; });
    auto it = m_ready.find(m_consumed);
    out = std::move(it->second);
    m_ready.erase(it);
    ++m_consumed;
    m_changed.notify_all(); // a producer may now run ahead
    return true;
}

void Pipeline::stopProducers() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    for (auto &t : m_producers)
        t.join();
    m_producers.clear();
}

std::vector<StageStats> Pipeline::stageStats() const {
    static const char *const names[StageCount] = {"read", "preprocess", "augment"};
    std::vector<StageStats> out;
    const uint64_t batches = m_batchesBuilt.load();
    for (int s = 0; s < StageCount; ++s)
        out.push_back({names[s], batches, double(m_stageNs[s].load()) / 1e6, m_workers});
    std::sort(out.begin(), out.end(),
              [](const auto &a, const auto &b) { return a.totalMs > b.totalMs; });
    return out;
}

} // namespace trainscope
