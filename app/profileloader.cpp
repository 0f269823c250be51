#include "app/profileloader.h"

#include "core/profile/chrometrace.h"
#include "core/profile/stepanalysis.h"
#include "widgets/profile/profileview.h"

#include <QPointer>
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
    std::unique_ptr<Background> &loads = m_loads[jobId];
    if (!loads) loads = std::make_unique<Background>(this);
    loads->run(
        [file = path.toStdString(), view = QPointer<ProfileView>(m_view), jobId] {
            Loaded out;
            // The fraction read, shown while it reads (a 10M-event trace takes seconds).
            auto progress = [view, jobId](double fraction) {
                QMetaObject::invokeMethod(view, [view, jobId, fraction] {
                    if (view) view->setLoadProgress(jobId, fraction);
                });
            };
            try {
                auto trace = std::make_shared<TraceFile>(readChromeTrace(file, progress));
                out.summary = summarizeTrace(*trace);
                out.trace = std::move(trace);
            } catch (const std::exception &e) {
                out.error = QString::fromStdString(e.what());
            }
            return out;
        },
        [this, jobId](const Loaded &loaded) {
            if (!loaded.error.isEmpty()) {
                m_view->setLoadFailed(jobId, loaded.error);
                return;
            }
            m_view->setSummary(jobId, loaded.summary);
            m_view->setTrace(jobId, loaded.trace);
        });
}

} // namespace trainscope
