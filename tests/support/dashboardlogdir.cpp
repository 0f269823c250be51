#include "tests/support/dashboardlogdir.h"

#include "core/events/eventwriter.h"
#include "core/events/pngencoder.h"

namespace dashtest {

std::string textAt(int step) {
    return "**step " + std::to_string(step) + "**\n\n| metric | value |\n| --- | --- |\n| loss | " +
           std::to_string(1.0 / (step + 1)).substr(0, 4) + " |\n";
}

void writeLogdir(const std::string &root, const std::vector<std::string> &runs, const Sizes &z) {
    using namespace trainscope;
    for (const std::string &run : runs) {
        EventWriter w(root + "/" + run, EventWriterOptions{60, "fixture"});
        for (int s = 0; s < z.histogramSteps; ++s) {
            w.addScalar("train/loss", s, 1.0 / (s + 1), 1000 + s);
            for (int t = 0; t < z.histogramTags; ++t) {
                std::vector<double> values;
                const double centre = s / 10.0 + t;
                for (int i = 0; i < z.valuesPerHistogram; ++i)
                    values.push_back(centre - 1 + 2.0 * i / (z.valuesPerHistogram - 1));
                w.addHistogram("weights/layer" + std::to_string(t), s, values, 30, 1000 + s);
            }
        }
        for (int s = 0; s < z.imageSteps; ++s) {
            TensorValue t;
            t.strings = {std::to_string(z.imageSide), std::to_string(z.imageSide)};
            for (int k = 0; k < z.samplesPerStep; ++k)
                t.strings.push_back(
                    encodePng(z.imageSide, z.imageSide,
                              std::vector<uint8_t>(size_t(z.imageSide * z.imageSide * 3),
                                                   uint8_t(40 * k + s))));
            w.addTensor("samples/inputs", s, t, "images", 1000 + s);
        }
        for (int s = 0; s < z.textSteps; ++s) {
            TensorValue t;
            t.strings = {textAt(s)};
            w.addTensor("notes/summary", s, t, "text", 1000 + s);
        }
        TensorValue cm;
        cm.shape = {2, 2};
        cm.values = {8, 2, 1, 9};
        w.addTensor("val/confusion_matrix", 1, cm, "confusion_matrix", 1000);
        w.close();
    }
}

} // namespace dashtest
