#include "core/events/logdirindex.h"

#include "core/jobs/rundir.h"

#include <set>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace fs = std::filesystem;

namespace trainscope {

struct LogdirIndex::RunReaders {
    std::map<std::string, EventReader> files; // by file name: names sort by creation time
    TagPlugins plugins;
    std::vector<std::string> traces; // as last reported
    bool hasStudy = false;
    bool reported = false; // the run has been in a delta once
};

namespace {

// Collects one run's new data; resolves tag names once per tag, not once per point.
class DeltaSink : public EventSink {
public:
    explicit DeltaSink(RunData &run)
        : m_run(run) {}

    void onEvent(double wall, int64_t) override {
        ++m_run.eventCount;
        if (wall > 0 && wall < m_run.firstWallTime) m_run.firstWallTime = wall;
    }
    void onScalar(std::string_view tag, int64_t step, double wall, double value) override {
        tagData(tag, TagKind::Scalar).scalars.append(step, wall, float(value));
    }
    void onHistogram(std::string_view tag, int64_t step, double wall, HistogramValue &&h) override {
        tagData(tag, TagKind::Histogram).histograms.push_back({step, wall, std::move(h)});
    }
    void onImage(std::string_view tag, int64_t step, double wall, ImageValue &&img) override {
        tagData(tag, TagKind::Image).images.push_back({step, wall, std::move(img)});
    }
    void onTensor(std::string_view tag, int64_t step, double wall, std::string_view proto,
                  std::string_view plugin) override {
        TagData &d = tagData(tag, TagKind::Tensor);
        d.plugin.assign(plugin);
        d.tensors.push_back({step, wall, std::string(proto)});
    }
    void onHParams(std::string_view, double, HParamsValue &&hp) override {
        if (!m_run.hparams) m_run.hparams.emplace();
        RunHParams &h = *m_run.hparams;
        switch (hp.kind) {
        case HParamsValue::Kind::SessionStart:
            h.values = std::move(hp.hparams);
            h.groupName = std::move(hp.groupName);
            break;
        case HParamsValue::Kind::SessionEnd:
            h.status = hp.status;
            break;
        case HParamsValue::Kind::Experiment:
            h.metricTags = std::move(hp.metricTags);
            h.domains = std::move(hp.domains);
            break;
        }
    }

private:
    // Runs log a handful of tags in rotation: a short linear scan beats hashing a string.
    TagData &tagData(std::string_view tag, TagKind kind) {
        for (auto &[name, data] : m_recent)
            if (name == tag) return *data;
        TagData &d = m_run.tags[std::string(tag)];
        if (d.count() == 0) d.kind = kind;
        if (m_recent.size() >= 16) m_recent.erase(m_recent.begin());
        m_recent.emplace_back(std::string(tag), &d);
        return d;
    }

    RunData &m_run;
    std::vector<std::pair<std::string, TagData *>> m_recent;
};

// A run's session start, end and experiment summaries may arrive in different polls.
void mergeHParams(RunData &run, RunHParams &&fresh) {
    if (!run.hparams) {
        run.hparams = std::move(fresh);
        return;
    }
    RunHParams &h = *run.hparams;
    if (!fresh.values.empty()) {
        h.values = std::move(fresh.values);
        h.groupName = std::move(fresh.groupName);
    }
    if (!fresh.metricTags.empty()) h.metricTags = std::move(fresh.metricTags);
    if (!fresh.domains.empty()) h.domains = std::move(fresh.domains);
    if (fresh.status) h.status = fresh.status;
}

std::string runNameFor(const fs::path &root, const fs::path &dir) {
    const std::string rel = dir.lexically_relative(root).generic_string();
    return rel.empty() ? "." : rel;
}

} // namespace

LogdirIndex::LogdirIndex(fs::path root)
    : m_root(std::move(root)) {}
LogdirIndex::~LogdirIndex() = default;

bool LogdirIndex::isEventFileName(const std::string &name) {
    return name.find("tfevents") != std::string::npos;
}

LogdirDelta LogdirIndex::poll(uint64_t byteBudget) {
    std::lock_guard lock(m_pollMutex);
    LogdirDelta delta;
    std::error_code ec;
    if (!fs::is_directory(m_root, ec)) {
        if (!m_reportedMissingRoot)
            delta.problems.push_back({m_root.string(), 0, "no such directory"});
        m_reportedMissingRoot = true;
        return delta;
    }
    m_reportedMissingRoot = false;

    // Discover what makes a directory a run: event files, profiler traces (in it, or under its
    // plugins/profile/<timestamp>/), a sweep's study.db. Symlinked folders are followed; a
    // folder reached twice (a symlink loop, two links to one folder) is read once.
    struct RunFiles {
        fs::path dir;
        std::vector<std::pair<fs::path, uint64_t>> events; // path, size
        bool traces = false, study = false;
    };
    std::map<std::string, RunFiles> found;
    std::set<std::pair<dev_t, ino_t>> seenDirs;
    struct stat st {};
    if (::stat(m_root.c_str(), &st) == 0) seenDirs.insert({st.st_dev, st.st_ino});
    auto runFiles = [&](const fs::path &dir) -> RunFiles & {
        RunFiles &r = found[runNameFor(m_root, dir)];
        r.dir = dir;
        return r;
    };
    const auto options = fs::directory_options::skip_permission_denied |
                         fs::directory_options::follow_directory_symlink;
    for (auto it = fs::recursive_directory_iterator(m_root, options, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_directory(ec)) {
            if (::stat(it->path().c_str(), &st) != 0 ||
                !seenDirs.insert({st.st_dev, st.st_ino}).second)
                it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec)) continue;
        const std::string name = it->path().filename().string();
        const fs::path dir = it->path().parent_path();
        if (isEventFileName(name)) {
            runFiles(dir).events.emplace_back(it->path(), it->file_size(ec));
        } else if (isProfileTraceName(name)) {
            const fs::path profile = dir.parent_path();
            const bool plugin = profile.filename() == "profile" &&
                                profile.parent_path().filename() == "plugins" &&
                                profile.parent_path() != m_root;
            runFiles(plugin ? profile.parent_path().parent_path() : dir).traces = true;
        } else if (name == "study.db") {
            runFiles(dir).study = true;
        }
    }
    if (ec) delta.problems.push_back({m_root.string(), 0, "cannot list: " + ec.message()});

    // What changed, run by run; then read on every core, one run per reader at a time, as
    // TensorBoard's data server does. Each run's readers are touched by one thread only.
    struct Work {
        const std::string *name;
        RunFiles *on;
        RunReaders *readers;
        std::vector<EventReader *> grown;
        bool changed = false;
        std::vector<std::string> traces;
        uint64_t pending = 0; // bytes on disk not read yet
        // Filled by the reading thread:
        bool read = false;
        RunData run;
        std::vector<ReadProblem> problems;
        uint64_t bytes = 0;
    };
    std::vector<Work> work;
    for (auto &[runName, on] : found) {
        auto &readers = m_readers[runName];
        if (!readers) readers = std::make_unique<RunReaders>();
        Work w{&runName, &on, readers.get(), {}, !readers->reported, {}, 0, false, {}, {}, 0};
        w.traces = on.traces ? runTraceFiles(on.dir.string()) : std::vector<std::string>();
        w.changed = w.changed || w.traces != readers->traces || on.study != readers->hasStudy;
        for (const auto &[file, size] : on.events) {
            auto [it, added] = readers->files.try_emplace(file.filename().string(), file.string());
            if (added) it->second.setComplete(m_filesComplete);
            // Only files that grew are opened: a live logdir is polled every second.
            if (added || size > it->second.offset()) {
                w.grown.push_back(&it->second);
                w.pending += size > it->second.offset() ? size - it->second.offset() : 0;
            }
        }
        if (!w.grown.empty() || w.changed) work.push_back(std::move(w));
    }
    auto readRun = [](Work &w) {
        w.read = true;
        w.readers->reported = true;
        w.readers->traces = w.traces;
        w.readers->hasStudy = w.on->study;
        w.run.name = *w.name;
        w.run.path = w.on->dir.string();
        w.run.traces = std::move(w.traces);
        w.run.hasStudy = w.on->study;
        DeltaSink sink(w.run);
        std::sort(w.grown.begin(), w.grown.end(),
                  [](auto *a, auto *b) { return a->path() < b->path(); });
        for (EventReader *reader : w.grown) {
            const ReadStats stats = reader->readNew(w.readers->plugins, sink, w.problems);
            w.bytes += stats.bytes;
            w.changed |= stats.records > 0;
        }
    };
    // Runs are taken in order until the budget is spent: a poll of a huge logdir returns
    // what it has read so far, and the next goes on.
    std::mutex claimMutex;
    size_t next = 0;
    uint64_t claimed = 0; // bytes
    auto claim = [&]() -> Work * {
        std::lock_guard claimLock(claimMutex);
        if (next == work.size() || claimed >= byteBudget) return nullptr;
        claimed += work[next].pending;
        return &work[next++];
    };
    auto worker = [&] {
        while (Work *w = claim())
            readRun(*w);
    };
    const size_t threads =
        std::min<size_t>(work.size(), std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread &t : pool)
        t.join();
    for (Work &w : work) { // in run order, whichever thread read them
        if (!w.read) {
            // Left for the next poll; a run is named the first time it is seen, so the run
            // list shows every run before their data has been read.
            ++delta.runsPending;
            if (!w.readers->reported) {
                w.readers->reported = true;
                RunData named;
                named.name = *w.name;
                named.path = w.on->dir.string();
                delta.runs.push_back(std::move(named));
            }
            continue;
        }
        delta.bytesRead += w.bytes;
        for (auto &p : w.problems)
            delta.problems.push_back(std::move(p));
        if (w.changed) delta.runs.push_back(std::move(w.run));
    }
    return delta;
}

std::vector<std::string> LogdirIndex::apply(LogdirDelta &&delta) {
    std::vector<std::string> changed;
    for (RunData &fresh : delta.runs) {
        changed.push_back(fresh.name);
        auto [it, inserted] = m_runs.try_emplace(fresh.name);
        RunData &run = it->second;
        if (inserted) {
            run = std::move(fresh);
            for (auto &[name, tag] : run.tags)
                tag.scalars.compact();
            continue;
        }
        run.traces = std::move(fresh.traces); // the whole list each time
        run.hasStudy = fresh.hasStudy;
        run.eventCount += fresh.eventCount;
        run.firstWallTime = std::min(run.firstWallTime, fresh.firstWallTime);
        if (fresh.hparams) mergeHParams(run, std::move(*fresh.hparams));
        for (auto &[name, tag] : fresh.tags) {
            auto [t, newTag] = run.tags.try_emplace(name);
            if (newTag) {
                t->second = std::move(tag);
                t->second.scalars.compact();
                continue;
            }
            TagData &into = t->second;
            into.scalars.appendAll(tag.scalars);
            into.scalars.compact();
            auto move = [](auto &to, auto &from) {
                to.insert(to.end(), std::make_move_iterator(from.begin()),
                          std::make_move_iterator(from.end()));
            };
            move(into.histograms, tag.histograms);
            move(into.images, tag.images);
            move(into.tensors, tag.tensors);
        }
    }
    for (auto &p : delta.problems)
        m_problems.push_back(std::move(p));
    return changed;
}

const RunData *LogdirIndex::run(const std::string &name) const {
    auto it = m_runs.find(name);
    return it == m_runs.end() ? nullptr : &it->second;
}

} // namespace trainscope
