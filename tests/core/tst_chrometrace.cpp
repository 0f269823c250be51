#include "profile/chrometrace.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <zlib.h>

using namespace trainscope;

class TestChromeTrace : public QObject {
    Q_OBJECT
private slots:
    void roundTripsGzipWithFiguresAndContext() {
        QTemporaryDir dir;
        const std::string run = dir.path().toStdString();
        TraceFile t;
        t.events = {{"ProfilerStep#3", "step", 1000, 5000, 0, 1, {{"operators", "observed"}}},
                    {"aten::mm", "cpu_op", 1500, 2500, 0, 1, {}}};
        t.stages = {{"preprocess", 12, 48.5}};
        t.context.prefetch = 2;
        t.context.cache = "memory";
        t.threadNames = {{{0, 1}, "training"}};
        const std::string path = newProfilePath(run);
        QVERIFY(path.find("/plugins/profile/") != std::string::npos);
        QVERIFY(path.size() > 18 && path.substr(path.size() - 17) == ".pt.trace.json.gz");
        writeChromeTrace(path, t);
        QCOMPARE(latestProfilePath(run), path);
        const TraceFile back = readChromeTrace(path);
        QCOMPARE(back.events.size(), size_t(2));
        QCOMPARE(back.events[1].name, std::string("aten::mm"));
        QCOMPARE(back.events[1].startNs, int64_t(1500));
        QCOMPARE(back.events[1].durationNs, int64_t(2500));
        QCOMPARE(back.stages.at(0).totalMs, 48.5);
        QCOMPARE(back.context.cache, std::string("memory"));
        QCOMPARE(back.context.prefetch, 2);
        QCOMPARE(back.threadNames.at({0, 1}), std::string("training"));
    }
    void badFilesNameTheFile() {
        QTemporaryDir dir;
        auto message = [](const std::string &path) {
            try {
                readChromeTrace(path);
            } catch (const std::runtime_error &e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        const std::string notJson = dir.filePath("a.json").toStdString();
        std::ofstream(notJson) << "{\"traceEvents\": [";
        QVERIFY(message(notJson).rfind(notJson + ": not a JSON trace", 0) == 0);
        const std::string noEvents = dir.filePath("b.json").toStdString();
        std::ofstream(noEvents) << "{\"other\": 1}";
        QCOMPARE(message(noEvents), noEvents + ": no traceEvents array");
        const std::string missing = dir.filePath("c.json.gz").toStdString();
        QVERIFY(message(missing).rfind(missing + ": cannot open", 0) == 0);
        const std::string cut = dir.filePath("d.json.gz").toStdString();
        gzFile f = gzopen(cut.c_str(), "wb");
        const std::string body(100000, ' ');
        gzwrite(f, body.data(), unsigned(body.size()));
        gzclose(f);
        std::filesystem::resize_file(cut, 200); // a truncated download
        QVERIFY(message(cut).rfind(cut + ": ", 0) == 0);
        QCOMPARE(latestProfilePath(dir.path().toStdString()), std::string());
    }
};

QTEST_APPLESS_MAIN(TestChromeTrace)
#include "tst_chrometrace.moc"
