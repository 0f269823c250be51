// Reads saved and imported profiles for the Profile tab on a worker thread (reading and
// analysing a large trace takes seconds), answering the view's loadRequested.
#pragma once

#include <QObject>

namespace trainscope {

class ProfileView;

class ProfileLoader : public QObject {
    Q_OBJECT
public:
    explicit ProfileLoader(ProfileView *view); // serves `view`, and lives as long as it
    void load(int jobId, const QString &path);

private:
    ProfileView *m_view;
};

} // namespace trainscope
