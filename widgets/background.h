// The one way off the GUI thread (hotspot's JobTracker): run work on Qt's thread pool, let the
// latest request win, and deliver its result on the receiver's thread. Files, traces and
// studies are read through it, so nothing blocks the GUI.
#pragma once

#include <QMetaObject>
#include <QObject>
#include <QThreadPool>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

namespace trainscope {

class Background {
public:
    // Results are delivered on `receiver`'s thread, never after this object is destroyed.
    explicit Background(QObject *receiver)
        : m_shared(std::make_shared<Shared>()) {
        m_shared->receiver = receiver;
    }
    ~Background() {
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        m_shared->receiver = nullptr;
    }
    Background(const Background &) = delete;
    Background &operator=(const Background &) = delete;

    // Runs `work()` on the pool, then `deliver(result)` on the receiver's thread unless a later
    // run() or cancel() came first. `work` must not touch the receiver: capture values. The
    // result must be copyable.
    template <typename Work, typename Deliver> void run(Work work, Deliver deliver) {
        uint64_t mine = 0;
        {
            std::lock_guard<std::mutex> lock(m_shared->mutex);
            mine = ++m_shared->generation;
            ++m_shared->running;
        }
        QThreadPool::globalInstance()->start([shared = m_shared, mine, work, deliver] {
            auto result = work();
            std::lock_guard<std::mutex> lock(shared->mutex);
            --shared->running;
            if (!shared->receiver || shared->generation != mine) return;
            QMetaObject::invokeMethod(
                shared->receiver,
                [shared, mine, deliver, result] {
                    if (shared->current(mine)) deliver(result);
                },
                Qt::QueuedConnection);
        });
    }
    // Drops the results of the runs so far.
    void cancel() {
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        ++m_shared->generation;
    }
    // Some work is still running (a newer request would only queue behind it).
    bool busy() const {
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        return m_shared->running > 0;
    }

private:
    struct Shared {
        std::mutex mutex;
        QObject *receiver = nullptr; // null once the Background is gone
        uint64_t generation = 0;     // of the latest request
        int running = 0;
        bool current(uint64_t generationOfResult) {
            std::lock_guard<std::mutex> lock(mutex);
            return receiver && generation == generationOfResult;
        }
    };
    std::shared_ptr<Shared> m_shared;
};

} // namespace trainscope
