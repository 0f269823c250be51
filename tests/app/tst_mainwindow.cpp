// The main window on a real logdir: runs listed, charts grouped by prefix, run filtering,
// live growth, problems surfaced, and the offscreen screenshot path.
#include "app/mainwindow.h"
#include "app/sweepcontroller.h"
#include "core/events/eventwriter.h"
#include "core/jobs/jobspec.h"
#include "core/run/sweeprunner.h"
#include "core/tune/studystore.h"
#include "tests/support/dashboardlogdir.h"
#include "tests/support/protobytes.h"
#include "widgets/confusion/confusionview.h"
#include "widgets/dashboard/tagcard.h"
#include "widgets/histograms/histogramsview.h"
#include "widgets/hparams/hparamstablemodel.h"
#include "widgets/hparams/hparamsview.h"
#include "widgets/images/imagesview.h"
#include "widgets/jobs/joblistmodel.h"
#include "widgets/names.h"
#include "widgets/profile/profilecompareview.h"
#include "widgets/profile/profileview.h"
#include "widgets/profile/statstable.h"
#include "widgets/runs/runlistmodel.h"
#include "widgets/scalars/scalarchart.h"
#include "widgets/scalars/scalarsview.h"
#include "widgets/text/textview.h"
#include "widgets/tune/tuningview.h"

#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace trainscope;

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    // A sweep started in the GUI runs on the SweepRunner, its trials reach the Tuning tab
    // through the one Bridge; a sweep found on disk is read off the GUI thread.
    void sweepsRunAndAreFound() {
        QTemporaryDir dir;
        const SweepSpec spec = SweepSpec::fromJson(R"({
            "name": "cmd", "command": "echo objective={x}", "objective": {"metric": "score", "direction": "max"},
            "space": [{"name": "x", "type": "choice", "values": [1, 2, 3]}],
            "oracle": {"type": "grid"}, "max_trials": 3})");
        MainWindow window;
        window.openLogdir(dir.path());
        QSignalSpy finished(window.sweeps(), &SweepController::sweepFinished);
        const QString sweepDir = window.sweeps()->startSweep(spec);
        QCOMPARE(sweepDir, dir.filePath("cmd"));
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished[0][1].toString(), QString("max_trials reached"));
        QTRY_COMPARE(window.tuningView()->trials(sweepDir).size(), size_t(3));
        for (const Trial &t : window.tuningView()->trials(sweepDir))
            QCOMPARE(t.status, TrialStatus::Completed);
        QVERIFY(!window.sweeps()->running(sweepDir));
        // Its trials were rows of the Jobs panel, and keep their final status there.
        JobListModel *jobs = window.jobModel();
        QTRY_COMPARE(jobs->rowCount(), 3);
        const int row = jobs->rowOfTrial(sweepDir, 1);
        QVERIFY(row >= 0);
        QCOMPARE(jobs->index(row, JobListModel::NameColumn).data().toString(),
                 QString("cmd / trial 1"));
        QCOMPARE(jobs->index(row, JobListModel::StateColumn).data().toString(),
                 QString("completed"));
        QCOMPARE(window.tuningView()->runState(sweepDir), SweepRunState::Idle);
        // The same name again: a directory of its own.
        QCOMPARE(window.sweeps()->startSweep(spec), dir.filePath("cmd-2"));
        window.sweeps()->stopAll();

        // Another window finds the first sweep in the logdir and reads its study.
        MainWindow other;
        other.openLogdir(dir.path());
        QTRY_VERIFY(other.tuningView()->sweepDirs().contains(sweepDir));
        QTRY_COMPARE(other.tuningView()->trials(sweepDir).size(), size_t(3));
    }

    // A study in PostgreSQL (workers elsewhere): listed in the Tuning tab and followed live.
    void aPostgresStudyIsFollowedLive() {
        const QString uri = qEnvironmentVariable("TRAINSCOPE_TEST_POSTGRES");
        if (uri.isEmpty()) QSKIP("TRAINSCOPE_TEST_POSTGRES unset: `make test` starts a server");
        const std::string name = "gui-live-" + std::to_string(QCoreApplication::applicationPid());
        const SweepSpec spec = SweepSpec::fromJson(R"({"name": "remote", "command": "run {x}",
            "objective": {"metric": "score", "direction": "max"},
            "space": [{"name": "x", "type": "int", "min": 0, "max": 9}]})");
        StudyStore store(uri.toStdString(), name);
        store.setValue("spec", spec.toJson());
        auto add = [&](int x) {
            Trial t = *store.createTrial([&](const std::vector<Trial> &) {
                Trial n;
                n.params = {{"x", int64_t(x)}};
                n.worker = "elsewhere:7";
                return std::optional<Trial>(n);
            });
            t.status = TrialStatus::Completed;
            t.score = x;
            store.updateTrial(t);
        };
        add(3);
        add(5);
        MainWindow window;
        window.sweeps()->addStudy(uri, QString::fromStdString(name));
        const QString key = uri + "#" + QString::fromStdString(name);
        QTRY_VERIFY(window.tuningView()->sweepDirs().contains(key));
        QTRY_COMPARE(window.tuningView()->trials(key).size(), size_t(2));
        add(8); // a worker elsewhere finishes another
        QTRY_COMPARE_WITH_TIMEOUT(window.tuningView()->trials(key).size(), size_t(3), 10000);
        QCOMPARE(*window.tuningView()->trials(key).back().score, 8.0);
    }

    // Steering a sweep from the window: pause holds new trials, a trial is cancelled from the
    // Tuning tab and another from the Jobs panel (the sweep goes on), Stop ends it with the
    // running trial resumable.
    void aSweepIsSteeredFromTheWindow() {
        QTemporaryDir dir;
        const SweepSpec spec = SweepSpec::fromJson(
            "{\"name\": \"slow\", \"command\": \"sleep 30; echo objective={x}\", "
            "\"objective\": {\"metric\": \"score\", \"direction\": \"max\"}, "
            "\"space\": [{\"name\": \"x\", \"type\": \"float\", \"min\": 0, \"max\": 1}], "
            "\"workers\": 1, \"max_trials\": 5}");
        MainWindow window;
        window.openLogdir(dir.path());
        TuningView *view = window.tuningView();
        JobListModel *jobs = window.jobModel();
        const QString sweepDir = window.sweeps()->startSweep(spec);
        QCOMPARE(view->runState(sweepDir), SweepRunState::Running);
        QVERIFY(view->stopButton()->isEnabled());
        QTRY_COMPARE(view->trials(sweepDir).size(), size_t(1));
        QTRY_VERIFY(jobs->rowOfTrial(sweepDir, 1) >= 0);
        QCOMPARE(
            jobs->index(jobs->rowOfTrial(sweepDir, 1), JobListModel::NameColumn).data().toString(),
            QString("slow / trial 1"));

        view->pauseButton()->click();
        QVERIFY(window.sweeps()->paused(sweepDir));
        QCOMPARE(view->pauseButton()->text(), QString("Resume"));
        QTableView *trials = view->trialTable()->view();
        trials->setCurrentIndex(trials->model()->index(0, 0));
        QVERIFY(view->cancelTrialButton()->isEnabled());
        view->cancelTrialButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(view->trials(sweepDir)[0].status, TrialStatus::Failed, 10000);
        QCOMPARE(view->trials(sweepDir)[0].error, std::string("cancelled"));
        QTRY_COMPARE(
            jobs->index(jobs->rowOfTrial(sweepDir, 1), JobListModel::StateColumn).data().toString(),
            QString("cancelled"));
        QTest::qWait(700);
        QCOMPARE(view->trials(sweepDir).size(), size_t(1)); // paused: no new trial
        view->pauseButton()->click();
        QVERIFY(!window.sweeps()->paused(sweepDir));
        QTRY_COMPARE_WITH_TIMEOUT(view->trials(sweepDir).size(), size_t(2), 10000);

        // The Jobs panel's Cancel on a trial's row cancels that trial, not the sweep.
        QTableView *jobTable = nullptr;
        for (QTableView *t : window.findChildren<QTableView *>())
            if (t->model() == jobs) jobTable = t;
        QPushButton *cancel = nullptr;
        for (QPushButton *b : window.findChildren<QPushButton *>())
            if (b->text() == "Cancel") cancel = b;
        QVERIFY(jobTable && cancel);
        QTRY_VERIFY(jobs->rowOfTrial(sweepDir, 2) >= 0);
        jobTable->setCurrentIndex(jobs->index(jobs->rowOfTrial(sweepDir, 2), 0));
        cancel->click();
        QTRY_COMPARE_WITH_TIMEOUT(view->trials(sweepDir)[1].status, TrialStatus::Failed, 10000);
        QVERIFY(window.sweeps()->running(sweepDir));
        QTRY_COMPARE_WITH_TIMEOUT(view->trials(sweepDir).size(), size_t(3), 10000);

        QSignalSpy finished(window.sweeps(), &SweepController::sweepFinished);
        view->stopButton()->click();
        QCOMPARE(view->runState(sweepDir), SweepRunState::Stopping);
        QVERIFY(finished.wait(10000));
        QCOMPARE(view->runState(sweepDir), SweepRunState::Idle);
        QVERIFY(!view->stopButton()->isEnabled());
        QCOMPARE(view->trials(sweepDir)[2].status, TrialStatus::Running); // for --resume
        QCOMPARE(
            jobs->index(jobs->rowOfTrial(sweepDir, 3), JobListModel::StateColumn).data().toString(),
            QString("stopped"));
    }

    // A trial clicked in Tuning shows its curves in Scalars; the run filter that takes is lent:
    // Back to Tuning, or any other tab, gives the user's filter back, unless they typed one.
    void aTrialsCurvesLendTheRunFilter() {
        QTemporaryDir dir;
        MainWindow window;
        window.openLogdir(dir.path());
        window.setRunFilter("alpha|beta");
        QVERIFY(window.selectTab("Tuning"));
        const QString run = dir.filePath("sweep/trial-3");
        emit window.tuningView()->trialActivated(run);
        QCOMPARE(window.currentTabName(), QString("Scalars"));
        QCOMPARE(window.runFilter(), "^" + QRegularExpression::escape("sweep/trial-3") + "$");
        QVERIFY(window.showingTrial());
        auto *back = window.findChild<QPushButton *>("backToTuning");
        QVERIFY(back && back->isVisibleTo(&window));
        back->click();
        QCOMPARE(window.currentTabName(), QString("Tuning"));
        QCOMPARE(window.runFilter(), QString("alpha|beta"));
        QVERIFY(!back->isVisibleTo(&window));

        // One trial after another, then another tab: the filter from before the first.
        emit window.tuningView()->trialActivated(run);
        emit window.tuningView()->trialActivated(dir.filePath("sweep/trial-4"));
        QVERIFY(window.runFilter().contains("trial\\-4"));
        QVERIFY(window.selectTab("Histograms"));
        QCOMPARE(window.runFilter(), QString("alpha|beta"));
        QVERIFY(!window.showingTrial());

        // A filter typed meanwhile is the user's: it stays.
        emit window.tuningView()->trialActivated(run);
        QLineEdit *filter = nullptr;
        for (QLineEdit *e : window.findChildren<QLineEdit *>())
            if (e->placeholderText() == "Filter runs (regex)") filter = e;
        QVERIFY(filter);
        filter->setText("mine");
        QVERIFY(!window.showingTrial());
        QVERIFY(window.selectTab("Tuning"));
        QCOMPARE(window.runFilter(), QString("mine"));
    }

    // Jobs started in the window are each listed once in the Profile tab (their saved
    // profiles, which the logdir's watcher finds, are theirs), the second does not take the
    // view from the first, and the two compare.
    void jobsProfiledThenCompared() {
        QTemporaryDir dir;
        MainWindow window;
        window.openLogdir(dir.path());
        QSignalSpy ended(&window, &MainWindow::jobEnded);
        const char *spec = R"({"name": "%1", "dataset": {"name": "synthetic", "limit": 400},
            "pipeline": {"map_workers": %2}, "model": {"hidden": [8]},
            "training": {"epochs": 1, "batch_size": 50}, "profile": {"skip_first": 1, "active": 4}})";
        const int first =
            window.startJob(JobSpec::fromJson(QString(spec).arg("one").arg(1).toStdString()));
        const int second =
            window.startJob(JobSpec::fromJson(QString(spec).arg("two").arg(2).toStdString()));
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, 60000);
        ProfileView *profile = window.profileView();
        QCOMPARE(profile->currentJob(), first);
        QTRY_COMPARE(window.runModel()->rowCount(), 2); // the watcher found both runs
        QCOMPARE(profile->jobCount(), 2);
        QSignalSpy shown(profile->compareView(), &ProfileCompareView::diffShown);
        profile->compare(first, second);
        QVERIFY(shown.wait(10000));
        QCOMPARE(profile->compareView()->diff()->steps.baseline, 4.0);
        QCOMPARE(profile->compareView()->diff()->stages[0].workers.candidate, 2.0);
    }

    // A TensorBoard logdir: every dashboard is a tab with its cards, confusion matrices read
    // from disk, and sessions selected in HParams become the runs the other tabs show.
    void everyDashboardOnALogdirFromDisk() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        dashtest::writeLogdir(root, {"alpha", "beta"});
        for (const char *run : {"alpha", "beta"}) {
            EventWriter w(root + "/" + run, EventWriterOptions{60, "session"});
            w.addHParamsSessionStart({{"lr", run[0] == 'a' ? 0.1 : 0.01}});
        }
        MainWindow window;
        window.openLogdir(dir.path());
        QTRY_VERIFY(window.isLoaded());
        for (const char *tab : {"Histograms", "Distributions", "Images", "Text", "HParams"})
            QVERIFY2(window.selectTab(tab), tab);
        QCOMPARE(window.histogramsView()->cards().size(), 4);
        QCOMPARE(window.distributionsView()->cards().size(), 4);
        QCOMPARE(window.imagesView()->cards().size(), 2);
        QCOMPARE(window.textView()->cards().size(), 2);
        QCOMPARE(window.confusionView()->matrixCount(), 1); // the first run's, from disk
        QCOMPARE(window.hparamsView()->model()->rowCount(), 2);

        window.hparamsView()->selectRuns({"beta"});
        QCOMPARE(window.visibleRuns().keys(), QStringList{"beta"});
        // A tab behind the one in front follows the run list when it comes to the front.
        QCOMPARE(window.histogramsView()->cards().size(), 4);
        QVERIFY(window.selectTab("Histograms"));
        QCOMPARE(window.histogramsView()->cards().size(), 2);
        QCOMPARE(window.hparamsView()->model()->rowCount(), 2); // it still lists both
        window.hparamsView()->selectRuns({});
        QCOMPARE(window.visibleRuns().size(), 2);
    }

    void showsRunsAndChartsLive() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        auto live = std::make_unique<EventWriter>(root + "/exp/a", EventWriterOptions{0.05, {}});
        for (int i = 0; i < 10; ++i) {
            live->addScalar("train/loss", i, 1.0 / (i + 1));
            live->addScalar("val/acc", i, i * 0.1);
        }
        {
            EventWriter b(root + "/exp/b");
            b.addScalar("train/loss", 0, 2.0);
            b.addScalar("lr", 0, 0.1);
        }
        live->flush();

        MainWindow window;
        window.resize(1200, 800);
        window.openLogdir(dir.path());
        window.show();
        QTRY_VERIFY(window.isLoaded());
        QCOMPARE(window.runModel()->runs(), QStringList({"exp/a", "exp/b"}));
        ScalarsView *view = window.scalarsView();
        QCOMPARE(view->groups(), QStringList({"lr", "train", "val"}));
        QVERIFY(view->chart("train/loss"));
        QCOMPARE(view->chart("train/loss")->runs(), QStringList({"exp/a", "exp/b"}));
        QCOMPARE(view->chart("train/loss")->pointCount("exp/a"), size_t(10));

        // Filtering runs hides their curves; a tag only they had loses its chart.
        window.setRunFilter("a$");
        QCOMPARE(window.visibleRuns().keys(), QStringList{"exp/a"});
        QCOMPARE(view->chart("train/loss")->runs(), QStringList{"exp/a"});
        QVERIFY(!view->chart("lr"));
        window.setRunFilter("");
        QVERIFY(view->chart("lr"));

        // A curve clicked selects its runs in the run list.
        emit view->runsClicked({"exp/b"});
        QCOMPARE(window.selectedRuns(), QStringList{"exp/b"});
        emit view->runsClicked({"exp/a", "exp/b"}); // a group's
        QCOMPARE(window.selectedRuns(), QStringList({"exp/a", "exp/b"}));

        // Unchecking a run hides it too.
        QVERIFY(window.runModel()->setData(window.runModel()->index(1), Qt::Unchecked,
                                           Qt::CheckStateRole));
        QVERIFY(!view->chart("lr"));

        // The run grows on disk: the chart follows.
        for (int i = 10; i < 25; ++i)
            live->addScalar("train/loss", i, 1.0 / (i + 1));
        live->flush();
        QTRY_COMPARE_WITH_TIMEOUT(view->chart("train/loss")->pointCount("exp/a"), size_t(25), 5000);

        // A new run appears.
        {
            EventWriter c(root + "/exp/c");
            c.addScalar("train/loss", 0, 3.0);
        }
        QTRY_COMPARE_WITH_TIMEOUT(window.runModel()->rowCount(), 3, 5000);

        const QImage shot = window.grab().toImage();
        QCOMPARE(shot.width(), window.width());
        QVERIFY(window.selectTab("scalars"));
        QVERIFY(!window.selectTab("no such tab"));
    }

    // Names that are not UTF-8, in a run folder and a tag: listed, charted, no crash.
    void namesThatAreNotUtf8() {
        QTemporaryDir dir;
        const std::string run = "bad_\xe9name", tag = "loss/\xff\xfe";
        {
            EventWriter w(dir.path().toStdString() + "/" + run);
            for (int i = 0; i < 5; ++i) {
                w.addScalar(tag, i, 1.0 / (i + 1));
                w.addScalar("acc", i, 0.1 * i);
            }
        }
        MainWindow window;
        window.openLogdir(dir.path());
        QTRY_VERIFY(window.isLoaded());
        QCOMPARE(window.runModel()->runs(), QStringList({fromName(run)}));
        ScalarChart *chart = window.scalarsView()->chart(fromName(tag));
        QVERIFY(chart);
        QCOMPARE(chart->pointCount(fromName(run)), size_t(5));
        QCOMPARE(window.scalarsView()->chart("acc")->pointCount(fromName(run)), size_t(5));
        QVERIFY(!chart->isHidden()); // the tag filter's regular expression matches it
        window.scalarsView()->setTagFilter("loss");
        QVERIFY(!chart->isHidden());
        window.scalarsView()->setTagFilter("");
        QVERIFY(!window.grab().isNull());
    }

    void tagFilterHidesCharts() {
        QTemporaryDir dir;
        {
            EventWriter w(dir.path().toStdString() + "/r");
            w.addScalar("train/loss", 0, 1);
            w.addScalar("train/acc", 0, 1);
        }
        MainWindow window;
        window.openLogdir(dir.path());
        QTRY_VERIFY(window.isLoaded());
        window.scalarsView()->setTagFilter("acc");
        QVERIFY(window.scalarsView()->chart("train/loss")->isHidden());
        QVERIFY(!window.scalarsView()->chart("train/acc")->isHidden());
    }

    void problemsAreShownNotFatal() {
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath("bad")));
        {
            std::ofstream(dir.filePath("bad/events.out.tfevents.1.x").toStdString())
                << "garbage garbage garbage garbage";
        }
        MainWindow window;
        window.openLogdir(dir.path());
        QTRY_VERIFY(window.isLoaded());
        QCOMPARE(window.problems().size(), 1);
        QVERIFY(window.problems()[0].contains("not an event file"));
        QVERIFY(window.problems()[0].contains("bad/events.out.tfevents.1.x"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
