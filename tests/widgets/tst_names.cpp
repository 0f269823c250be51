// Names that are not UTF-8 survive the trip through QString: shown, then looked up again.
#include "widgets/names.h"

#include <QtTest>

using namespace trainscope;

class TestNames : public QObject {
    Q_OBJECT
private slots:
    void roundTrips() {
        const std::string names[] = {
            "train/loss",
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", // é, €, an emoji: valid UTF-8
            "loss/\xff\xfe",                             // not UTF-8 at all
            "bad_\xe9name",                              // Latin-1
            "\xc3",                                      // a sequence cut short
            "\xc0\xaf",                                  // an overlong '/'
            "\xed\xa0\x80",                              // an encoded surrogate
            std::string("nul\0byte", 8),
        };
        for (const std::string &name : names)
            QCOMPARE(toName(fromName(name)), name);
        QCOMPARE(fromName("caf\xc3\xa9"), QString::fromUtf8("caf\xc3\xa9"));
        QCOMPARE(fromName("a\xff").size(), 2);
        QCOMPARE(fromName("a\xff").at(1).unicode(), char16_t(0xdcff));
        // Two names that differ only in their invalid bytes stay two names.
        QVERIFY(fromName("x\xff") != fromName("x\xfe"));
        // Shown (and matched by regular expressions) with U+FFFD; valid pairs are kept.
        QCOMPARE(displayName(fromName("a\xff" "b")), QString::fromUtf8("a\xef\xbf\xbd"
                                                                    "b"));
        QCOMPARE(displayName(fromName("\xf0\x9f\x98\x80")), QString::fromUtf8("\xf0\x9f\x98\x80"));
        QVERIFY(QRegularExpression("b$").match(displayName(fromName("a\xff" "b"))).hasMatch());
    }
};

QTEST_APPLESS_MAIN(TestNames)
#include "tst_names.moc"
