// Learning-rate schedules against the formulas of the libraries users know: PyTorch's StepLR,
// ExponentialLR and OneCycleLR, cosine decay with warm-up, Keras' ReduceLROnPlateau.
#include "core/train/learningrate.h"

#include <QtTest>
#include <cmath>

using namespace trainscope;

namespace {

ScheduleSpec schedule(const std::string &type) {
    ScheduleSpec s;
    s.type = type;
    return s;
}

} // namespace

class TestLearningRate : public QObject {
    Q_OBJECT
private slots:
    void stepAndExponentialMovePerEpoch() {
        ScheduleSpec step = schedule("step");
        step.stepEpochs = 2;
        step.gamma = 0.5;
        const LearningRateSchedule s(step, 0.1, 6, 10);
        QCOMPARE(s.rate(1, 0), 0.1);
        QCOMPARE(s.rate(2, 9), 0.1);
        QCOMPARE(s.rate(3, 0), 0.05);
        QCOMPARE(s.rate(5, 4), 0.025);
        ScheduleSpec exp = schedule("exponential");
        exp.gamma = 0.9;
        const LearningRateSchedule e(exp, 1.0, 5, 10);
        QCOMPARE(e.rate(1, 3), 1.0);
        QVERIFY(std::abs(e.rate(4, 0) - 0.729) < 1e-12);
        QCOMPARE(LearningRateSchedule(schedule("none"), 0.3, 5, 10).rate(5, 9), 0.3);
    }

    void cosineWarmsUpThenDecays() {
        ScheduleSpec c = schedule("cosine");
        c.warmupEpochs = 1;
        c.minLearningRate = 0.001;
        const LearningRateSchedule s(c, 0.1, 5, 100);
        QVERIFY(std::abs(s.rate(1, 0) - 0.001) < 1e-12); // (step 1 of 100) * 0.1
        QVERIFY(std::abs(s.rate(1, 49) - 0.05) < 1e-12);
        QVERIFY(std::abs(s.rate(2, 0) - 0.1) < 1e-12);                 // the peak, after warm-up
        QVERIFY(std::abs(s.rate(4, 0) - (0.001 + 0.099 / 2)) < 1e-12); // half way down
        QVERIFY(s.rate(5, 99) < 0.0012);
    }

    // torch.optim.lr_scheduler.OneCycleLR(max_lr=0.1, total_steps=100): its first, peak and
    // last rates (printed by Debian's python3-torch 1.13): 0.004, 0.1 at step 29, 4e-07.
    void oneCycleFollowsPyTorch() {
        const LearningRateSchedule s(schedule("one_cycle"), 0.1, 10, 10);
        QVERIFY(std::abs(s.rate(1, 0) - 0.004) < 1e-12);
        QVERIFY(std::abs(s.rate(3, 9) - 0.1) < 1e-12);
        QVERIFY(std::abs(s.rate(10, 9) - 4e-07) < 1e-15);
        QVERIFY(s.rate(2, 0) > s.rate(1, 5) && s.rate(6, 0) < s.rate(4, 0));
    }

    // Keras' ReduceLROnPlateau(factor=0.5, patience=2, cooldown=1, min_lr=0.02) on a loss that
    // stops improving after the second epoch.
    void plateauFollowsKeras() {
        ScheduleSpec p = schedule("reduce_on_plateau");
        p.factor = 0.5;
        p.patience = 2;
        p.cooldown = 1;
        p.minLearningRate = 0.02;
        LearningRateSchedule s(p, 0.1, 20, 10);
        const double losses[] = {1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95};
        std::vector<double> rates;
        for (double loss : losses) {
            s.epochEnded(loss);
            rates.push_back(s.rate(2, 0));
        }
        // Two epochs without improvement: halved. Keras ends the cooldown before counting the
        // same epoch, so the next cut comes two epochs later; then the floor.
        const std::vector<double> expected = {0.1,   0.1,   0.1,  0.05, 0.05,
                                              0.025, 0.025, 0.02, 0.02, 0.02};
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(std::abs(rates[i] - expected[i]) < 1e-12,
                     qPrintable(QString("epoch %1: %2").arg(i + 1).arg(rates[i])));
        QVERIFY(!s.epochEnded(std::nullopt)); // no validation figure: nothing changes
        ScheduleSpec acc = p;
        acc.monitor = "val/accuracy"; // mode auto: higher is better
        LearningRateSchedule a(acc, 0.1, 20, 10);
        a.epochEnded(0.5);
        a.epochEnded(0.6);
        a.epochEnded(0.7);
        QCOMPARE(a.rate(1, 0), 0.1);
    }
};

QTEST_APPLESS_MAIN(TestLearningRate)
#include "tst_learningrate.moc"
