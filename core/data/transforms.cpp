#include "core/data/transforms.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace trainscope {
namespace {

struct Geometry {
    int64_t channels = 1, height = 1, width = 1;
};

Geometry geometryOf(const std::vector<int64_t> &shape) {
    if (shape.size() == 3) return {shape[0], shape[1], shape[2]};
    if (shape.size() == 2) return {1, shape[0], shape[1]};
    int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return {1, 1, n};
}

void flip(float *x, const Geometry &g) {
    for (int64_t c = 0; c < g.channels; ++c)
        for (int64_t r = 0; r < g.height; ++r) {
            float *row = x + (c * g.height + r) * g.width;
            std::reverse(row, row + g.width);
        }
}

// Zero-pads by `pad` and takes a random window of the original size.
void crop(float *x, const Geometry &g, int pad, std::mt19937_64 &rng, std::vector<float> &scratch) {
    if (pad <= 0 || g.height == 1) return;
    std::uniform_int_distribution<int> shift(-pad, pad);
    const int dy = shift(rng), dx = shift(rng);
    scratch.assign(x, x + g.channels * g.height * g.width);
    for (int64_t c = 0; c < g.channels; ++c)
        for (int64_t r = 0; r < g.height; ++r)
            for (int64_t col = 0; col < g.width; ++col) {
                const int64_t sr = r + dy, sc = col + dx;
                const bool inside = sr >= 0 && sr < g.height && sc >= 0 && sc < g.width;
                x[(c * g.height + r) * g.width + col] =
                    inside ? scratch[size_t((c * g.height + sr) * g.width + sc)] : 0.f;
            }
}

void noise(float *x, const Geometry &g, double stddev, std::mt19937_64 &rng) {
    std::normal_distribution<float> n(0.f, float(stddev));
    const int64_t total = g.channels * g.height * g.width;
    for (int64_t i = 0; i < total; ++i)
        x[i] += n(rng);
}

// A Gaussian blur with a full (2r+1)^2 kernel: deliberately the direct, costly form.
void blur(float *x, const Geometry &g, int radius, std::vector<float> &scratch) {
    if (radius <= 0) return;
    const int size = 2 * radius + 1;
    std::vector<float> kernel(size_t(size * size));
    const double sigma = std::max(0.5, radius / 2.0);
    double sum = 0;
    for (int i = -radius; i <= radius; ++i)
        for (int j = -radius; j <= radius; ++j)
            sum += kernel[size_t((i + radius) * size + j + radius)] =
                float(std::exp(-(i * i + j * j) / (2 * sigma * sigma)));
    for (float &k : kernel)
        k = float(k / sum);
    scratch.assign(x, x + g.channels * g.height * g.width);
    for (int64_t c = 0; c < g.channels; ++c)
        for (int64_t r = 0; r < g.height; ++r)
            for (int64_t col = 0; col < g.width; ++col) {
                float acc = 0;
                for (int i = -radius; i <= radius; ++i) {
                    const int64_t sr = std::clamp<int64_t>(r + i, 0, g.height - 1);
                    for (int j = -radius; j <= radius; ++j) {
                        const int64_t sc = std::clamp<int64_t>(col + j, 0, g.width - 1);
                        acc += kernel[size_t((i + radius) * size + j + radius)] *
                               scratch[size_t((c * g.height + sr) * g.width + sc)];
                    }
                }
                x[(c * g.height + r) * g.width + col] = acc;
            }
}

} // namespace

void applyTransform(const AugmentOp &op, float *example, const std::vector<int64_t> &shape,
                    std::mt19937_64 &rng, std::vector<float> &scratch) {
    const Geometry g = geometryOf(shape);
    if (op.op == "flip") {
        if (g.width > 1 && g.height > 1 && (rng() & 1)) flip(example, g);
    } else if (op.op == "crop") {
        crop(example, g, int(op.amount), rng, scratch);
    } else if (op.op == "noise") {
        noise(example, g, op.amount, rng);
    } else if (op.op == "blur") {
        if (g.height > 1) blur(example, g, int(op.amount), scratch);
    }
}

} // namespace trainscope
