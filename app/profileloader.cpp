#include "profileloader.h"

#include "profile/chrometrace.h"
#include "profile/profileview.h"
#include "profile/stepanalysis.h"

#include <QFutureWatcher>
#include <QtConcurrent>
#include <memory>

namespace trainscope {
namespace {

struct Loaded {
    std::shared_ptr<const TraceFile> trace;
    ProfileSummary summary;
    QString error;
};

} // namespace

ProfileLoader::ProfileLoader(ProfileView *view)
    : QObject(view)
    , m_view(view) {
    connect(view, &ProfileView::loadRequested, this, &ProfileLoader::load);
}

void ProfileLoader::load(int jobId, const QString &path) {
    auto *watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, jobId] {
        watcher->deleteLater();
        const Loaded loaded = watcher->result();
        if (!loaded.error.isEmpty()) {
            m_view->setLoadFailed(jobId, loaded.error);
            return;
        }
        m_view->setSummary(jobId, loaded.summary);
        m_view->setTrace(jobId, loaded.trace);
    });
    watcher->setFuture(QtConcurrent::run([file = path.toStdString()] {
        Loaded out;
        try {
            auto trace = std::make_shared<TraceFile>(readChromeTrace(file));
            out.summary = summarizeTrace(*trace);
            out.trace = std::move(trace);
        } catch (const std::exception &e) {
            out.error = QString::fromStdString(e.what());
        }
        return out;
    }));
}

} // namespace trainscope
