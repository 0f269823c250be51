// Command templates: placeholders become argv elements or shell words quoted for where they
// stand, never shell syntax. Each hostile value runs for real, in each place a template can put
// it, and must come out as itself with nothing else run.
#include "core/tune/commandtemplate.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

using namespace trainscope;

namespace {

// Runs argv (no shell of its own) and returns its stdout.
std::string runArgv(const std::vector<std::string> &argv, const std::string &dir) {
    const std::string out = dir + "/out.txt";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    std::vector<std::string> copy = argv;
    std::vector<char *> args;
    for (std::string &a : copy)
        args.push_back(a.data());
    args.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) return "!spawn";
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    waitpid(pid, &status, 0);
    std::ifstream in(out);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

CommandLine expand(const std::string &command, const std::string &value) {
    return expandCommand(command, [&](const std::string &name) -> std::optional<std::string> {
        if (name == "c") return value;
        return std::nullopt; // every other name: an inactive parameter
    });
}

} // namespace

class TestCommandTemplate : public QObject {
    Q_OBJECT
private slots:
    void plainWordsRunWithoutAShell() {
        const CommandLine line =
            expand("python3 train.py --tag {c} --name=run-{c} 'quoted {c}' \"dq {c}\"", "a b");
        QVERIFY(!line.viaShell);
        QCOMPARE(line.argv, (std::vector<std::string>{"python3", "train.py", "--tag", "a b",
                                                      "--name=run-a b", "quoted a b", "dq a b"}));
        QCOMPARE(line.text(), std::string("python3 train.py --tag 'a b' '--name=run-a b' "
                                          "'quoted a b' 'dq a b'"));
    }

    void shellSyntaxGoesThroughTheShell() {
        for (const char *command : {"train {c} | tee log", "train {c} > out", "a; b {c}",
                                    "train --dir $HOME {c}", "FOO=1 train {c}", "ls *.txt {c}",
                                    "train \"$X\" {c}", "train ${TRAINSCOPE_TRIAL_LOGDIR}"}) {
            const CommandLine line = expand(command, "v");
            QVERIFY2(line.viaShell, command);
            QCOMPARE(line.argv.size(), size_t(3));
            QCOMPARE(line.argv[0], std::string("/bin/sh"));
        }
        QCOMPARE(expand("train ${TRAINSCOPE_TRIAL_LOGDIR} {c}", "x y").argv[2],
                 std::string("train ${TRAINSCOPE_TRIAL_LOGDIR} 'x y'"));
    }

    void inactiveParametersBecomeNothing() {
        QCOMPARE(expand("run {gone} --m={gone} {c}", "1").argv,
                 (std::vector<std::string>{"run", "--m=", "1"}));
        QCOMPARE(expand("run '{gone}' {c}", "1").argv,
                 (std::vector<std::string>{"run", "", "1"})); // a quoted word stays, empty
        QCOMPARE(expand("run {gone} | cat", "").argv[2], std::string("run  | cat"));
        QCOMPARE(expand("run \"{gone}\" | cat", "").argv[2], std::string("run \"\" | cat"));
    }

    void unclosedQuotesAreRefused() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, expand("run '{c}", "x"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, expand("run \"{c}", "x"));
        QCOMPARE(commandPlaceholders("a {x} ${y} {z.w} {} {not a name} {q}"),
                 (std::vector<std::string>{"x", "z.w", "q"}));
    }

    // The issue's two attacks and their relatives: a value that would run code if it were
    // shell text, in every place a template can put it. Each must print itself, and no file
    // may appear.
    void hostileValuesStayValues_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("printed"); // what it prints, %1 standing for the value
        QTest::newRow("plain argv") << "printf '%s\\n' {c}"
                                    << "%1";
        QTest::newRow("argv in a word") << "printf '%s\\n' x{c}y"
                                        << "x%1y";
        QTest::newRow("argv in double quotes") << "printf '%s\\n' \"{c}\""
                                               << "%1";
        QTest::newRow("shell, unquoted") << "printf '%s\\n' {c} | cat"
                                         << "%1";
        QTest::newRow("shell, in a word") << "printf '%s\\n' x{c}y | cat"
                                          << "x%1y";
        QTest::newRow("shell, in double quotes") << "printf '%s\\n' \"{c}\" | cat"
                                                 << "%1";
        QTest::newRow("shell, in single quotes") << "printf '%s\\n' '{c}' | cat"
                                                 << "%1";
        QTest::newRow("sh -c, unquoted") << "sh -c 'printf \"%s\\n\" {c}'"
                                         << "%1";
        QTest::newRow("sh -c, in double quotes") << "sh -c 'printf \"%s\\n\" \"{c}\"'"
                                                 << "%1";
        QTest::newRow("bash -ec, in double quotes") << "bash -ec \"printf '%s\\n' \\\"{c}\\\"\""
                                                    << "%1";
    }
    void hostileValuesStayValues() {
        QFETCH(QString, command);
        QFETCH(QString, printed);
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        for (const std::string value :
             {"$(touch PWNED)", "`touch PWNED`", "a; touch PWNED", "'; touch PWNED; '",
              "\"; touch PWNED; \"", "x\" $(touch PWNED) \"y", "\\\"; touch PWNED #",
              "$HOME ${PATH} \\ \\\\ ' \"", "-n", "*", "line\nbreak", "{c}"}) {
            const CommandLine line = expand(command.toStdString(), value);
            QCOMPARE(runArgv(line.argv, d),
                     printed.arg(QString::fromStdString(value)).toStdString() + "\n");
            QVERIFY2(!QFile::exists(dir.filePath("PWNED")),
                     (line.text() + " ran the value as code").c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestCommandTemplate)
#include "tst_commandtemplate.moc"
