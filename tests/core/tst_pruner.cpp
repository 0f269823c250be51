#include "core/jobs/jobspec.h"
#include "core/tune/oracle.h"

#include <QtTest>
#include <set>

using namespace trainscope;

namespace {
Trial withValues(int id, std::vector<double> values, TrialStatus status = TrialStatus::Running) {
    Trial t;
    t.id = id;
    t.status = status;
    t.values = std::move(values);
    return t;
}

} // namespace

class TestPruner : public QObject {
    Q_OBJECT

private slots:
    void medianPruner() {
        PrunerSpec spec;
        spec.type = "median";
        spec.warmupEpochs = 1;
        spec.minTrials = 3;
        const Objective max{"val/accuracy", true}, min{"val/loss", false};
        const std::vector<Trial> others = {
            withValues(1, {0.4, 0.5}, TrialStatus::Completed),
            withValues(2, {0.5, 0.6}, TrialStatus::Pruned),
            withValues(3, {0.6, 0.7, 0.8}),
            withValues(4, {0.1}),                           // did not reach epoch 2
            withValues(5, {0.0, 0.0}, TrialStatus::Failed), // left out
        };
        // At epoch 2 the median of 0.5, 0.6, 0.7 is 0.6.
        QVERIFY(shouldPrune(spec, max, withValues(9, {0.9, 0.55}), others));
        QVERIFY(!shouldPrune(spec, max, withValues(9, {0.9, 0.65}), others));
        QVERIFY(!shouldPrune(spec, max, withValues(9, {0.9, 0.6}), others)); // ties go on
        QVERIFY(!shouldPrune(spec, min, withValues(9, {0.9, 0.55}), others));
        QVERIFY(shouldPrune(spec, min, withValues(9, {0.9, 0.65}), others));
        // At epoch 1 four trials count (0.0 failed is out): median (0.4 + 0.5) / 2.
        QVERIFY(shouldPrune(spec, max, withValues(9, {0.44}), others));
        QVERIFY(!shouldPrune(spec, max, withValues(9, {0.46}), others));
        // Too few trials reached the epoch: go on; the trial itself does not count.
        spec.minTrials = 4;
        QVERIFY(!shouldPrune(spec, max, withValues(9, {0.9, 0.1}), others));
        std::vector<Trial> withSelf = others;
        withSelf.push_back(withValues(9, {0.9, 0.1}));
        QVERIFY(!shouldPrune(spec, max, withSelf.back(), withSelf));
        withSelf.push_back(withValues(10, {0.9, 0.9}));
        QVERIFY(shouldPrune(spec, max, withSelf[withSelf.size() - 2], withSelf));
        spec.minTrials = 3;
        // Within the warm-up: go on.
        spec.warmupEpochs = 3;
        QVERIFY(!shouldPrune(spec, max, withValues(9, {0.9, 0.1}), others));
        spec.warmupEpochs = 1;
        // A diverged trial stops.
        QVERIFY(shouldPrune(spec, max, withValues(9, {0.9, std::nan("")}), {}));
        QVERIFY(!shouldPrune(PrunerSpec{}, max, withValues(9, {0.9, 0.0}), others)); // "none"
        QVERIFY(!shouldPrune(spec, max, withValues(9, {}), others));
    }

    void ashaPruner() {
        PrunerSpec spec;
        spec.type = "asha";
        spec.warmupEpochs = 1;
        spec.reductionFactor = 3; // rungs at epochs 1, 3, 9
        const Objective max{"val/accuracy", true}, min{"val/loss", false};
        std::vector<Trial> others;
        for (int i = 1; i <= 5; ++i) // 0.1 .. 0.5 at each epoch
            others.push_back(withValues(i, std::vector<double>(9, 0.1 * i)));
        // Six trials reach rung 1 with this one: the best 6 / 3 = 2 go on.
        QVERIFY(!shouldPrune(spec, max, withValues(9, {0.45}), others));
        QVERIFY(shouldPrune(spec, max, withValues(9, {0.35}), others));
        QVERIFY(!shouldPrune(spec, min, withValues(9, {0.15}), others));
        QVERIFY(shouldPrune(spec, min, withValues(9, {0.25}), others));
        // Epoch 2 is no rung; epoch 3 is.
        QVERIFY(!shouldPrune(spec, max, withValues(9, {0.5, 0.0}), others));
        QVERIFY(shouldPrune(spec, max, withValues(9, {0.5, 0.5, 0.35}), others));
        QVERIFY(!shouldPrune(spec, max, withValues(9, {0.5, 0.5, 0.45}), others));
        QVERIFY(shouldPrune(spec, max, withValues(9, std::vector<double>(9, 0.45)),
                            {others[4], withValues(6, std::vector<double>(9, 0.9))}));
        // Fewer than r trials at a rung: only the best goes on; alone, it always does.
        QVERIFY(shouldPrune(spec, max, withValues(9, {0.45}), {others[4]}));
        QVERIFY(!shouldPrune(spec, max, withValues(9, {0.55}), {others[4]}));
        QVERIFY(!shouldPrune(spec, max, withValues(9, {0.0}), {}));
        // Warm-up moves the rungs: 2, 6, 18.
        spec.warmupEpochs = 2;
        QVERIFY(!shouldPrune(spec, max, withValues(9, {0.0}), others));
        QVERIFY(shouldPrune(spec, max, withValues(9, {0.0, 0.0}), others));
    }
};

QTEST_APPLESS_MAIN(TestPruner)
#include "tst_pruner.moc"
