#include "logdirwatcher.h"

#include <QtConcurrent>

namespace trainscope {

LogdirWatcher::LogdirWatcher(const QString &logdir, QObject *parent, int intervalMs)
    : QObject(parent)
    , m_logdir(logdir)
    , m_index(std::make_unique<LogdirIndex>(logdir.toStdString())) {
    connect(&m_poll, &QFutureWatcher<std::shared_ptr<LogdirDelta>>::finished, this,
            &LogdirWatcher::merge);
    connect(&m_timer, &QTimer::timeout, this, &LogdirWatcher::pollNow);
    m_timer.start(intervalMs);
    pollNow();
}

LogdirWatcher::~LogdirWatcher() {
    m_timer.stop();
    m_poll.waitForFinished(); // the worker uses m_index
}

void LogdirWatcher::pollNow() {
    if (m_poll.isRunning()) return; // a slow disk: skip a beat rather than queue polls
    LogdirIndex *index = m_index.get();
    m_poll.setFuture(
        QtConcurrent::run([index] { return std::make_shared<LogdirDelta>(index->poll()); }));
}

void LogdirWatcher::merge() {
    LogdirDelta delta = std::move(*m_poll.result());
    QStringList problems;
    for (const auto &p : delta.problems)
        problems << QString::fromStdString(p.message());
    const auto changed = m_index->apply(std::move(delta));
    QStringList runs;
    for (const auto &r : changed)
        runs << QString::fromStdString(r);
    if (!problems.isEmpty()) emit problemsFound(problems);
    if (!runs.isEmpty()) emit runsChanged(runs);
    if (!m_loaded) {
        m_loaded = true;
        emit loaded();
    }
}

} // namespace trainscope
