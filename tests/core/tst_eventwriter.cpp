// What Trainscope writes is what TensorBoard expects: names, framing, byte-exact events, and
// every kind read back by the same reader the GUI uses.
#include "core/events/eventreader.h"
#include "core/events/eventwriter.h"
#include "core/events/logdirindex.h"
#include "core/events/pngencoder.h"
#include "core/events/recordio.h"
#include "tests/support/protobytes.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <sstream>
#include <thread>

using namespace trainscope;

namespace {

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> records(const std::string &bytes) {
    std::vector<std::string> out;
    for (size_t at = 0;;) {
        RecordView r = readRecord(bytes, at);
        if (r.status != RecordStatus::Ok) break;
        out.emplace_back(r.data);
        at += r.size;
    }
    return out;
}

} // namespace

class TestEventWriter : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void fileNameAndHeaderAreTensorBoards() {
        std::string path;
        {
            EventWriter w(m_dir.filePath("named").toStdString(), {2.0, "myhost"});
            path = w.path();
        }
        const QString name = QString::fromStdString(path).section('/', -1);
        QVERIFY2(QRegularExpression("^events\\.out\\.tfevents\\.\\d{10}\\.myhost\\.\\d+\\.\\d+$")
                     .match(name)
                     .hasMatch(),
                 qPrintable(name));
        const auto recs = records(slurp(path));
        QCOMPARE(recs.size(), size_t(1));
        // Event{wall_time=1 (fixed64), file_version=3 "brain.Event:2"}: skip the 9 wall-time bytes.
        QCOMPARE(recs[0].substr(9), pbtest::Msg().bytes(3, "brain.Event:2").str());
        QCOMPARE(recs[0][0], '\x09');
    }

    void scalarEventsAreByteExact() {
        std::string path;
        {
            EventWriter w(m_dir.filePath("exact").toStdString());
            w.addScalar("loss", 7, 0.25, 1700000000.5);
            w.addScalar("loss", 8, 0.125, 1700000001.5);
            path = w.path();
        }
        const auto recs = records(slurp(path));
        QCOMPARE(recs.size(), size_t(3));
        // The first value of a tag carries plugin "scalars"; later ones are bare simple_values.
        QCOMPARE(recs[1], pbtest::summaryEvent(1700000000.5, 7,
                                               pbtest::value("loss").fixed32(2, 0.25f).msg(
                                                   9, pbtest::metadata("scalars"))));
        QCOMPARE(recs[2],
                 pbtest::summaryEvent(1700000001.5, 8, pbtest::value("loss").fixed32(2, 0.125f)));
    }

    void everyKindRoundTrips() {
        const std::string run = m_dir.filePath("kinds").toStdString();
        HistogramValue h;
        h.min = -1;
        h.max = 3;
        h.num = 4;
        h.sum = 2;
        h.sumSquares = 12;
        h.limits = {0, 1, 3};
        h.counts = {1, 1, 2};
        ImageValue img;
        img.width = 4;
        img.height = 2;
        img.colorspace = 3;
        img.encoded = encodePng(4, 2, std::vector<uint8_t>(4 * 2 * 3, 200));
        TensorValue cm;
        cm.shape = {2, 2};
        cm.values = {5, 1, 0, 6};
        {
            EventWriter w(run);
            w.addScalar("train/loss", 1, 0.5, 100.0);
            w.addHistogram("weights", 1, h, 100.0);
            w.addHistogram("grads", 1, std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 5, 100.0);
            w.addImage("sample", 1, img, 100.0);
            w.addTensor("confusion", 1, cm, "confusion_matrix", 100.0);
            w.addHParamsExperiment(
                {{"lr", HParamDomain::interval(1e-4, 0.1)},
                 {"opt", HParamDomain::discrete({std::string("sgd"), std::string("adam")})},
                 {"nesterov", HParamDomain::discrete({false, true})}},
                {"val/accuracy"});
            w.addHParamsSessionStart(
                {{"lr", 0.01}, {"opt", std::string("adam")}, {"nesterov", false}});
            w.addHParamsSessionEnd(1);
        }
        LogdirIndex index(m_dir.filePath("kinds").toStdString());
        index.refresh();
        QVERIFY(index.problems().empty());
        const RunData *r = index.run(".");
        QVERIFY(r);
        QCOMPARE(r->tag("train/loss")->scalars.value(0), 0.5f);
        const HistogramValue &rh = r->tag("weights")->histograms.at(0).value;
        QCOMPARE(rh.limits, h.limits);
        QCOMPARE(rh.counts, h.counts);
        QCOMPARE(rh.sumSquares, 12.0);
        const HistogramValue &bucketed = r->tag("grads")->histograms.at(0).value;
        QCOMPARE(bucketed.counts, (std::vector<double>{2, 2, 2, 2, 2}));
        QCOMPARE(bucketed.min, 0.0);
        QCOMPARE(bucketed.max, 9.0);
        QCOMPARE(r->tag("sample")->images.at(0).value.encoded, img.encoded);
        QCOMPARE(r->tag("sample")->images.at(0).value.width, 4);
        QCOMPARE(r->tag("confusion")->kind, TagKind::Tensor);
        QCOMPARE(r->tag("confusion")->plugin, std::string("confusion_matrix"));
        const auto confusion = decodeTensor(r->tag("confusion")->tensors.at(0).value);
        QVERIFY(confusion);
        QCOMPARE(confusion->values, cm.values);
        QCOMPARE(confusion->shape, cm.shape);
        QVERIFY(r->hparams);
        QCOMPARE(std::get<double>(r->hparams->values.at("lr")), 0.01);
        QCOMPARE(std::get<std::string>(r->hparams->values.at("opt")), std::string("adam"));
        QCOMPARE(std::get<bool>(r->hparams->values.at("nesterov")), false);
        QCOMPARE(r->hparams->metricTags, std::vector<std::string>{"val/accuracy"});
        // Every hparam declared with its type and domain, as TensorBoard's HParamInfo reads.
        const auto &domains = r->hparams->domains;
        QCOMPARE(domains.size(), size_t(3));
        QCOMPARE(domains.at("lr").type, HParamDomain::Type::Float64);
        QVERIFY(domains.at("lr").isInterval);
        QCOMPARE(domains.at("lr").min, 1e-4);
        QCOMPARE(domains.at("lr").max, 0.1);
        QCOMPARE(domains.at("opt").type, HParamDomain::Type::String);
        QCOMPARE(domains.at("opt").values.size(), size_t(2));
        QCOMPARE(domains.at("nesterov").type, HParamDomain::Type::Bool);
        QVERIFY(!domains.at("nesterov").isInterval);
        QCOMPARE(r->hparams->status, 1);
    }

    void flushesOnATimerWithoutClose() {
        EventWriter w(m_dir.filePath("timer").toStdString(), {0.05, {}});
        w.addScalar("x", 1, 1.0);
        QTRY_COMPARE_WITH_TIMEOUT(records(slurp(w.path())).size(), size_t(2), 2000);
        w.close();
        QVERIFY_THROWS_EXCEPTION(std::logic_error, w.addScalar("x", 2, 2.0));
    }

    void concurrentWritersLoseNothing() {
        const std::string run = m_dir.filePath("threads").toStdString();
        {
            EventWriter w(run, {0.01, {}});
            std::vector<std::thread> threads;
            for (int t = 0; t < 4; ++t)
                threads.emplace_back([&w, t] {
                    for (int i = 0; i < 1000; ++i)
                        w.addScalar("t" + std::to_string(t), i, i);
                });
            for (auto &th : threads)
                th.join();
        }
        LogdirIndex index(run);
        index.refresh();
        for (int t = 0; t < 4; ++t)
            QCOMPARE(index.run(".")->tag("t" + std::to_string(t))->scalars.size(), size_t(1000));
    }

    void unwritableDirectoryThrowsNamingIt() {
        try {
            EventWriter w("/proc/trainscope-cannot-write-here");
            QFAIL("expected an exception");
        } catch (const std::runtime_error &e) {
            QVERIFY(std::string(e.what()).find("/proc/trainscope-cannot-write-here") !=
                    std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestEventWriter)
#include "tst_eventwriter.moc"
