#include "sweepbridge.h"

#include <QMetaObject>

namespace trainscope {

void registerTuneMetaTypes() {
    static const bool once = [] {
        qRegisterMetaType<trainscope::Trial>("trainscope::Trial");
        return true;
    }();
    Q_UNUSED(once);
}

SweepBridge::SweepBridge(const QString &sweepDir, QObject *parent, int intervalMs)
    : QObject(parent)
    , m_sweepDir(sweepDir) {
    registerTuneMetaTypes();
    // Single-shot and started on demand, as JobBridge: idle costs nothing, busy emits at most
    // once per interval.
    m_timer.setSingleShot(true);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &SweepBridge::flush);
}

SweepBridge::~SweepBridge() = default;

template <typename F> void SweepBridge::enqueue(F &&change) noexcept {
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
        // Out of memory while queueing: drop this report rather than kill a worker thread.
    }
}

void SweepBridge::onTrial(const Trial &trial) {
    enqueue([&](std::vector<Item> &q) {
        // A trial update is the whole trial: a newer one supersedes the queued one.
        for (Item &item : q)
            if (auto *pending = std::get_if<Trial>(&item); pending && pending->id == trial.id) {
                *pending = trial;
                return;
            }
        q.emplace_back(trial);
    });
}

void SweepBridge::onMessage(const std::string &text) {
    enqueue([&](std::vector<Item> &q) { q.emplace_back(text); });
}

int SweepBridge::pendingCount() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return int(m_queue.size());
}

void SweepBridge::flush() {
    std::vector<Item> items;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        items.swap(m_queue);
        m_scheduled = false;
    }
    for (const Item &item : items) {
        if (auto *t = std::get_if<Trial>(&item))
            emit trialUpdated(*t);
        else
            emit message(QString::fromStdString(std::get<std::string>(item)));
    }
}

} // namespace trainscope
