#include "core/events/crc32c.h"
#include "core/events/recordio.h"
#include "tests/support/protobytes.h"

#include <QtTest>

using namespace trainscope;

class TestRecordIo : public QObject {
    Q_OBJECT
private slots:
    void framingMatchesTheFormat() {
        std::string out;
        appendRecord(out, "hello");
        QCOMPARE(out.size(), size_t(8 + 4 + 5 + 4));
        QCOMPARE(out, pbtest::frame("hello")); // independent framing from the format facts
        QCOMPARE(out.substr(0, 8), std::string("\x05\0\0\0\0\0\0\0", 8));
    }
    void readsConsecutiveRecords() {
        std::string buf;
        appendRecord(buf, "one");
        appendRecord(buf, "");
        appendRecord(buf, "three");
        RecordView r = readRecord(buf, 0);
        QCOMPARE(r.status, RecordStatus::Ok);
        QCOMPARE(std::string(r.data), std::string("one"));
        size_t at = r.size;
        r = readRecord(buf, at);
        QCOMPARE(r.status, RecordStatus::Ok);
        QCOMPARE(r.data.size(), size_t(0));
        at += r.size;
        r = readRecord(buf, at);
        QCOMPARE(std::string(r.data), std::string("three"));
        at += r.size;
        QCOMPARE(readRecord(buf, at).status, RecordStatus::End);
    }
    void truncatedRecordWaits() {
        std::string buf;
        appendRecord(buf, "a longer payload");
        for (size_t cut : {size_t(1), size_t(11), size_t(12), buf.size() - 1})
            QCOMPARE(readRecord(std::string_view(buf).substr(0, cut), 0).status,
                     RecordStatus::NeedMore);
    }
    void corruptDataIsSkippable() {
        std::string buf;
        appendRecord(buf, "payload");
        buf[14] ^= 0x40; // inside the data
        RecordView r = readRecord(buf, 0);
        QCOMPARE(r.status, RecordStatus::BadData);
        QCOMPARE(r.size, buf.size()); // the reader knows where the next record starts
    }
    void corruptLengthIsReported() {
        std::string buf;
        appendRecord(buf, "payload");
        buf[0] ^= 0x01;
        QCOMPARE(readRecord(buf, 0).status, RecordStatus::BadHeader);
    }
};

QTEST_APPLESS_MAIN(TestRecordIo)
#include "tst_recordio.moc"
