// A labelled dataset held in memory as float features, plus the loaders that fill one:
// Fashion-MNIST from its IDX files (gzip) and a seeded synthetic set for tests.
#pragma once

#include "core/jobs/jobspec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace trainscope {

struct Dataset {
    std::string name;
    std::vector<int64_t> shape; // of one example, e.g. {1, 28, 28}
    std::vector<std::string> classNames;
    std::vector<float> features; // size() * exampleSize(), row-major
    std::vector<int64_t> labels;
    int vocabularySize = 0; // text in "int" mode: features are token indices below this

    size_t size() const { return labels.size(); }
    size_t exampleSize() const;
    const float *example(size_t i) const { return features.data() + i * exampleSize(); }
};

struct DatasetSplits {
    Dataset train, validation;
};

// Reads one IDX file (optionally gzip-compressed). Throws std::runtime_error naming the file
// and what is wrong (missing, truncated, not IDX, wrong type).
std::vector<uint8_t> readIdx(const std::string &path, std::vector<int64_t> &dims);

// Fashion-MNIST from `dir` (train-* and t10k-* files); pixels scaled to [0, 1].
DatasetSplits loadFashionMnist(const std::string &dir, size_t limit = 0);

// Gaussian blobs, one per class, in `dims` dimensions; reproducible from `seed`.
Dataset makeSynthetic(size_t examples, int classes, int dims, uint64_t seed);

// What a job spec asks for; throws std::runtime_error with the reason.
DatasetSplits loadDataset(const DatasetSpec &spec);

} // namespace trainscope
