// A logdir with something for every dashboard, written with Trainscope's own EventWriter:
// per run, weight histograms drifting over steps, an image tag with several samples a step
// (the images plugin's tensor form), a Markdown text tag, a confusion matrix and a loss.
#pragma once

#include <string>
#include <vector>

namespace dashtest {

struct Sizes {
    int histogramTags = 2;
    int histogramSteps = 20;
    int valuesPerHistogram = 500;
    int imageSteps = 5;
    int samplesPerStep = 3;
    int imageSide = 8;
    int textSteps = 3;
};

// Runs under `root`, named as given. Histogram tag t at step s holds values spread evenly over
// [s/10 + t - 1, s/10 + t + 1]; image sample k of step s is a grey square of level 40*k + s.
void writeLogdir(const std::string &root, const std::vector<std::string> &runs,
                 const Sizes &sizes = {});

// The Markdown text the fixture writes at `step`.
std::string textAt(int step);

} // namespace dashtest
