#include "core/events/crc32c.h"

#include <QtTest>
#include <random>
#include <string>

using namespace trainscope;

class TestCrc32c : public QObject {
    Q_OBJECT
private slots:
    void knownVectors() {
        const std::string zeros(32, '\0');
        QCOMPARE(crc32c(zeros.data(), zeros.size()), 0x8a9136aau);
        QCOMPARE(crc32cPortable(zeros.data(), zeros.size()), 0x8a9136aau);
        const std::string ones(32, '\xff');
        QCOMPARE(crc32c(ones.data(), ones.size()), 0x62a8ab43u);
        QCOMPARE(crc32c("123456789", 9), 0xe3069283u);
        QCOMPARE(crc32c("", 0), 0u);
    }
    void incrementalEqualsWhole() {
        const std::string text = "The quick brown fox jumps over the lazy dog";
        const uint32_t whole = crc32c(text.data(), text.size());
        const uint32_t part = crc32c(text.data() + 10, text.size() - 10, crc32c(text.data(), 10));
        QCOMPARE(part, whole);
        QCOMPARE(whole, 0x22620404u);
    }
    void hardwareMatchesPortableOnLargeBuffers() {
        std::mt19937 rng(7);
        // Sizes around the 3x4096-byte interleaved block and odd tails.
        for (size_t size : {0, 1, 7, 8, 4095, 12287, 12288, 12289, 40000, 1 << 20}) {
            std::string data(size, '\0');
            for (auto &c : data)
                c = char(rng());
            QCOMPARE(crc32c(data.data(), data.size()), crc32cPortable(data.data(), data.size()));
        }
        qInfo("hardware crc32c: %s", crc32cHardware() ? "yes" : "no");
    }
    void maskRoundTrips() {
        QCOMPARE(maskCrc(0), 0xa282ead8u);
        for (uint32_t c : {0u, 1u, 0x8a9136aau, 0xffffffffu})
            QCOMPARE(unmaskCrc(maskCrc(c)), c);
        // mask(c) = ((c >> 15) | (c << 17)) + 0xa282ead8
        QCOMPARE(maskCrc(0x8a9136aau), ((0x8a9136aau >> 15) | (0x8a9136aau << 17)) + 0xa282ead8u);
    }
};

QTEST_APPLESS_MAIN(TestCrc32c)
#include "tst_crc32c.moc"
