#include "widgets/bridge.h"

#include <QMetaObject>

namespace trainscope {
namespace {

// The queued item of type T for `jobId`, if any; used to keep only the latest of a kind.
template <typename T, typename Items> T *pendingFor(Items &queue, int jobId) {
    for (auto it = queue.rbegin(); it != queue.rend(); ++it)
        if (auto *p = std::get_if<T>(&*it); p && p->jobId == jobId) return p;
    return nullptr;
}

} // namespace

Bridge::Bridge(QObject *parent, int intervalMs)
    : QObject(parent) {
    registerMetaTypes();
    // Single-shot and started on demand: an idle bridge costs nothing, a busy one emits
    // at most once per interval (PlotJuggler's pattern).
    m_timer.setSingleShot(true);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &Bridge::flush);
}

Bridge::~Bridge() = default;

template <typename F> void Bridge::enqueue(F &&change) noexcept {
    try {
        bool schedule = false;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            change(m_queue);
            schedule = !m_scheduled;
            m_scheduled = true;
        }
        // QTimer may only be started on its own thread: post the start there.
        if (schedule)
            QMetaObject::invokeMethod(
                this,
                [this] {
                    if (!m_timer.isActive()) m_timer.start();
                },
                Qt::QueuedConnection);
    } catch (...) {
        // Out of memory while queueing: drop this report rather than kill the job's thread.
    }
}

void Bridge::onState(int jobId, JobState state, const std::string &message) {
    enqueue([&](std::vector<Item> &q) { q.emplace_back(State{jobId, state, message}); });
}

void Bridge::onProgress(const JobProgress &progress) {
    enqueue([&](std::vector<Item> &q) {
        if (JobProgress *pending = pendingFor<JobProgress>(q, progress.jobId))
            *pending = progress;
        else
            q.emplace_back(progress);
    });
}

void Bridge::onEpoch(const EpochResult &result) {
    enqueue([&](std::vector<Item> &q) { q.emplace_back(result); });
}

void Bridge::onSteps(int jobId, const std::vector<StepStats> &steps) {
    enqueue([&](std::vector<Item> &q) {
        // Consecutive batches for one job become one signal; every step is kept.
        if (!q.empty())
            if (auto *last = std::get_if<Steps>(&q.back()); last && last->jobId == jobId) {
                last->steps.insert(last->steps.end(), steps.begin(), steps.end());
                return;
            }
        q.emplace_back(Steps{jobId, steps});
    });
}

void Bridge::onProfile(int jobId, const ProfileSummary &summary) {
    enqueue([&](std::vector<Item> &q) {
        // A summary is the analysis so far: a newer one supersedes the queued one.
        if (Profile *pending = pendingFor<Profile>(q, jobId))
            pending->summary = summary;
        else
            q.emplace_back(Profile{jobId, summary});
    });
}

void Bridge::onConfusion(const ConfusionMatrix &matrix) {
    enqueue([&](std::vector<Item> &q) { q.emplace_back(matrix); });
}

void Bridge::onTrace(int jobId, std::shared_ptr<const TraceFile> trace) {
    enqueue([&](std::vector<Item> &q) {
        // Each snapshot holds the whole window so far: the newest supersedes the queued one.
        if (Trace *pending = pendingFor<Trace>(q, jobId))
            pending->trace = std::move(trace);
        else
            q.emplace_back(Trace{jobId, std::move(trace)});
    });
}

void Bridge::onTrial(int sweepId, const Trial &trial) {
    enqueue([&](std::vector<Item> &q) {
        // A trial update is the whole trial: a newer one supersedes the queued one.
        for (Item &item : q)
            if (auto *pending = std::get_if<SweepTrial>(&item);
                pending && pending->sweepId == sweepId && pending->trial.id == trial.id) {
                pending->trial = trial;
                return;
            }
        q.emplace_back(SweepTrial{sweepId, trial});
    });
}

void Bridge::onSweepMessage(int sweepId, const std::string &text) {
    enqueue([&](std::vector<Item> &q) { q.emplace_back(SweepText{sweepId, text, false}); });
}

void Bridge::onSweepEnd(int sweepId, const std::string &reason) {
    enqueue([&](std::vector<Item> &q) { q.emplace_back(SweepText{sweepId, reason, true}); });
}

int Bridge::pendingCount() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return int(m_queue.size());
}

void Bridge::flush() {
    std::vector<Item> items;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        items.swap(m_queue);
        m_scheduled = false;
    }
    // Workers never wait on the GUI: they were released before the first emission.
    for (const Item &item : items)
        emitItem(item);
}

void Bridge::emitItem(const Item &item) {
    if (auto *s = std::get_if<State>(&item))
        emit stateChanged(s->jobId, s->state, QString::fromStdString(s->message));
    else if (auto *p = std::get_if<JobProgress>(&item))
        emit progressed(*p);
    else if (auto *e = std::get_if<EpochResult>(&item))
        emit epochFinished(*e);
    else if (auto *st = std::get_if<Steps>(&item))
        emit stepsProfiled(st->jobId, QVector<StepStats>(st->steps.begin(), st->steps.end()));
    else if (auto *pr = std::get_if<Profile>(&item))
        emit profileUpdated(pr->jobId, pr->summary);
    else if (auto *c = std::get_if<ConfusionMatrix>(&item))
        emit confusionUpdated(*c);
    else if (auto *t = std::get_if<Trace>(&item))
        emit traceUpdated(t->jobId, t->trace);
    else if (auto *tr = std::get_if<SweepTrial>(&item))
        emit trialUpdated(tr->sweepId, tr->trial);
    else if (auto *sm = std::get_if<SweepText>(&item); sm && sm->end)
        emit sweepEnded(sm->sweepId, QString::fromStdString(sm->text));
    else if (sm)
        emit sweepMessage(sm->sweepId, QString::fromStdString(sm->text));
}

} // namespace trainscope
