#include "core/profile/profilediff.h"
#include "core/profile/tracefile.h"

#include <QtTest>
#include <cmath>
#include <nlohmann/json.hpp>

using namespace trainscope;

namespace {

constexpr int64_t kMs = 1'000'000;

// Four steps of `stepMs`, the first `inputMs` waiting for input and the rest host compute with
// two operators inside; one kernel a step; allocations up to `peakBytes`; one pipeline stage.
TraceFile profile(double stepMs, double inputMs, const char *op, const char *kernel,
                  int64_t peakBytes, StageStats stage) {
    TraceFile t;
    for (int i = 0; i < 4; ++i) {
        const int64_t at = int64_t(i * 100 * kMs), step = int64_t(stepMs * kMs),
                      input = int64_t(inputMs * kMs);
        t.events.push_back({"ProfilerStep#" + std::to_string(i), "step", at, step, 0, 1, {}});
        t.events.push_back({"input", "input", at, input, 0, 1, {}});
        t.events.push_back({"forward", "host_compute", at + input, step - input, 0, 1, {}});
        t.events.push_back({"aten::addmm", "cpu_op", at + input, 2 * kMs, 0, 1, {}});
        t.events.push_back({op, "cpu_op", at + input + 2 * kMs, 1 * kMs, 0, 1, {}});
        t.events.push_back({"gemm", "kernel", at + input, 1 * kMs, kGpuPidBase, 7, {}});
        t.events.push_back({kernel, "kernel", at + input + kMs, kMs / 2, kGpuPidBase, 7, {}});
    }
    t.memory.push_back({0, 0x10, peakBytes / 2, -1, -1, "cpu"});
    t.memory.push_back({kMs, 0x20, peakBytes / 2, -1, -1, "cpu"});
    t.memory.push_back({2 * kMs, 0x20, -peakBytes / 2, -1, -1, "cpu"});
    t.stages = {stage};
    return t;
}

const NameChange *find(const std::vector<NameChange> &rows, const std::string &name) {
    for (const NameChange &r : rows)
        if (r.name == name) return &r;
    return nullptr;
}

} // namespace

class TestProfileDiff : public QObject {
    Q_OBJECT
private slots:
    void theSlowRunAgainstItsFix() {
        const TraceFile slow =
            profile(20, 12, "aten::relu", "relu_kernel", 3000, {"preprocess", 4, 40, 1});
        const TraceFile fixed =
            profile(8, 1, "aten::gelu", "gelu_kernel", 1000, {"preprocess", 4, 64, 4});
        const ProfileDiff d =
            diffProfiles(profileFigures(slow, "slow"), profileFigures(fixed, "fixed"));
        QCOMPARE(d.baseline, std::string("slow"));
        QCOMPARE(d.steps.baseline, 4.0);
        QCOMPARE(d.meanStepMs.baseline, 20.0);
        QCOMPARE(d.meanStepMs.candidate, 8.0);
        QCOMPARE(d.speedup(), 2.5);
        const Change &input = d.categoryMs[size_t(TimeCategory::Input)];
        QCOMPARE(input.baseline, 12.0);
        QCOMPARE(input.candidate, 1.0);
        QCOMPARE(input.delta(), -11.0);
        QVERIFY(std::abs(input.percent() - (-100.0 * 11 / 12)) < 1e-9);
        QCOMPARE(d.baselineVerdict, InputVerdict::HighlyInputBound);
        QCOMPARE(d.candidateVerdict, InputVerdict::ModeratelyInputBound); // 1 of 8 ms: 12.5 %

        // The stage took more CPU time, summed over four workers, but less wall time a batch.
        QCOMPARE(d.stages.size(), size_t(1));
        QCOMPARE(d.stages[0].cpuMsPerBatch.baseline, 10.0);
        QCOMPARE(d.stages[0].cpuMsPerBatch.candidate, 16.0);
        QCOMPARE(d.stages[0].wallMsPerBatch.candidate, 4.0);
        QCOMPARE(d.stages[0].workers.candidate, 4.0);

        // Operators joined by name: one in both, one gone, one new; the largest |Δ| first.
        QCOMPARE(d.operators.size(), size_t(3));
        const NameChange *addmm = find(d.operators, "aten::addmm");
        QVERIFY(addmm && addmm->presence == Presence::Both);
        QCOMPARE(addmm->calls.baseline, 4.0);
        QCOMPARE(addmm->timeUs.delta(), 0.0);
        QVERIFY(std::abs(addmm->share.baseline - 2.0 / 3) < 1e-9);
        QCOMPARE(find(d.operators, "aten::relu")->presence, Presence::Vanished);
        QCOMPARE(find(d.operators, "aten::gelu")->presence, Presence::New);
        QVERIFY(std::isinf(find(d.operators, "aten::gelu")->timeUs.percent()));
        QCOMPARE(d.operators.back().name, std::string("aten::addmm")); // unchanged: last
        QCOMPARE(find(d.kernels, "gelu_kernel")->presence, Presence::New);
        QCOMPARE(find(d.kernels, "gemm")->timeUs.baseline, 4000.0);

        QCOMPARE(d.memory.size(), size_t(1));
        QCOMPARE(d.memory[0].device, std::string("cpu"));
        QCOMPARE(d.memory[0].peakBytes.baseline, 3000.0);
        QCOMPARE(d.memory[0].peakBytes.candidate, 1000.0);
        QCOMPARE(d.memory[0].allocations.baseline, 2.0);

        const std::string text = profileDiffText(d);
        QVERIFY2(text.find("mean step       20.00 → 8.00 ms (-12.00 ms, -60.0%): 2.50x faster") !=
                     std::string::npos,
                 text.c_str());
        QVERIFY(text.find("  input                12.000      1.000    -11.000   -91.7%\n") !=
                std::string::npos);
        QVERIFY(text.find("operators by |change in self time| (3 names: 1 new, 1 vanished)") !=
                std::string::npos);
        QVERIFY2(text.find("peak 2.9 KiB → 1000 B (-2.0 KiB), allocations 2 → 2") !=
                     std::string::npos,
                 text.c_str());

        const auto j = nlohmann::json::parse(profileDiffJson(d));
        QCOMPARE(j["speedup"].get<double>(), 2.5);
        QCOMPARE(j["mean_ms"]["input"]["delta"].get<double>(), -11.0);
        QCOMPARE(j["stages"][0]["wall_ms_per_batch"]["candidate"].get<double>(), 4.0);
        QCOMPARE(j["operators"].size(), size_t(3));
        bool sawNew = false;
        for (const auto &op : j["operators"])
            if (op["name"] == "aten::gelu") {
                sawNew = true;
                QCOMPARE(op["presence"].get<std::string>(), std::string("new"));
                QVERIFY(op["self_us"]["percent"].is_null()); // no baseline to be relative to
            }
        QVERIFY(sawNew);
    }

    void aProfileAgainstItselfChangesNothing() {
        const TraceFile t = profile(10, 3, "aten::relu", "k", 64, {"read", 4, 8, 2});
        const ProfileDiff d = diffProfiles(profileFigures(t, "a"), profileFigures(t, "a"));
        QCOMPARE(d.speedup(), 1.0);
        for (const NameChange &op : d.operators) {
            QCOMPARE(op.presence, Presence::Both);
            QCOMPARE(op.timeUs.delta(), 0.0);
        }
        for (const Change &c : d.categoryMs)
            QCOMPARE(c.percent(), 0.0);
    }

    // Profiles without steps (a trace of operators only) compare without dividing by zero.
    void emptyProfiles() {
        TraceFile none;
        none.events.push_back({"aten::mm", "cpu_op", 0, kMs, 0, 1, {}});
        const ProfileDiff d = diffProfiles(profileFigures(none, "a"), profileFigures({}, "b"));
        QCOMPARE(d.speedup(), 0.0);
        QCOMPARE(d.operators.size(), size_t(1));
        QCOMPARE(d.operators[0].presence, Presence::Vanished);
        const std::string text = profileDiffText(d);
        QVERIFY(text.find("faster") == std::string::npos);
        QVERIFY(!nlohmann::json::parse(profileDiffJson(d)).is_discarded());
    }
};

QTEST_APPLESS_MAIN(TestProfileDiff)
#include "tst_profilediff.moc"
