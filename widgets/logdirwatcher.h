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
    bool hasLoaded() const { return m_loaded; } // everything on disk at first has been merged
    // While a big logdir is first read: the runs not read yet, and the bytes read so far.
    size_t runsPending() const { return m_runsPending; }
    uint64_t bytesRead() const { return m_bytesRead; }
    // A poll reads about this much before its runs are shown: a logdir of 10,000 runs paints
    // as it is read, a few hundred milliseconds at a time.
    static constexpr uint64_t kPollBytes = uint64_t(256) << 20;
    void pollNow();

signals:
    void runsChanged(const QStringList &runs);
    void problemsFound(const QStringList &messages);
    void loaded();   // once, when what was on disk at first has been read
    void progress(); // runsPending() or bytesRead() changed while reading

private:
    void merge(LogdirDelta delta);

    QString m_logdir;
    std::shared_ptr<LogdirIndex> m_index; // shared with a poll still running
    Background m_poll{this};
    QTimer m_timer;
    bool m_loaded = false;
    size_t m_runsPending = 0;
    uint64_t m_bytesRead = 0;
};

} // namespace trainscope
