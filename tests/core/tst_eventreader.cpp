// Event files as TensorBoard's writer, PyTorch's SummaryWriter and tensorboardX encode them,
// built byte by byte from the format facts, read back exactly.
#include "core/events/crc32c.h"
#include "core/events/eventreader.h"
#include "tests/support/protobytes.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <fstream>

using namespace trainscope;
using pbtest::Msg;
using pbtest::shape;

namespace {

struct Recorder : EventSink {
    struct Scalar {
        std::string tag;
        int64_t step;
        double wall;
        double value;
    };
    std::vector<Scalar> scalars;
    std::vector<std::pair<std::string, HistogramValue>> histograms;
    std::vector<std::pair<std::string, ImageValue>> images;
    std::vector<std::pair<std::string, TensorValue>> tensors;
    std::vector<HParamsValue> hparams;
    int events = 0;

    void onEvent(double, int64_t) override { ++events; }
    void onScalar(std::string_view tag, int64_t step, double wall, double value) override {
        scalars.push_back({std::string(tag), step, wall, value});
    }
    void onHistogram(std::string_view tag, int64_t, double, HistogramValue &&h) override {
        histograms.emplace_back(std::string(tag), std::move(h));
    }
    void onImage(std::string_view tag, int64_t, double, ImageValue &&img) override {
        images.emplace_back(std::string(tag), std::move(img));
    }
    void onTensor(std::string_view tag, int64_t, double, std::string_view proto,
                  std::string_view) override {
        tensors.emplace_back(std::string(tag), decodeTensor(proto).value());
    }
    void onHParams(std::string_view, double, HParamsValue &&hp) override {
        hparams.push_back(std::move(hp));
    }
};

std::string bytesOf(const std::vector<double> &v) {
    std::string s(v.size() * 8, '\0');
    std::memcpy(s.data(), v.data(), s.size());
    return s;
}

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR-fake-image-bytes", 29);

} // namespace

class TestEventReader : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string file(const char *name) { return m_dir.filePath(name).toStdString(); }

    Recorder readAll(const std::string &path, std::vector<ReadProblem> &problems) {
        EventReader reader(path);
        TagPlugins plugins;
        Recorder rec;
        reader.readNew(plugins, rec, problems);
        return rec;
    }

private slots:
    // The common scalar record is read by a fast path; every other shape of the same scalar
    // (fields reordered, metadata, no step, a negative step, two values) by the general walk:
    // all give the same values, and a cut record is an error either way.
    void scalarRecordsOfEveryShapeDecodeAlike() {
        using pbtest::Msg;
        const Msg value = pbtest::value("loss").fixed32(2, 0.25f);
        const Msg summary = Msg().msg(1, value);
        const std::vector<std::pair<std::string, int64_t>> records{
            {Msg().fixed64(1, 5.5).varint(2, 7).msg(5, summary).str(), 7}, // the fast path
            {Msg().varint(2, 7).fixed64(1, 5.5).msg(5, summary).str(), 7},
            {Msg()
                 .fixed64(1, 5.5)
                 .varint(2, 7)
                 .msg(5, Msg().msg(1, pbtest::value("loss", "scalars").fixed32(2, 0.25f)))
                 .str(),
             7},
            {Msg().fixed64(1, 5.5).msg(5, summary).str(), 0},
            {Msg().fixed64(1, 5.5).varint(2, uint64_t(int64_t(-3))).msg(5, summary).str(), -3},
        };
        for (const auto &[record, step] : records) {
            Recorder sink;
            TagPlugins plugins;
            std::string error;
            std::vector<std::string> leftOut;
            QVERIFY2(decodeEvent(record, plugins, sink, error, leftOut), error.c_str());
            QCOMPARE(sink.events, 1);
            QCOMPARE(sink.scalars.size(), size_t(1));
            QCOMPARE(sink.scalars[0].tag, std::string("loss"));
            QCOMPARE(sink.scalars[0].step, step);
            QCOMPARE(sink.scalars[0].wall, 5.5);
            QCOMPARE(sink.scalars[0].value, 0.25);
            Recorder cut;
            QVERIFY(!decodeEvent(std::string_view(record).substr(0, record.size() - 2), plugins,
                                 cut, error, leftOut));
        }
        Recorder two; // two values in one summary
        TagPlugins plugins;
        std::string error;
        std::vector<std::string> leftOut;
        const std::string both =
            Msg()
                .fixed64(1, 5.5)
                .varint(2, 7)
                .msg(5, Msg().msg(1, value).msg(1, pbtest::value("acc").fixed32(2, 0.5f)))
                .str();
        QVERIFY(decodeEvent(both, plugins, two, error, leftOut));
        QCOMPARE(two.scalars.size(), size_t(2));
        QCOMPARE(two.scalars[1].tag, std::string("acc"));
    }

    void pytorchSummaryWriterScalarsHistogramsImages() {
        // SummaryWriter: simple_value scalars, HistogramProto, Summary.Image.
        const std::string path = file("events.out.tfevents.1700000000.host.42.0");
        Msg histo;
        histo.fixed64(1, -1.5)
            .fixed64(2, 2.5)
            .fixed64(3, 6)
            .fixed64(4, 3)
            .fixed64(5, 11.5)
            .packedDoubles(6, {-1.0, 0.0, 2.5})
            .packedDoubles(7, {1, 2, 3});
        Msg image;
        image.varint(1, 8).varint(2, 16).varint(3, 3).bytes(4, kPng);
        pbtest::writeRecords(
            path,
            {
                pbtest::fileVersionEvent(1700000000.25),
                pbtest::summaryEvent(1700000001.125, 0, pbtest::value("loss").fixed32(2, 0.75f)),
                pbtest::summaryEvent(1700000002.5, 10, pbtest::value("loss").fixed32(2, 0.5f)),
                pbtest::summaryEvent(1700000003.0, 10, pbtest::value("weights").msg(5, histo)),
                pbtest::summaryEvent(1700000004.0, 10, pbtest::value("sample").msg(4, image)),
            });
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QVERIFY(problems.empty());
        QCOMPARE(rec.events, 5);
        QCOMPARE(rec.scalars.size(), size_t(2));
        QCOMPARE(rec.scalars[1].tag, std::string("loss"));
        QCOMPARE(rec.scalars[1].step, int64_t(10));
        QCOMPARE(rec.scalars[1].wall, 1700000002.5);
        QCOMPARE(rec.scalars[1].value, 0.5);
        QCOMPARE(rec.scalars[0].value, 0.75);
        QCOMPARE(rec.histograms.size(), size_t(1));
        const HistogramValue &h = rec.histograms[0].second;
        QCOMPARE(h.min, -1.5);
        QCOMPARE(h.max, 2.5);
        QCOMPARE(h.num, 6.0);
        QCOMPARE(h.sumSquares, 11.5);
        QCOMPARE(h.limits, (std::vector<double>{-1.0, 0.0, 2.5}));
        QCOMPARE(h.counts, (std::vector<double>{1, 2, 3}));
        QCOMPARE(rec.images.size(), size_t(1));
        QCOMPARE(rec.images[0].second.width, 16);
        QCOMPARE(rec.images[0].second.height, 8);
        QCOMPARE(rec.images[0].second.encoded, kPng);
    }

    void tensorflowTensorScalarsWithMetadataOnFirstValueOnly() {
        // tf.summary.scalar (TF2): a rank-0 float tensor, plugin "scalars" on the first value.
        const std::string path = file("events.out.tfevents.1700000000.tf.1.v2");
        auto scalarTensor = [](float v) {
            return Msg().varint(1, 1).msg(2, Msg()).packedFloats(5, {v});
        };
        auto contentTensor = [](double v) {
            return Msg().varint(1, 2).msg(2, Msg()).bytes(4, bytesOf({v}));
        };
        pbtest::writeRecords(
            path, {
                      pbtest::fileVersionEvent(1.0),
                      pbtest::summaryEvent(
                          2.0, 1, pbtest::value("acc", "scalars").msg(8, scalarTensor(0.25f))),
                      pbtest::summaryEvent(3.0, 2, pbtest::value("acc").msg(8, scalarTensor(0.5f))),
                      pbtest::summaryEvent(
                          4.0, 3, pbtest::value("lr", "scalars").msg(8, contentTensor(1e-3))),
                  });
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QVERIFY(problems.empty());
        QCOMPARE(rec.scalars.size(), size_t(3));
        QCOMPARE(rec.scalars[1].tag, std::string("acc"));
        QCOMPARE(rec.scalars[1].value, 0.5);
        QCOMPARE(rec.scalars[2].value, 1e-3); // a double tensor keeps full precision here
    }

    void tensorflowHistogramAndImageTensors() {
        const std::string path = file("events.out.tfevents.1700000000.tf.2.v2");
        Msg histTensor;
        histTensor.varint(1, 2)
            .msg(2, shape({2, 3}))
            .bytes(4, bytesOf({0.0, 1.0, 4.0, 1.0, 2.0, 6.0}));
        Msg imgTensor;
        imgTensor.varint(1, 7).msg(2, shape({3})).bytes(8, "28").bytes(8, "14").bytes(8, kPng);
        Msg textTensor;
        textTensor.varint(1, 7).msg(2, shape({})).bytes(8, "hello");
        pbtest::writeRecords(
            path,
            {
                pbtest::fileVersionEvent(1.0),
                pbtest::summaryEvent(2.0, 5, pbtest::value("w", "histograms").msg(8, histTensor)),
                pbtest::summaryEvent(3.0, 5, pbtest::value("img", "images").msg(8, imgTensor)),
                pbtest::summaryEvent(4.0, 5, pbtest::value("note", "text").msg(8, textTensor)),
            });
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QVERIFY(problems.empty());
        QCOMPARE(rec.histograms.size(), size_t(1));
        const HistogramValue &h = rec.histograms[0].second;
        QCOMPARE(h.min, 0.0);
        QCOMPARE(h.max, 2.0);
        QCOMPARE(h.limits, (std::vector<double>{1.0, 2.0}));
        QCOMPARE(h.counts, (std::vector<double>{4.0, 6.0}));
        QCOMPARE(h.num, 10.0);
        QCOMPARE(rec.images.size(), size_t(1));
        QCOMPARE(rec.images[0].second.width, 28);
        QCOMPARE(rec.images[0].second.height, 14);
        QCOMPARE(rec.images[0].second.encoded, kPng);
        QCOMPARE(rec.tensors.size(), size_t(1));
        QCOMPARE(rec.tensors[0].second.strings, std::vector<std::string>{"hello"});
    }

    void histogramTensorWithAHugeShapeIsRefused() {
        // k * 3 wraps to 5 (mod 2^64) for this k: its 5 values must not be read as k buckets.
        const std::string path = file("events.out.tfevents.1700000000.bad.1");
        const int64_t k = 0x5555555555555557;
        QCOMPARE(uint64_t(k) * 3, uint64_t(5));
        Msg histTensor;
        histTensor.varint(1, 2).msg(2, shape({k, 3})).bytes(4, bytesOf({0.0, 1.0, 4.0, 1.0, 2.0}));
        pbtest::writeRecords(
            path,
            {
                pbtest::fileVersionEvent(1.0),
                pbtest::summaryEvent(2.0, 5, pbtest::value("w", "histograms").msg(8, histTensor)),
                pbtest::summaryEvent(3.0, 6, pbtest::value("loss").fixed32(2, 0.5f)),
            });
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QCOMPARE(rec.histograms.size(), size_t(0));
        QCOMPARE(problems.size(), size_t(1)); // named, with the tag
        QVERIFY2(problems[0].message().find("'w' is not [k,3]") != std::string::npos,
                 problems[0].message().c_str());
        QCOMPARE(rec.scalars.size(), size_t(1)); // the next record is kept
    }

    // A sample that is no image is left out and said, so a tensor of a million one-byte
    // "images" costs nothing; the real ones beside it are kept.
    void imageSamplesThatAreNotImagesAreLeftOut() {
        const std::string path = file("events.out.tfevents.1700000000.img.1");
        Msg imgTensor;
        imgTensor.varint(1, 7).bytes(8, "8").bytes(8, "8").bytes(8, "x").bytes(8, kPng).bytes(8,
                                                                                              "");
        Msg tooShort;
        tooShort.varint(1, 8).varint(2, 8).bytes(4, "\x89PNG");
        pbtest::writeRecords(
            path,
            {
                pbtest::summaryEvent(2.0, 5, pbtest::value("img", "images").msg(8, imgTensor)),
                pbtest::summaryEvent(3.0, 6, pbtest::value("pic").msg(4, tooShort)),
            });
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QCOMPARE(rec.images.size(), size_t(1));
        QCOMPARE(rec.images[0].second.encoded, kPng);
        QCOMPARE(rec.images[0].second.sample, 1); // its place among the samples
        QCOMPARE(problems.size(), size_t(2));
        QCOMPARE(problems[0].message(),
                 path + ": offset 0: tag 'img' step 5: 2 of 3 samples are not PNG, JPEG, GIF, BMP "
                        "or WebP images: left out");
        QVERIFY2(problems[1].message().find("tag 'pic' step 6: not a PNG") != std::string::npos,
                 problems[1].message().c_str());
    }

    // Tensors are kept as written and decoded when shown; histograms and scalars are decoded
    // from any of TensorProto's value lists, one-byte varints included.
    void tensorValuesFromEveryList() {
        const std::string path = file("events.out.tfevents.1700000000.int.1");
        auto varints = [](std::initializer_list<int> values) {
            std::string packed;
            for (int v : values)
                packed.push_back(char(v)); // all under 128: one byte each
            return packed;
        };
        Msg ints; // int_val, packed
        ints.varint(1, 3).msg(2, shape({5})).bytes(7, varints({1, 2, 3, 4, 5}));
        Msg hist; // int64_val rows of (left, right, count)
        hist.varint(1, 9).msg(2, shape({2, 3})).bytes(10, varints({0, 1, 4, 1, 2, 6}));
        Msg scalar; // a scalar's shape with more values than it needs: the first one counts
        scalar.varint(1, 3).bytes(7, varints({7, 8, 9}));
        Msg cutOff; // a varint list that ends inside a varint is malformed
        cutOff.varint(1, 3).msg(2, shape({1})).bytes(7, std::string("\x85", 1));
        pbtest::writeRecords(
            path, {
                      pbtest::summaryEvent(2.0, 1, pbtest::value("ints", "custom").msg(8, ints)),
                      pbtest::summaryEvent(2.0, 1, pbtest::value("h", "histograms").msg(8, hist)),
                      pbtest::summaryEvent(2.0, 1, pbtest::value("s").msg(8, scalar)),
                      pbtest::summaryEvent(2.0, 1, pbtest::value("bad", "custom").msg(8, cutOff)),
                  });
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QCOMPARE(rec.tensors.size(), size_t(1));
        QCOMPARE(rec.tensors[0].second.values, (std::vector<double>{1, 2, 3, 4, 5}));
        QCOMPARE(rec.tensors[0].second.shape, std::vector<int64_t>{5});
        QCOMPARE(rec.histograms.size(), size_t(1));
        QCOMPARE(rec.histograms[0].second.limits, (std::vector<double>{1, 2}));
        QCOMPARE(rec.histograms[0].second.counts, (std::vector<double>{4, 6}));
        QCOMPARE(rec.scalars.size(), size_t(1));
        QCOMPARE(rec.scalars[0].value, 7.0);
        QCOMPARE(problems.size(), size_t(1));
        QVERIFY2(problems[0].message().find("bad tensor in tag 'bad'") != std::string::npos,
                 problems[0].message().c_str());
    }

    void hparamsSessionStartAndEnd() {
        // HParamsPluginData{version=1: 0, session_start_info=3 {hparams=1 map<string, Value>}}.
        // google.protobuf.Value: number_value=2, string_value=3, bool_value=4.
        auto entry = [](const std::string &key, const Msg &value) {
            return Msg().bytes(1, key).msg(2, value);
        };
        Msg start;
        start.msg(1, entry("lr", Msg().fixed64(2, 0.01)))
            .msg(1, entry("optimizer", Msg().bytes(3, "adam")))
            .msg(1, entry("nesterov", Msg().varint(4, 1)));
        Msg startData;
        startData.msg(3, start);
        Msg endData;
        endData.msg(4, Msg().varint(1, 1));
        auto hp = [](const char *tag, const Msg &content) {
            return Msg().bytes(1, tag).msg(
                9, Msg().msg(1, Msg().bytes(1, "hparams").bytes(2, content.str())));
        };
        const std::string path = file("events.out.tfevents.1700000000.pt.3.0");
        pbtest::writeRecords(
            path, {
                      pbtest::summaryEvent(1.0, 0, hp("_hparams_/session_start_info", startData)),
                      pbtest::summaryEvent(2.0, 0, hp("_hparams_/session_end_info", endData)),
                  });
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QVERIFY(problems.empty());
        QCOMPARE(rec.hparams.size(), size_t(2));
        QCOMPARE(std::get<double>(rec.hparams[0].hparams.at("lr")), 0.01);
        QCOMPARE(std::get<std::string>(rec.hparams[0].hparams.at("optimizer")),
                 std::string("adam"));
        QCOMPARE(std::get<bool>(rec.hparams[0].hparams.at("nesterov")), true);
        QCOMPARE(rec.hparams[1].kind, HParamsValue::Kind::SessionEnd);
        QCOMPARE(rec.hparams[1].status, 1);
    }

    void growingFileIsTailedAcrossATruncatedRecord() {
        const std::string path = file("events.out.tfevents.1700000000.grow.4.0");
        const std::string first = pbtest::frame(pbtest::fileVersionEvent(1.0));
        const std::string second =
            pbtest::frame(pbtest::summaryEvent(2.0, 1, pbtest::value("x").fixed32(2, 1.0f)));
        const std::string third =
            pbtest::frame(pbtest::summaryEvent(3.0, 2, pbtest::value("x").fixed32(2, 2.0f)));
        {
            std::ofstream out(path, std::ios::binary);
            out << first << second.substr(0, 20); // the writer is mid-record
        }
        EventReader reader(path);
        TagPlugins plugins;
        Recorder rec;
        std::vector<ReadProblem> problems;
        reader.readNew(plugins, rec, problems);
        QCOMPARE(rec.events, 1);
        QCOMPARE(reader.offset(), uint64_t(first.size()));
        {
            std::ofstream out(path, std::ios::binary | std::ios::app);
            out << second.substr(20) << third;
        }
        reader.readNew(plugins, rec, problems);
        QVERIFY(problems.empty());
        QCOMPARE(rec.scalars.size(), size_t(2));
        QCOMPARE(rec.scalars[1].value, 2.0);
        QCOMPARE(reader.offset(), uint64_t(first.size() + second.size() + third.size()));
        QCOMPARE(reader.readNew(plugins, rec, problems).records, uint64_t(0)); // nothing new
    }

    void badChecksumIsReportedWithOffsetAndSkipped() {
        const std::string path = file("events.out.tfevents.1700000000.bad.5.0");
        std::string a = pbtest::frame(pbtest::fileVersionEvent(1.0));
        std::string b =
            pbtest::frame(pbtest::summaryEvent(2.0, 1, pbtest::value("x").fixed32(2, 1.0f)));
        std::string c =
            pbtest::frame(pbtest::summaryEvent(3.0, 2, pbtest::value("x").fixed32(2, 2.0f)));
        b[b.size() - 6] ^= 0x10; // corrupt b's data
        std::string d =
            pbtest::frame(pbtest::summaryEvent(4.0, 3, pbtest::value("x").fixed32(2, 3.0f)));
        d[3] ^= 0x10; // corrupt d's length: framing is lost until e
        std::string e =
            pbtest::frame(pbtest::summaryEvent(5.0, 4, pbtest::value("x").fixed32(2, 4.0f)));
        { std::ofstream(path, std::ios::binary) << a << b << c << d << e; }
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QCOMPARE(rec.scalars.size(), size_t(2)); // c and e survive
        QCOMPARE(rec.scalars[0].value, 2.0);
        QCOMPARE(rec.scalars[1].value, 4.0);
        QCOMPARE(problems.size(), size_t(4));
        QCOMPARE(problems[0].file, path);
        QCOMPARE(problems[0].offset, uint64_t(a.size()));
        QVERIFY(problems[0].reason.find("checksum") != std::string::npos);
        QCOMPARE(problems[1].offset, uint64_t(a.size() + b.size())); // resumed at c
        QCOMPARE(problems[1].reason,
                 "resumed reading after " + std::to_string(b.size()) + " unreadable bytes");
        QCOMPARE(problems[2].offset, uint64_t(a.size() + b.size() + c.size()));
        QCOMPARE(problems[3].offset,
                 uint64_t(a.size() + b.size() + c.size() + d.size())); // resumed at e
        QVERIFY(
            QString::fromStdString(problems[2].message()).contains(QString::fromStdString(path)));
    }

    // One byte deleted inside a record: its length (intact, checksum and all) now reaches one
    // byte into the next record. Resynchronising from the damaged record's second byte keeps
    // the next record, which trusting the length would lose.
    void aDeletedByteLosesOnlyItsRecord() {
        const std::string path = file("events.out.tfevents.1700000000.deleted.5.0");
        std::string a = pbtest::frame(pbtest::fileVersionEvent(1.0));
        std::string b =
            pbtest::frame(pbtest::summaryEvent(2.0, 1, pbtest::value("x").fixed32(2, 1.0f)));
        std::string c =
            pbtest::frame(pbtest::summaryEvent(3.0, 2, pbtest::value("x").fixed32(2, 2.0f)));
        b.erase(20, 1);
        { std::ofstream(path, std::ios::binary) << a << b << c; }
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QCOMPARE(rec.scalars.size(), size_t(1));
        QCOMPARE(rec.scalars[0].value, 2.0);
        QCOMPARE(problems.size(), size_t(2));
        QCOMPARE(problems[1].offset, uint64_t(a.size() + b.size()));
    }

    // A valid header claiming 2^31 - 1 bytes near the end: a live file waits for it; a
    // complete one (the CLI) says so, naming the offset, and reads the records after it.
    void aHugeLengthNearTheEndIsDamageInACompleteFile() {
        const std::string path = file("events.out.tfevents.1700000000.huge.5.0");
        const std::string a = pbtest::frame(pbtest::fileVersionEvent(1.0));
        std::string huge = pbtest::frame("x");
        const uint64_t claimed = (uint64_t(1) << 31) - 1;
        std::memcpy(huge.data(), &claimed, 8);
        const uint32_t crc = maskCrc(crc32c(huge.data(), 8));
        std::memcpy(huge.data() + 8, &crc, 4);
        const std::string c =
            pbtest::frame(pbtest::summaryEvent(3.0, 2, pbtest::value("x").fixed32(2, 2.0f)));
        { std::ofstream(path, std::ios::binary) << a << huge << c; }
        for (bool complete : {false, true}) {
            EventReader reader(path);
            reader.setComplete(complete);
            TagPlugins plugins;
            Recorder rec;
            std::vector<ReadProblem> problems;
            reader.readNew(plugins, rec, problems);
            if (!complete) {
                QVERIFY(problems.empty()); // a writer may still be on it
                QCOMPARE(reader.offset(), uint64_t(a.size()));
                continue;
            }
            QCOMPARE(rec.scalars.size(), size_t(1));
            QCOMPARE(problems.size(), size_t(2));
            QCOMPARE(problems[0].offset, uint64_t(a.size()));
            QVERIFY2(problems[0].reason.find("claims more bytes than the file holds") !=
                         std::string::npos,
                     problems[0].reason.c_str());
            QCOMPARE(problems[1].offset, uint64_t(a.size() + huge.size()));
        }
    }

    // 64 MiB of garbage between two records: the message counts all of it.
    void garbageIsCountedWhole() {
        const std::string path = file("events.out.tfevents.1700000000.garbage.5.0");
        const std::string a = pbtest::frame(pbtest::fileVersionEvent(1.0));
        std::string garbage(size_t(64) << 20, '\0');
        uint64_t x = 88172645463325252ull;
        for (char &ch : garbage) { // xorshift: no accidental record headers
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            ch = char(x);
        }
        const std::string c =
            pbtest::frame(pbtest::summaryEvent(3.0, 2, pbtest::value("x").fixed32(2, 2.0f)));
        { std::ofstream(path, std::ios::binary) << a << garbage << c; }
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QCOMPARE(rec.scalars.size(), size_t(1));
        QCOMPARE(problems.size(), size_t(2));
        QCOMPARE(problems[1].reason,
                 "resumed reading after " + std::to_string(garbage.size()) + " unreadable bytes");
    }

    void nonEventFileNamedLikeOneIsReported() {
        const std::string path = file("events.out.tfevents.notreally");
        { std::ofstream(path) << "this is a text file, not TFRecords, but long enough to frame\n"; }
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QCOMPARE(rec.events, 0);
        QCOMPARE(problems.size(), size_t(1));
        QCOMPARE(problems[0].offset, uint64_t(0));
        QVERIFY(problems[0].reason.find("not an event file") != std::string::npos);
    }

    void malformedEventIsSkipped() {
        const std::string path = file("events.out.tfevents.1700000000.malformed.6.0");
        pbtest::writeRecords(path, {std::string("\x0a\xff\xff", 3), pbtest::fileVersionEvent(1.0)});
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(path, problems);
        QCOMPARE(rec.events, 1);
        QCOMPARE(problems.size(), size_t(1));
        QVERIFY(problems[0].reason.find("malformed") != std::string::npos);
    }

    void missingFileIsAProblemNotACrash() {
        std::vector<ReadProblem> problems;
        Recorder rec = readAll(file("events.out.tfevents.gone"), problems);
        QCOMPARE(problems.size(), size_t(1));
        QVERIFY(problems[0].reason.find("cannot open") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestEventReader)
#include "tst_eventreader.moc"
