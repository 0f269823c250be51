#include "demo.h"

#include "events/eventwriter.h"

#include <chrono>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

namespace trainscope {

DemoRuns::DemoRuns(std::string logdir)
    : m_logdir(std::move(logdir)) {}

DemoRuns::~DemoRuns() {
    stop();
}

void DemoRuns::start(double seconds) {
    stop();
    m_stop = false;
    if (seconds <= 0)
        write(0);
    else
        m_thread = std::thread([this, seconds] { write(seconds); });
}

void DemoRuns::stop() {
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
}

void DemoRuns::write(double seconds) {
    struct Run {
        const char *name;
        double lr;
        std::unique_ptr<EventWriter> writer;
    };
    std::vector<Run> runs;
    for (auto [name, lr] : {std::pair{"lr_0.1", 0.1}, {"lr_0.03", 0.03}, {"lr_0.01", 0.01}})
        runs.push_back(
            {name, lr,
             std::make_unique<EventWriter>(m_logdir + "/" + name, EventWriterOptions{0.5, {}})});
    const double start = EventWriter::now();
    for (auto &r : runs) {
        r.writer->addHParamsSessionStart(
            {{"learning_rate", r.lr}, {"optimizer", std::string("adam")}});
    }
    std::mt19937 rng(42);
    std::normal_distribution<double> noise(0, 1);
    const auto tick = std::chrono::duration<double>(seconds / kSteps * 50);
    for (int step = 0; step < kSteps && !m_stop; ++step) {
        const double wall = start + step * 0.05;
        for (auto &r : runs) {
            // A loss that falls faster with a larger learning rate, then plateaus noisily.
            const double progress = 1 - std::exp(-step * r.lr / 40);
            const double loss =
                2.3 * (1 - 0.85 * progress) + 0.08 * std::abs(noise(rng)) + 0.02 * noise(rng);
            EventWriter &w = *r.writer;
            w.addScalar("train/loss", step, loss, wall);
            w.addScalar("train/accuracy", step,
                        std::min(1.0, 0.1 + 0.8 * progress + 0.02 * noise(rng)), wall);
            w.addScalar("learning_rate", step, r.lr * (0.5 + 0.5 * std::cos(M_PI * step / kSteps)),
                        wall);
            if (step % 100 == 99) {
                w.addScalar("val/loss", step, loss * 1.08 + 0.01 * noise(rng), wall);
                w.addScalar("val/accuracy", step, std::min(1.0, 0.1 + 0.76 * progress), wall);
                std::vector<double> weights(512);
                for (auto &x : weights)
                    x = noise(rng) * (0.05 + 0.1 * progress);
                w.addHistogram("weights/dense", step, weights, 30, wall);
            }
        }
        if (seconds > 0 && step % 50 == 49) std::this_thread::sleep_for(tick);
    }
    for (auto &r : runs)
        r.writer->addHParamsSessionEnd(m_stop ? 3 : 1);
}

} // namespace trainscope
