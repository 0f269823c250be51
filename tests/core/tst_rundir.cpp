// Run directory names: made safe for a path, numbered when taken on disk or by the caller.
#include "core/jobs/rundir.h"

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

using namespace trainscope;

class TestRunDir : public QObject {
    Q_OBJECT
private slots:
    void namesAreSafeAndFree() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        QCOMPARE(uniqueRunDir(root, "fashion mlp/v2"), root + "/fashion_mlp_v2");
        QCOMPARE(uniqueRunDir(root, ".."), root + "/run");
        std::filesystem::create_directories(root + "/job");
        std::filesystem::create_directories(root + "/job-2");
        QCOMPARE(uniqueRunDir(root, "job"), root + "/job-3");
        const auto claimed = [&](const std::string &d) { return d == root + "/job-3"; };
        QCOMPARE(uniqueRunDir(root, "job", claimed), root + "/job-4");
        QCOMPARE(uniqueRunDir(root, "new", claimed), root + "/new");
    }
};

QTEST_APPLESS_MAIN(TestRunDir)
#include "tst_rundir.moc"
