// The bridge between the logdir index and the GUI: polls the disk on a worker thread about
// once a second, merges what it found on the GUI thread, and says which runs changed.
#pragma once

#include "core/events/logdirindex.h"
#include "widgets/background.h"

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
    void merge(LogdirDelta delta);

    QString m_logdir;
    std::shared_ptr<LogdirIndex> m_index; // shared with a poll still running
    Background m_poll{this};
    QTimer m_timer;
    bool m_loaded = false;
};

} // namespace trainscope
