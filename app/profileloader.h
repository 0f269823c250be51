// Reads saved and imported profiles for the Profile tab off the GUI thread (reading and
// analysing a large trace takes seconds), answering the view's loadRequested; for each job the
// latest request wins.
#pragma once

#include "widgets/background.h"

#include <QObject>
#include <map>
#include <memory>

namespace trainscope {

class ProfileView;

class ProfileLoader : public QObject {
    Q_OBJECT
public:
    explicit ProfileLoader(ProfileView *view); // serves `view`, and lives as long as it

    void load(int jobId, const QString &path);

private:
    ProfileView *m_view;
    std::map<int, std::unique_ptr<Background>> m_loads; // by job
};

} // namespace trainscope
