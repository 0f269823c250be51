#include "app/gui.h"

#include "app/cli/commands.h"
#include "app/demo.h"
#include "app/mainwindow.h"
#include "app/sweepcontroller.h"
#include "config.h"
#include "core/tune/studystore.h"
#include "widgets/scalars/scalarchart.h"
#include "widgets/scalars/scalarsview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QTimer>
#include <cstring>
#include <iostream>
#include <utility>

namespace trainscope {
namespace {

bool hasArg(int argc, char **argv, const char *name) {
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return true;
    return false;
}

bool haveDisplay() {
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

QString demoLogdir() {
    return QDir::temp().filePath("trainscope-demo-" +
                                 QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss"));
}

// Renders the window once the logdir is read and `afterMs` have passed; exits the event loop.
void scheduleScreenshot(MainWindow &window, const QString &path, int afterMs) {
    auto shoot = [&window, path] {
        for (ScalarChart *chart : window.scalarsView()->charts())
            chart->replotNow();
        const bool ok = window.grab().save(path);
        if (ok)
            std::cerr << "trainscope: screenshot saved to " << path.toStdString() << "\n";
        else
            std::cerr << "trainscope: " << path.toStdString() << ": cannot write the screenshot\n";
        QCoreApplication::exit(ok ? cli::Ok : cli::RuntimeFailure);
    };
    QTimer::singleShot(afterMs, &window, [&window, shoot] {
        if (window.isLoaded())
            shoot();
        else
            QObject::connect(&window, &MainWindow::loaded, &window,
                             [shoot] { QTimer::singleShot(200, shoot); });
    });
}

} // namespace

int runGui(int argc, char **argv) {
    const bool screenshot = hasArg(argc, argv, "--screenshot");
    const bool headless = !screenshot && !haveDisplay() && !hasArg(argc, argv, "--help");
    // Offscreen whenever there is no display: --help needs none to print itself.
    if (screenshot || !haveDisplay()) qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QApplication::setApplicationName("Trainscope");
    QApplication::setApplicationVersion(TRAINSCOPE_VERSION);
    QApplication::setOrganizationName("Trainscope");

    QCommandLineParser parser;
    parser.setApplicationDescription("A workbench for deep-learning training runs.\n"
                                     "Its subcommands: trainscope help");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("logdir", "A TensorBoard logdir (or a trace file) to open.",
                                 "[LOGDIR|TRACE]");
    QCommandLineOption demo("demo", "Start the embedded demo.");
    QCommandLineOption shot("screenshot", "Render the window offscreen to a PNG and exit.",
                            "file.png");
    QCommandLineOption tab("tab", "The tab to show (with --screenshot).", "name", "Scalars");
    QCommandLineOption after("after-ms", "Wait this long before the screenshot.", "ms", "1500");
    QCommandLineOption group("group",
                             "Draw the Scalars tab's runs by group: by a regular expression's "
                             "captures, 'folder' (the parent folder) or 'hparam:NAME'.",
                             "how");
    QCommandLineOption storage("storage",
                               "A sweep's study in PostgreSQL (postgresql://...), shown in the "
                               "Tuning tab and followed live as its workers run.",
                               "uri");
    QCommandLineOption study("study", "The study's name in --storage (the sweep's name).", "name");
    parser.addOptions({demo, shot, tab, after, group, storage, study});
    parser.process(app);

    QString logdir = parser.positionalArguments().value(0);
    const bool runDemo = parser.isSet(demo);
    if (runDemo) {
        if (logdir.isEmpty()) logdir = demoLogdir();
        QDir().mkpath(logdir);
        std::cerr << "trainscope: demo runs go to " << logdir.toStdString() << "\n";
    }
    // A Chrome/PyTorch trace opens in the Profile tab.
    QString tracePath;
    if (!runDemo && QFileInfo(logdir).isFile()) tracePath = std::exchange(logdir, QString());
    if (!logdir.isEmpty() && !QFileInfo(logdir).isDir()) {
        std::cerr << "trainscope: " << logdir.toStdString() << ": no such directory\n";
        return cli::BadInput;
    }

    if (parser.isSet(storage) != parser.isSet(study) ||
        (parser.isSet(storage) &&
         !StudyStore::isPostgresLocation(parser.value(storage).toStdString()))) {
        std::cerr << "trainscope: --storage postgresql://... and --study NAME go together\n";
        return cli::BadInput;
    }
    QString shotPath = parser.value(shot);
    QStringList demoTraces; // the headless demo's two profiles, for the window's picture
    if (headless) {
        std::cerr
            << "trainscope: no display (DISPLAY and WAYLAND_DISPLAY are unset), so here is a "
               "headless\n"
               "summary instead. For the window, run this on a desktop, under 'xvfb-run', or add\n"
               "'--screenshot FILE.png' to render it offscreen.\n";
        if (!tracePath.isEmpty())
            return cli::run({"profile", tracePath.toStdString()}, std::cout, std::cerr,
                            cli::torchCommands());
        if (parser.isSet(storage)) {
            if (const int code =
                    cli::run({"trials", "--storage", parser.value(storage).toStdString(), "--study",
                              parser.value(study).toStdString()},
                             std::cout, std::cerr, cli::torchCommands());
                code != cli::Ok)
                return code;
        }
        if (logdir.isEmpty() && !parser.isSet(storage)) return cli::Ok;
        if (runDemo) {
            if (const int code = runDemoHeadless(logdir, std::cout, std::cerr, &demoTraces);
                code != cli::Ok)
                return code;
        } else if (const int code = logdir.isEmpty()
                                        ? cli::Ok
                                        : cli::run({"runs", logdir.toStdString()}, std::cout,
                                                   std::cerr, cli::torchCommands());
                   code != cli::Ok) {
            return code;
        }
        // A picture of what the window shows, kept out of the user's own logdir.
        shotPath = (runDemo ? QDir(logdir) : QDir::temp()).filePath("trainscope-window.png");
    }

    MainWindow window;
    if (parser.isSet(group)) {
        const QString how = parser.value(group);
        Grouping g;
        if (how == "folder") {
            g.by = GroupBy::ParentFolder;
        } else if (how.startsWith("hparam:")) {
            g.by = GroupBy::HParam;
            g.hparam = how.mid(7);
        } else if (const QString error = groupingPatternError(how); !error.isEmpty()) {
            std::cerr << "trainscope: --group " << how.toStdString() << ": " << error.toStdString()
                      << "\n";
            return cli::BadInput;
        } else {
            g.by = GroupBy::Pattern;
            g.pattern = how;
        }
        window.scalarsView()->setGrouping(g);
    }
    if (!logdir.isEmpty()) window.openLogdir(logdir);
    if (runDemo && !headless) window.startDemo();
    if (!tracePath.isEmpty()) window.openTrace(tracePath);
    if (parser.isSet(storage)) {
        window.sweeps()->addStudy(parser.value(storage), parser.value(study));
        if (!parser.isSet(tab)) window.selectTab("Tuning");
    }
    if (demoTraces.size() == 2 && !parser.isSet(tab))
        window.compareTraces(demoTraces[0], demoTraces[1]);
    if (!shotPath.isEmpty()) {
        // The headless demo's picture is the comparison it printed.
        const bool demoPicture = demoTraces.size() == 2 && !parser.isSet(tab);
        const QString shown = demoPicture ? QString("Profile/Compare")
                              : parser.isSet(storage) && !parser.isSet(tab) ? QString("Tuning")
                                                                            : parser.value(tab);
        if (!window.selectTab(shown)) {
            std::cerr << "trainscope: --tab " << parser.value(tab).toStdString()
                      << ": no such tab\n";
            return cli::BadInput;
        }
        window.resize(1440, 900);
        window.show();
        scheduleScreenshot(window, shotPath, parser.value(after).toInt());
        return app.exec();
    }
    window.resize(1440, 900);
    window.show();
    return app.exec();
}

} // namespace trainscope
