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

void brightness(float *x, const Geometry &g, double delta) {
    const int64_t total = g.channels * g.height * g.width;
    for (int64_t i = 0; i < total; ++i)
        x[i] += float(delta);
}

// (x - mean) * factor + mean, per channel, as tf.image.adjust_contrast.
void contrast(float *x, const Geometry &g, double factor) {
    const int64_t plane = g.height * g.width;
    for (int64_t c = 0; c < g.channels; ++c) {
        float *p = x + c * plane;
        double sum = 0;
        for (int64_t i = 0; i < plane; ++i)
            sum += p[i];
        const auto mean = float(sum / double(plane));
        for (int64_t i = 0; i < plane; ++i)
            p[i] = (p[i] - mean) * float(factor) + mean;
    }
}

// Blends each pixel with its grey value (factor 0: grey, 1: unchanged); RGB only.
void saturation(float *x, const Geometry &g, double factor) {
    if (g.channels != 3) return;
    const int64_t plane = g.height * g.width;
    float *r = x, *gr = x + plane, *b = x + 2 * plane;
    for (int64_t i = 0; i < plane; ++i) {
        const float grey = 0.299f * r[i] + 0.587f * gr[i] + 0.114f * b[i];
        r[i] = grey + float(factor) * (r[i] - grey);
        gr[i] = grey + float(factor) * (gr[i] - grey);
        b[i] = grey + float(factor) * (b[i] - grey);
    }
}

// Rotates each pixel's hue by `turns` (RGB to HSV and back); RGB only.
void hue(float *x, const Geometry &g, double turns) {
    if (g.channels != 3) return;
    const int64_t plane = g.height * g.width;
    float *ch[3] = {x, x + plane, x + 2 * plane};
    for (int64_t i = 0; i < plane; ++i) {
        const double r = ch[0][i], gr = ch[1][i], b = ch[2][i];
        const double v = std::max({r, gr, b}), m = std::min({r, gr, b}), d = v - m;
        if (d <= 0) continue; // grey: no hue to turn
        double h = v == r ? (gr - b) / d : v == gr ? 2 + (b - r) / d : 4 + (r - gr) / d;
        h = std::fmod(h / 6 + turns + 2, 1.0) * 6;
        const int sector = int(h) % 6;
        const double f = h - std::floor(h), p = m, q = v - d * f, t = m + d * f;
        const double rgb[6][3] = {{v, t, p}, {q, v, p}, {p, v, t}, {p, q, v}, {t, p, v}, {v, p, q}};
        for (int c = 0; c < 3; ++c)
            ch[c][i] = float(rgb[sector][c]);
    }
}

// The central `fraction` of height and width, as tf.image.central_crop.
std::vector<int64_t> centralCrop(std::vector<float> &x, const Geometry &g, double fraction,
                                 std::vector<float> &scratch) {
    const auto top = int64_t((double(g.height) - double(g.height) * fraction) / 2);
    const auto left = int64_t((double(g.width) - double(g.width) * fraction) / 2);
    const int64_t h = g.height - 2 * top, w = g.width - 2 * left;
    scratch.resize(size_t(g.channels * h * w));
    for (int64_t c = 0; c < g.channels; ++c)
        for (int64_t r = 0; r < h; ++r)
            std::copy_n(x.data() + (c * g.height + r + top) * g.width + left, w,
                        scratch.data() + (c * h + r) * w);
    x.swap(scratch);
    return {g.channels, h, w};
}

// Bilinear, with half-pixel centres (tf.image.resize's and PyTorch's align_corners=False).
std::vector<int64_t> resize(std::vector<float> &x, const Geometry &g, int64_t h, int64_t w,
                            std::vector<float> &scratch) {
    scratch.resize(size_t(g.channels * h * w));
    const double sy = double(g.height) / double(h), sx = double(g.width) / double(w);
    for (int64_t r = 0; r < h; ++r) {
        const double y = std::clamp((double(r) + 0.5) * sy - 0.5, 0.0, double(g.height - 1));
        const auto y0 = int64_t(y);
        const int64_t y1 = std::min(y0 + 1, g.height - 1);
        const auto fy = float(y - double(y0));
        for (int64_t col = 0; col < w; ++col) {
            const double xx = std::clamp((double(col) + 0.5) * sx - 0.5, 0.0, double(g.width - 1));
            const auto x0 = int64_t(xx);
            const int64_t x1 = std::min(x0 + 1, g.width - 1);
            const auto fx = float(xx - double(x0));
            for (int64_t c = 0; c < g.channels; ++c) {
                const float *p = x.data() + c * g.height * g.width;
                const float top = p[y0 * g.width + x0] * (1 - fx) + p[y0 * g.width + x1] * fx;
                const float bottom = p[y1 * g.width + x0] * (1 - fx) + p[y1 * g.width + x1] * fx;
                scratch[size_t((c * h + r) * w + col)] = top * (1 - fy) + bottom * fy;
            }
        }
    }
    x.swap(scratch);
    return {g.channels, h, w};
}

} // namespace

bool changesShape(const AugmentOp &op) {
    return op.op == "central_crop" || op.op == "resize";
}

std::vector<int64_t> transformedShape(std::vector<int64_t> shape,
                                      const std::vector<AugmentOp> &ops) {
    for (const AugmentOp &op : ops) {
        if (!changesShape(op) || shape.size() < 2) continue;
        const Geometry g = geometryOf(shape);
        if (op.op == "resize") {
            shape = {g.channels, op.size.at(0), op.size.at(1)};
        } else {
            const auto top = int64_t((double(g.height) - double(g.height) * op.amount) / 2);
            const auto left = int64_t((double(g.width) - double(g.width) * op.amount) / 2);
            shape = {g.channels, g.height - 2 * top, g.width - 2 * left};
        }
    }
    return shape;
}

void applyPreprocess(const AugmentOp &op, std::vector<float> &example, std::vector<int64_t> &shape,
                     std::vector<float> &scratch) {
    if (!changesShape(op)) {
        std::mt19937_64 none(0);
        applyTransform(op, example.data(), shape, none, scratch, false);
        return;
    }
    if (shape.size() < 2) return; // not an image
    const Geometry g = geometryOf(shape);
    shape = op.op == "resize" ? resize(example, g, op.size.at(0), op.size.at(1), scratch)
                              : centralCrop(example, g, op.amount, scratch);
}

void applyTransform(const AugmentOp &op, float *example, const std::vector<int64_t> &shape,
                    std::mt19937_64 &rng, std::vector<float> &scratch, bool random) {
    const Geometry g = geometryOf(shape);
    // The photometric ops draw their amount when they augment.
    auto spread = [&](double lo, double hi) {
        return std::uniform_real_distribution<double>(lo, hi)(rng);
    };
    if (op.op == "brightness") {
        brightness(example, g, random ? spread(-op.amount, op.amount) : op.amount);
        return;
    }
    if (op.op == "contrast" || op.op == "saturation") {
        const double factor = random ? spread(1 - op.amount, 1 + op.amount) : op.amount;
        (op.op == "contrast" ? contrast : saturation)(example, g, factor);
        return;
    }
    if (op.op == "hue") {
        hue(example, g, random ? spread(-op.amount, op.amount) : op.amount);
        return;
    }
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
