// Keras-style class folders: images decoded and resized, texts standardised, tokenised and
// vectorised with a training-split vocabulary, and the seeded validation split.
#include "core/data/folders.h"
#include "core/events/pngencoder.h"

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

using namespace trainscope;

namespace {

void writePng(const std::string &path, int w, int h, uint8_t grey) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary)
        << encodePng(w, h, std::vector<uint8_t>(size_t(w * h * 3), grey));
}

void writeText(const std::string &path, const std::string &text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
}

} // namespace

class TestFolders : public QObject {
    Q_OBJECT
private slots:
    void imagesAreDecodedResizedAndLabelledByFolder() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        writePng(root + "/cats/a.png", 8, 8, 255);
        writePng(root + "/cats/b.png", 16, 4, 255);
        writePng(root + "/dogs/c.png", 8, 8, 0);
        const Dataset d = loadImageFolder(root, 4, 4, 1);
        QCOMPARE(d.classNames, (std::vector<std::string>{"cats", "dogs"}));
        QCOMPARE(d.labels, (std::vector<int64_t>{0, 0, 1}));
        QCOMPARE(d.shape, (std::vector<int64_t>{1, 4, 4}));
        QCOMPARE(d.example(1)[5], 1.f); // white, resized
        QCOMPARE(d.example(2)[5], 0.f); // black
        const Dataset rgb = loadImageFolder(root, 2, 2, 3);
        QCOMPARE(rgb.exampleSize(), size_t(12));
    }
    void badImageFoldersNameTheProblem() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        writePng(root + "/a/ok.png", 4, 4, 9);
        writeText(root + "/b/broken.png", "not a png");
        try {
            loadImageFolder(root, 4, 4, 1);
            QFAIL("expected an error");
        } catch (const std::runtime_error &e) {
            QVERIFY2(std::string(e.what()).find("b/broken.png: cannot decode image") !=
                         std::string::npos,
                     e.what());
        }
        QTemporaryDir flat;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 loadImageFolder(flat.path().toStdString(), 4, 4, 1));
    }
    // Folders that would train on nothing are refused, naming the folder or file.
    void foldersThatHoldNothingToLearnAreRefused() {
        auto error = [](auto &&load) {
            try {
                load();
            } catch (const std::runtime_error &e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        QTemporaryDir images;
        const std::string root = images.path().toStdString();
        writePng(root + "/cats/a.png", 4, 4, 9);
        std::filesystem::create_directories(root + "/dogs");
        QCOMPARE(error([&] { loadImageFolder(root, 4, 4, 1); }),
                 root + "/dogs: no .png, .jpg, .jpeg, .bmp, .gif files: every class folder "
                        "needs examples");

        QTemporaryDir texts;
        const std::string t = texts.path().toStdString();
        writeText(t + "/neg/1.txt", "bad");
        writeText(t + "/pos/1.txt", "good");
        writeText(t + "/pos/2.txt", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
        QCOMPARE(error([&] { readTextFolder(t); }),
                 t + "/pos/2.txt: not text (a NUL byte at offset 8)");
        std::filesystem::remove(t + "/pos/2.txt");
        writeText(t + "/pos/1.txt", "");
        writeText(t + "/pos/3.txt", " <br /> ... !");
        QCOMPARE(error([&] { readTextFolder(t); }), t + "/pos: no words in any of its 2 texts");
        writeText(t + "/pos/3.txt", "fine");
        QCOMPARE(readTextFolder(t).texts.size(), size_t(3)); // one empty text among others is kept
    }
    void textStandardisationAndTokens() {
        QCOMPARE(standardizeText("Great movie!<br /><br />LOVED it."),
                 std::string("great movie   loved it "));
        QCOMPARE(tokenize(standardizeText("It's  a-ok")),
                 (std::vector<std::string>{"it", "s", "a", "ok"}));
    }
    void vocabularyFromTrainingTextsAndVectors() {
        const Vocabulary v = Vocabulary::build({"b a b", "c b a", "a"}, 4); // a:3, b:3, c:1
        QCOMPARE(v.size(), 4);
        QCOMPARE(v.token(2), std::string("a")); // frequency, then alphabetical
        QCOMPARE(v.token(3), std::string("b"));
        QCOMPARE(v.index("c"), int64_t(1)); // cut by max_tokens: out of vocabulary
        QCOMPARE(vectorizeText("B, a; zebra!", v, "int", 5), (std::vector<float>{3, 2, 1, 0, 0}));
        QCOMPARE(vectorizeText("a a a a a a a", v, "int", 3), (std::vector<float>{2, 2, 2}));
        QCOMPARE(vectorizeText("b zebra", v, "multi_hot", 0), (std::vector<float>{0, 1, 0, 1}));
    }
    void textFolderDatasetVocabularyComesFromTheTrainingSplit() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        for (int i = 0; i < 10; ++i) {
            writeText(root + "/neg/" + std::to_string(i) + ".txt",
                      "bad awful boring " + std::to_string(i));
            writeText(root + "/pos/" + std::to_string(i) + ".txt", "good great fun");
        }
        writeText(root + "/pos/notes.md", "not a text example");
        DatasetSpec spec;
        spec.name = "text_folder";
        spec.path = root;
        spec.validationSplit = 0.25;
        spec.sequenceLength = 6;
        spec.maxTokens = 50;
        const DatasetSplits s = loadDataset(spec);
        QCOMPARE(s.train.size() + s.validation.size(), size_t(20));
        QCOMPARE(s.validation.size(), size_t(5));
        QCOMPARE(s.train.shape, (std::vector<int64_t>{6}));
        QVERIFY(s.train.vocabularySize > 5 && s.train.vocabularySize <= 50);
        QCOMPARE(s.train.classNames, (std::vector<std::string>{"neg", "pos"}));
        const DatasetSplits again = loadDataset(spec);
        QCOMPARE(again.validation.labels, s.validation.labels); // seeded
        spec.textMode = "multi_hot";
        const DatasetSplits hot = loadDataset(spec);
        QCOMPARE(hot.train.shape, (std::vector<int64_t>{int64_t(hot.train.exampleSize())}));
        QCOMPARE(hot.train.vocabularySize, 0);
    }
};

QTEST_APPLESS_MAIN(TestFolders)
#include "tst_folders.moc"
