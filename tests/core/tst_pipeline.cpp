#include "core/data/dataset.h"
#include "core/data/pipeline.h"
#include "core/data/transforms.h"

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <zlib.h>

using namespace trainscope;

namespace {

// A tiny image dataset: example i is a 4x4 image filled with i.
Dataset images(size_t n) {
    Dataset d;
    d.shape = {1, 4, 4};
    d.classNames = {"a", "b"};
    for (size_t i = 0; i < n; ++i) {
        d.features.insert(d.features.end(), 16, float(i));
        d.labels.push_back(int64_t(i % 2));
    }
    return d;
}

std::vector<float> firstValues(Pipeline &p, int epoch) {
    p.startEpoch(epoch);
    std::vector<float> out;
    Batch b;
    while (p.next(b))
        for (size_t k = 0; k < b.size(); ++k)
            out.push_back(b.features[k * 16]);
    return out;
}

void writeGz(const std::string &path, const std::string &bytes) {
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), unsigned(bytes.size()));
    gzclose(f);
}

} // namespace

class TestPipeline : public QObject {
    Q_OBJECT
private slots:
    void everyExampleOncePerEpochShuffledAndReproducible() {
        const Dataset d = images(100);
        PipelineSpec spec;
        spec.shuffleBuffer = 30;
        Pipeline p(d, spec, 16, true, 7);
        QCOMPARE(p.batchesPerEpoch(), size_t(7));
        const auto e1 = firstValues(p, 1), e2 = firstValues(p, 2);
        QCOMPARE(std::set<float>(e1.begin(), e1.end()).size(), size_t(100));
        QVERIFY(e1 != e2); // a new order each epoch
        std::vector<float> sorted(e1);
        std::sort(sorted.begin(), sorted.end());
        QVERIFY(sorted != e1);
        Pipeline again(d, spec, 16, true, 7);
        QCOMPARE(firstValues(again, 1), e1); // same seed, same order
    }
    void prefetchAndWorkersGiveTheSameBatches() {
        const Dataset d = images(200);
        PipelineSpec sync;
        sync.augment = {{"noise", 0.5}, {"flip", 0}};
        sync.preprocess = {{"blur", 1}};
        PipelineSpec ahead = sync;
        ahead.prefetch = 3;
        ahead.mapWorkers = 2;
        ahead.cache = "memory";
        Pipeline a(d, sync, 32, true, 1), b(d, ahead, 32, true, 1);
        QCOMPARE(b.workers(), 2);
        QCOMPARE(b.prefetch(), 3);
        for (int epoch : {1, 2}) { // epoch 2 reads b's cache
            a.startEpoch(epoch);
            b.startEpoch(epoch);
            Batch x, y;
            while (a.next(x)) {
                QVERIFY(b.next(y));
                QCOMPARE(x.labels, y.labels);
                QCOMPARE(x.features, y.features);
            }
            QVERIFY(!b.next(y));
        }
    }
    void stagesReportTheirCost() {
        const Dataset d = images(64);
        PipelineSpec spec;
        spec.preprocess = {{"blur", 2}};
        spec.cache = "memory";
        Pipeline p(d, spec, 16, true, 0);
        firstValues(p, 1);
        const auto first = p.stageStats();
        QCOMPARE(first.front().stage, std::string("preprocess"));
        QCOMPARE(first.front().batches, uint64_t(4));
        QVERIFY(first.front().totalMs > 0);
        const double preprocessed = first.front().totalMs;
        firstValues(p, 2); // cached: no more preprocessing
        for (const auto &s : p.stageStats())
            if (s.stage == "preprocess") QCOMPARE(s.totalMs, preprocessed);
    }
    void snapshotIsReusedUntilItsInputsChange() {
        QTemporaryDir dir;
        const Dataset d = images(40);
        PipelineSpec spec;
        spec.preprocess = {{"blur", 1}};
        spec.snapshot = dir.path().toStdString();
        std::vector<float> firstRun;
        {
            Pipeline p(d, spec, 8, false, 0);
            QVERIFY(!p.snapshotReused());
            firstRun = firstValues(p, 1);
            QVERIFY(p.next(*std::make_unique<Batch>()) == false);
            QVERIFY(QFile::exists(QString::fromStdString(p.snapshotPath())));
        }
        Pipeline again(d, spec, 8, false, 0);
        QVERIFY(again.snapshotReused());
        QCOMPARE(firstValues(again, 1), firstRun);
        for (const auto &s : again.stageStats())
            if (s.stage == "preprocess") QCOMPARE(s.totalMs, 0.0); // read from the snapshot
        spec.preprocess = {{"blur", 2}}; // the stages before it changed: a new snapshot
        Pipeline changed(d, spec, 8, false, 0);
        QVERIFY(!changed.snapshotReused());
        QVERIFY(changed.snapshotPath() != again.snapshotPath());
        Dataset other = images(40);
        other.features[3] = 7.f; // so did the data
        Pipeline otherData(other, spec, 8, false, 0);
        QVERIFY(otherData.snapshotPath() != changed.snapshotPath());
        std::filesystem::resize_file(again.snapshotPath(),
                                     100); // a damaged snapshot is not trusted
        spec.preprocess = {{"blur", 1}};
        Pipeline damaged(d, spec, 8, false, 0);
        QVERIFY(!damaged.snapshotReused());
    }
    void transformsDoWhatTheySay() {
        std::mt19937_64 rng(3);
        std::vector<float> scratch;
        const std::vector<int64_t> shape{1, 2, 3};
        std::vector<float> img{1, 2, 3, 4, 5, 6};
        // flip: mirrors each row when the coin says so; run until it does.
        std::vector<float> flipped = img;
        while (flipped == img)
            applyTransform({"flip", 0}, flipped.data(), shape, rng, scratch);
        QCOMPARE(flipped, (std::vector<float>{3, 2, 1, 6, 5, 4}));
        std::vector<float> flat(9, 2.f);
        applyTransform({"blur", 2}, flat.data(), {1, 3, 3}, rng, scratch);
        for (float v : flat)
            QVERIFY(std::abs(v - 2.f) < 1e-5f); // a blur keeps a flat image flat
        std::vector<float> noisy(1000, 0.f);
        applyTransform({"noise", 0.5}, noisy.data(), {1000}, rng, scratch);
        double sq = 0;
        for (float v : noisy)
            sq += v * v;
        QVERIFY(std::abs(std::sqrt(sq / 1000) - 0.5) < 0.05);
    }
    // The profiling walkthrough's image ops, against the formulas of tf.image (and PyTorch's
    // bilinear interpolation with align_corners=False).
    void colourAndSizeOpsFollowTfImage() {
        std::mt19937_64 rng(5);
        std::vector<float> scratch;
        std::vector<float> x{0, 1, 2, 3};
        applyTransform({"contrast", 2, {}}, x.data(), {1, 2, 2}, rng, scratch, false);
        QCOMPARE(x, (std::vector<float>{-1.5f, 0.5f, 2.5f, 4.5f})); // around the mean, 1.5
        applyTransform({"brightness", 0.5, {}}, x.data(), {1, 2, 2}, rng, scratch, false);
        QCOMPARE(x, (std::vector<float>{-1.f, 1.f, 3.f, 5.f}));
        // RGB planes: one red pixel and one grey one.
        std::vector<float> rgb{1, 0.5f, 0, 0.5f, 0, 0.5f};
        std::vector<float> turned = rgb;
        applyTransform({"hue", 1.0 / 3, {}}, turned.data(), {3, 1, 2}, rng, scratch, false);
        QVERIFY(std::abs(turned[0]) < 1e-6f && std::abs(turned[2] - 1) < 1e-6f &&
                std::abs(turned[4]) < 1e-6f); // red turned a third: green
        QCOMPARE(turned[1], 0.5f);            // grey has no hue to turn
        applyTransform({"saturation", 0, {}}, rgb.data(), {3, 1, 2}, rng, scratch, false);
        QVERIFY(std::abs(rgb[0] - 0.299f) < 1e-6f && std::abs(rgb[2] - 0.299f) < 1e-6f);
        // Random contrast draws its factor from [0.5, 1.5]: the spread around the mean.
        for (int i = 0; i < 20; ++i) {
            std::vector<float> y{0, 2};
            applyTransform({"contrast", 0.5, {}}, y.data(), {1, 1, 2}, rng, scratch);
            QVERIFY(y[1] - y[0] >= 1 - 1e-6f && y[1] - y[0] <= 3 + 1e-6f);
        }

        std::vector<float> square(16);
        std::iota(square.begin(), square.end(), 0.f);
        std::vector<int64_t> shape{1, 4, 4};
        applyPreprocess({"central_crop", 0.5, {}}, square, shape, scratch);
        QCOMPARE(shape, (std::vector<int64_t>{1, 2, 2}));
        QCOMPARE(square, (std::vector<float>{5, 6, 9, 10}));
        std::vector<float> small{0, 1, 2, 3};
        shape = {1, 2, 2};
        applyPreprocess({"resize", 0, {4, 4}}, small, shape, scratch);
        QCOMPARE(shape, (std::vector<int64_t>{1, 4, 4}));
        // torch.nn.functional.interpolate(x, (4, 4), mode="bilinear", align_corners=False)
        QCOMPARE(small[0], 0.f);
        QCOMPARE(small[5], 0.75f);
        QCOMPARE(small[15], 3.f);
        QCOMPARE(
            transformedShape({3, 28, 28}, {{"central_crop", 0.5, {}}, {"resize", 0, {10, 12}}}),
            (std::vector<int64_t>{3, 10, 12}));

        // In a pipeline: batches come at the preprocessed size, cached as such.
        const Dataset d = images(6);
        PipelineSpec spec;
        spec.preprocess = {{"central_crop", 0.5, {}}, {"resize", 0, {3, 3}}};
        spec.cache = "memory";
        spec.shuffleBuffer = 0;
        Pipeline p(d, spec, 4, false, 0);
        QCOMPARE(p.exampleShape(), (std::vector<int64_t>{1, 3, 3}));
        for (int epoch = 1; epoch <= 2; ++epoch) {
            p.startEpoch(epoch);
            Batch b;
            QVERIFY(p.next(b));
            QCOMPARE(b.exampleShape, (std::vector<int64_t>{1, 3, 3}));
            QCOMPARE(b.features.size(), size_t(4 * 9));
            QCOMPARE(b.features[9 * 3 + 4], 3.f); // example 3, filled with 3
        }
        QCOMPARE(p.preprocessed(2).size(), size_t(18));
    }

    void fashionMnistLoads() {
        const std::string dir = "/usr/share/datasets/fashion-mnist";
        if (!QFile::exists(QString::fromStdString(dir + "/train-images-idx3-ubyte.gz")))
            QSKIP("dataset-fashion-mnist not installed");
        const DatasetSplits s = loadFashionMnist(dir, 600);
        QCOMPARE(s.train.size(), size_t(600));
        QCOMPARE(s.train.shape, (std::vector<int64_t>{1, 28, 28}));
        QCOMPARE(s.validation.size(), size_t(100));
        QCOMPARE(s.train.labels[0], int64_t(9)); // the first training image is an ankle boot
        const auto [lo, hi] = std::minmax_element(s.train.features.begin(), s.train.features.end());
        QCOMPARE(*lo, 0.f);
        QCOMPARE(*hi, 1.f);
    }
    void badIdxFilesNameTheFileAndTheProblem() {
        QTemporaryDir dir;
        std::vector<int64_t> dims;
        auto message = [&](const std::string &path) {
            try {
                readIdx(path, dims);
            } catch (const std::runtime_error &e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        const std::string missing = dir.filePath("none.gz").toStdString();
        QCOMPARE(message(missing), missing + ": cannot open");
        const std::string text = dir.filePath("text.gz").toStdString();
        writeGz(text, "hello world");
        QCOMPARE(message(text), text + ": not an IDX file (bad magic number)");
        const std::string cut = dir.filePath("cut.gz").toStdString();
        writeGz(cut, std::string("\0\0\x08\x01\0\0\0\x0a\1\2\3", 11)); // 10 bytes promised, 3 given
        QCOMPARE(message(cut), cut + ": truncated: 3 of 10 data bytes");
        // A header claiming an exabyte costs what the file holds, not that.
        const std::string huge = dir.filePath("huge.gz").toStdString();
        writeGz(huge, std::string("\0\0\x08\x03"
                                  "\xff\xff\xff\xff"
                                  "\0\x0f\xff\xff"
                                  "\0\0\0\xff"
                                  "\1\2",
                                  18));
        QCOMPARE(message(huge), huge + ": truncated: 2 of 1148416809495429375 data bytes");
        const std::string overflow = dir.filePath("overflow.gz").toStdString();
        writeGz(overflow,
                std::string("\0\0\x08\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 16));
        QCOMPARE(message(overflow), overflow + ": IDX dimensions overflow");
        // A gzip bomb behind a header claiming 2 GiB is refused while it inflates.
        const std::string bomb = dir.filePath("bomb.gz").toStdString();
        writeGz(bomb,
                std::string("\0\0\x08\x01\x7f\xff\xff\xff", 8) + std::string(100 << 20, '\0'));
        QVERIFY2(message(bomb).find(bomb + ": refused: ") == 0, message(bomb).c_str());
        QVERIFY2(message(bomb).find("a gzip bomb?") != std::string::npos, message(bomb).c_str());
        DatasetSpec spec;
        spec.path = dir.path().toStdString();
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, loadDataset(spec));
    }
    void syntheticIsReproducible() {
        const Dataset a = makeSynthetic(50, 3, 4, 9), b = makeSynthetic(50, 3, 4, 9),
                      c = makeSynthetic(50, 3, 4, 10);
        QCOMPARE(a.features, b.features);
        QVERIFY(a.features != c.features);
        QCOMPARE(a.classNames.size(), size_t(3));
    }
};

QTEST_APPLESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
