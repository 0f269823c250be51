// The bridge between the logdir index and the GUI: polls the disk on a worker thread about
// once a second, merges what it found on the GUI thread, and says which runs changed.
#pragma once

#include "events/logdirindex.h"

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <memory>

namespace trainscope {

class LogdirWatcher : public QObject {
    Q_OBJECT
public:
    explicit LogdirWatcher(const QString &logdir, QObject *parent = nullptr, int intervalMs = 1000);
    ~LogdirWatcher() override;

    const LogdirIndex &index() const { return *m_index; }
    QString logdir() const { return m_logdir; }
    bool hasLoaded() const { return m_loaded; } // the first poll has been merged
    void pollNow();

signals:
    void runsChanged(const QStringList &runs);
    void problemsFound(const QStringList &messages);
    void loaded(); // once, after the first poll

private:
    void merge();

    QString m_logdir;
    std::unique_ptr<LogdirIndex> m_index;
    QFutureWatcher<std::shared_ptr<LogdirDelta>> m_poll; // deltas move, never copy
    QTimer m_timer;
    bool m_loaded = false;
};

} // namespace trainscope
