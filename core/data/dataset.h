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
    std::vector<std::string> vocabulary; // text_folder: the tokens, in index order
};

// Reads one IDX file (optionally gzip-compressed). Throws std::runtime_error naming the file
// and what is wrong (missing, truncated, not IDX, wrong type).
std::vector<uint8_t> readIdx(const std::string &path, std::vector<int64_t> &dims);

// Fashion-MNIST from `dir` (train-* and t10k-* files); pixels scaled to [0, 1].
DatasetSplits loadFashionMnist(const std::string &dir, size_t limit = 0);

// Gaussian blobs, one per class, in `dims` dimensions; reproducible from `seed`.
Dataset makeSynthetic(size_t examples, int classes, int dims, uint64_t seed);

// What a job spec asks for; throws std::runtime_error with the reason. `limit` keeps that many
// training examples of every kind (a seeded random subset of a folder's).
DatasetSplits loadDataset(const DatasetSpec &spec);

// A held-out folder of the kind `spec` names, read as the run that trained on `spec` read its
// data: images at its size, texts with its `vocabulary`; labels are indices into the run's
// `classNames` (a class the run never saw is std::runtime_error naming it). For
// fashion_mnist, `dir` holds t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.
Dataset loadTestSet(const DatasetSpec &spec, const std::string &dir,
                    const std::vector<std::string> &classNames,
                    const std::vector<std::string> &vocabulary);

} // namespace trainscope
