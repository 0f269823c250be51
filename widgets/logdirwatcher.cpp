#include "widgets/logdirwatcher.h"

#include "widgets/names.h"

namespace trainscope {

LogdirWatcher::LogdirWatcher(const QString &logdir, QObject *parent, int intervalMs)
    : QObject(parent)
    , m_logdir(logdir)
    , m_index(std::make_shared<LogdirIndex>(logdir.toStdString())) {
    connect(&m_timer, &QTimer::timeout, this, &LogdirWatcher::pollNow);
    m_timer.start(intervalMs);
    pollNow();
}

LogdirWatcher::~LogdirWatcher() {
    m_timer.stop();
}

void LogdirWatcher::pollNow() {
    if (m_poll.busy()) return; // a slow disk: skip a beat rather than queue polls
    m_poll.run([index = m_index] { return std::make_shared<LogdirDelta>(index->poll(kPollBytes)); },
               [this](const std::shared_ptr<LogdirDelta> &delta) { merge(std::move(*delta)); });
}

void LogdirWatcher::merge(LogdirDelta delta) {
    QStringList problems;
    for (const auto &p : delta.problems)
        problems << QString::fromStdString(p.message());
    const size_t pending = delta.runsPending;
    m_bytesRead += delta.bytesRead;
    const auto changed = m_index->apply(std::move(delta));
    QStringList runs;
    for (const auto &r : changed)
        runs << fromName(r);
    if (!problems.isEmpty()) emit problemsFound(problems);
    if (!runs.isEmpty()) emit runsChanged(runs);
    m_runsPending = pending;
    if (pending > 0) { // what was read is shown; the rest is read on, without waiting a beat
        emit progress();
        QTimer::singleShot(0, this, &LogdirWatcher::pollNow);
        return;
    }
    if (!m_loaded) {
        m_loaded = true;
        emit progress();
        emit loaded();
    }
}

} // namespace trainscope
