#include "widgets/bridge.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>
#include <thread>

using namespace trainscope;

class TestBridge : public QObject {
    Q_OBJECT
private slots:
    void callsFromWorkerThreadsArriveOnTheGuiThread() {
        Bridge bridge;
        QThread *gui = QThread::currentThread();
        QThread *seenOn = nullptr;
        connect(&bridge, &Bridge::stateChanged, this,
                [&](int, JobState, const QString &) { seenOn = QThread::currentThread(); });
        QSignalSpy states(&bridge, &Bridge::stateChanged);
        QSignalSpy epochs(&bridge, &Bridge::epochFinished);
        std::thread worker([&] {
            bridge.onState(7, JobState::Running, "/runs/job7");
            EpochResult e;
            e.jobId = 7;
            e.epoch = 1;
            e.valAccuracy = 0.875;
            bridge.onEpoch(e);
            e.epoch = 2;
            bridge.onEpoch(e);
            bridge.onState(7, JobState::Completed, "");
        });
        worker.join();
        QCOMPARE(states.count(), 0); // nothing is emitted on the worker thread
        QVERIFY(states.wait(2000));
        QCOMPARE(seenOn, gui);
        QCOMPARE(states.count(), 2); // every state is kept, in order
        QCOMPARE(states[0][0].toInt(), 7);
        QCOMPARE(states[0][1].value<JobState>(), JobState::Running);
        QCOMPARE(states[0][2].toString(), QString("/runs/job7"));
        QCOMPARE(states[1][1].value<JobState>(), JobState::Completed);
        QCOMPARE(epochs.count(), 2);
        QCOMPARE(epochs[1][0].value<EpochResult>().epoch, 2);
        QCOMPARE(epochs[0][0].value<EpochResult>().valAccuracy, 0.875);
        QCOMPARE(bridge.pendingCount(), 0);
    }

    void onlyTheLatestProgressPerJob() {
        Bridge bridge;
        QSignalSpy progress(&bridge, &Bridge::progressed);
        std::thread a([&] {
            for (int i = 1; i <= 1000; ++i) {
                JobProgress p;
                p.jobId = 1;
                p.step = i;
                bridge.onProgress(p);
            }
        });
        std::thread b([&] {
            for (int i = 1; i <= 500; ++i) {
                JobProgress p;
                p.jobId = 2;
                p.step = i;
                p.loss = 1.0 / i;
                bridge.onProgress(p);
            }
        });
        a.join();
        b.join();
        QCOMPARE(bridge.pendingCount(), 2);
        QVERIFY(progress.wait(2000));
        QCOMPARE(progress.count(), 2);
        QMap<int, JobProgress> last;
        for (const auto &args : progress)
            last[args[0].value<JobProgress>().jobId] = args[0].value<JobProgress>();
        QCOMPARE(last[1].step, 1000);
        QCOMPARE(last[2].step, 500);
        QCOMPARE(last[2].loss, 1.0 / 500);
    }

    void stepsProfilesAndMatricesAreKept() {
        Bridge bridge;
        QSignalSpy steps(&bridge, &Bridge::stepsProfiled);
        QSignalSpy profiles(&bridge, &Bridge::profileUpdated);
        QSignalSpy matrices(&bridge, &Bridge::confusionUpdated);
        std::thread worker([&] {
            for (int batch = 0; batch < 3; ++batch) {
                std::vector<StepStats> s(2);
                s[0].step = 2 * batch;
                s[1].step = 2 * batch + 1;
                s[1].ms[size_t(TimeCategory::Input)] = 4.5;
                bridge.onSteps(3, s);
            }
            ProfileSummary first, second;
            first.meanStepMs = 10;
            second.meanStepMs = 12;
            second.verdict = InputVerdict::HighlyInputBound;
            bridge.onProfile(3, first);
            bridge.onProfile(3, second);
            ConfusionMatrix m;
            m.jobId = 3;
            m.classNames = {"a", "b"};
            m.counts = {5, 1, 2, 7};
            bridge.onConfusion(m);
            m.epoch = 1;
            bridge.onConfusion(m);
        });
        worker.join();
        bridge.flush();             // synchronous drain
        QCOMPARE(steps.count(), 1); // consecutive batches merged, none lost
        const auto all = steps[0][1].value<QVector<StepStats>>();
        QCOMPARE(all.size(), 6);
        QCOMPARE(all[5].step, 5);
        QCOMPARE(all[5].of(TimeCategory::Input), 4.5);
        QCOMPARE(profiles.count(), 1);
        QCOMPARE(profiles[0][1].value<ProfileSummary>().meanStepMs, 12.0);
        QCOMPARE(profiles[0][1].value<ProfileSummary>().verdict, InputVerdict::HighlyInputBound);
        QCOMPARE(matrices.count(), 2);
        QCOMPARE(matrices[1][0].value<ConfusionMatrix>().at(1, 1), 7);
        QCOMPARE(matrices[1][0].value<ConfusionMatrix>().epoch, 1);
    }

    void emitsAtMostOncePerInterval() {
        Bridge bridge(nullptr, 40);
        QSignalSpy progress(&bridge, &Bridge::progressed);
        std::atomic<bool> stop{false};
        std::thread worker([&] {
            JobProgress p;
            p.jobId = 1;
            while (!stop) {
                ++p.step;
                bridge.onProgress(p);
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
        });
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 500)
            QTest::qWait(5);
        stop = true;
        worker.join();
        const qint64 elapsed = clock.elapsed();
        // About 2,500 reports in 0.5 s become at most one signal per 40 ms.
        QVERIFY2(progress.count() >= 3, qPrintable(QString::number(progress.count())));
        QVERIFY2(progress.count() <= elapsed / 40 + 1,
                 qPrintable(QString::number(progress.count())));
    }
    void sweepsDeliverTheLatestTrialOnTheGuiThread() {
        Bridge bridge;
        QSignalSpy trialsSpy(&bridge, &Bridge::trialUpdated);
        QSignalSpy messages(&bridge, &Bridge::sweepMessage);
        QSignalSpy ends(&bridge, &Bridge::sweepEnded);
        QThread *gui = QThread::currentThread();
        QThread *seenOn = nullptr;
        connect(&bridge, &Bridge::trialUpdated, this,
                [&](int, const Trial &) { seenOn = QThread::currentThread(); });
        auto trial = [](int id, TrialStatus status, int epochs) {
            Trial t;
            t.id = id;
            t.status = status;
            t.values.assign(size_t(epochs), 0.5);
            return t;
        };
        std::thread worker([&] {
            for (int epoch = 1; epoch <= 50; ++epoch) {
                bridge.onTrial(7, trial(1, TrialStatus::Running, epoch));
                bridge.onTrial(7, trial(2, TrialStatus::Running, 0));
                bridge.onTrial(8, trial(1, TrialStatus::Running, epoch)); // another sweep
            }
            bridge.onTrial(7, trial(1, TrialStatus::Completed, 50));
            bridge.onSweepMessage(7, "trial 3 failed: out of memory");
            bridge.onSweepMessage(7, "max_trials reached");
            bridge.onSweepEnd(7, "max_trials reached");
        });
        worker.join();
        QCOMPARE(trialsSpy.count(), 0); // nothing is emitted on the worker thread
        QCOMPARE(bridge.pendingCount(), 6);
        QVERIFY(ends.wait(2000));
        QCOMPARE(seenOn, gui);
        QCOMPARE(trialsSpy.count(), 3); // one per sweep and trial id, the latest state
        QCOMPARE(trialsSpy[0][0].toInt(), 7);
        QCOMPARE(trialsSpy[0][1].value<Trial>().id, 1);
        QCOMPARE(trialsSpy[0][1].value<Trial>().status, TrialStatus::Completed);
        QCOMPARE(trialsSpy[1][1].value<Trial>().id, 2);
        QCOMPARE(trialsSpy[2][0].toInt(), 8);
        QCOMPARE(trialsSpy[2][1].value<Trial>().values.size(), size_t(50));
        QCOMPARE(messages.count(), 2); // every message, in order
        QCOMPARE(messages[1][1].toString(), QString("max_trials reached"));
        QCOMPARE(ends.count(), 1);
        QCOMPARE(ends[0][0].toInt(), 7);
        QCOMPARE(bridge.pendingCount(), 0);
    }
};

QTEST_MAIN(TestBridge)
#include "tst_bridge.moc"
