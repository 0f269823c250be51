#include "core/data/dataset.h"

#include "core/data/folders.h"
#include "core/io/inflationguard.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <stdexcept>
#include <zlib.h>

namespace trainscope {

size_t Dataset::exampleSize() const {
    size_t n = 1;
    for (int64_t d : shape)
        n *= size_t(d);
    return n;
}

std::vector<uint8_t> readIdx(const std::string &path, std::vector<int64_t> &dims) {
    gzFile file = gzopen(path.c_str(), "rb"); // reads plain files too
    if (!file) throw std::runtime_error(path + ": cannot open");
    auto fail = [&](const std::string &why) {
        gzclose(file);
        return std::runtime_error(path + ": " + why);
    };
    unsigned char magic[4];
    if (gzread(file, magic, 4) != 4) throw fail("truncated: no IDX header");
    if (magic[0] != 0 || magic[1] != 0) throw fail("not an IDX file (bad magic number)");
    if (magic[2] != 0x08)
        throw fail("IDX element type " + std::to_string(magic[2]) + " is not unsigned byte");
    const int rank = magic[3];
    if (rank < 1 || rank > 4) throw fail("IDX rank " + std::to_string(rank) + " is not 1 to 4");
    dims.clear();
    size_t total = 1;
    for (int i = 0; i < rank; ++i) {
        unsigned char b[4];
        if (gzread(file, b, 4) != 4) throw fail("truncated in the IDX header");
        const int64_t d = (int64_t(b[0]) << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
        dims.push_back(d);
        if (d && total > SIZE_MAX / size_t(d)) throw fail("IDX dimensions overflow");
        total *= size_t(d);
    }
    // Grown as the bytes arrive, not allocated from the header: a header claiming terabytes
    // costs only what the file holds.
    std::vector<uint8_t> data;
    data.reserve(std::min<size_t>(total, size_t(64) << 20));
    while (data.size() < total) {
        const size_t had = data.size(), want = std::min<size_t>(total - had, 16 << 20);
        data.resize(had + want);
        const int n = gzread(file, data.data() + had, unsigned(want));
        data.resize(had + size_t(std::max(n, 0)));
        if (n <= 0) break;
        if (const std::string why = inflationRefusal(file, data.size()); !why.empty())
            throw fail(why);
    }
    const size_t got = data.size();
    if (got != total)
        throw fail("truncated: " + std::to_string(got) + " of " + std::to_string(total) +
                   " data bytes");
    gzclose(file);
    return data;
}

namespace {

Dataset loadIdxPair(const std::string &images, const std::string &labels, size_t limit) {
    std::vector<int64_t> imageDims, labelDims;
    const auto pixels = readIdx(images, imageDims);
    const auto classes = readIdx(labels, labelDims);
    if (imageDims.size() != 3)
        throw std::runtime_error(images + ": expected [N, rows, cols] images");
    if (labelDims.size() != 1 || labelDims[0] != imageDims[0])
        throw std::runtime_error(labels + ": " +
                                 std::to_string(labelDims.empty() ? 0 : labelDims[0]) +
                                 " labels for " + std::to_string(imageDims[0]) + " images");
    Dataset d;
    d.name = "fashion_mnist";
    d.shape = {1, imageDims[1], imageDims[2]};
    d.classNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    const size_t n = limit ? std::min<size_t>(limit, size_t(imageDims[0])) : size_t(imageDims[0]);
    const size_t per = d.exampleSize();
    d.features.resize(n * per);
    for (size_t i = 0; i < n * per; ++i)
        d.features[i] = float(pixels[i]) / 255.f;
    d.labels.resize(n);
    for (size_t i = 0; i < n; ++i) {
        if (classes[i] >= d.classNames.size())
            throw std::runtime_error(labels + ": label " + std::to_string(classes[i]) +
                                     " out of range");
        d.labels[i] = classes[i];
    }
    return d;
}

} // namespace

DatasetSplits loadFashionMnist(const std::string &dir, size_t limit) {
    DatasetSplits s;
    s.train = loadIdxPair(dir + "/train-images-idx3-ubyte.gz", dir + "/train-labels-idx1-ubyte.gz",
                          limit);
    s.validation =
        loadIdxPair(dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz",
                    limit ? std::max<size_t>(limit / 6, 1) : 0);
    return s;
}

Dataset makeSynthetic(size_t examples, int classes, int dims, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0, 1);
    std::vector<float> centres(size_t(classes) * size_t(dims));
    for (float &c : centres)
        c = 2.5f * normal(rng);
    Dataset d;
    d.name = "synthetic";
    d.shape = {dims};
    for (int c = 0; c < classes; ++c)
        d.classNames.push_back("class " + std::to_string(c));
    d.features.resize(examples * size_t(dims));
    d.labels.resize(examples);
    for (size_t i = 0; i < examples; ++i) {
        const int64_t label = int64_t(rng() % uint64_t(classes));
        d.labels[i] = label;
        for (int j = 0; j < dims; ++j)
            d.features[i * size_t(dims) + size_t(j)] =
                centres[size_t(label) * size_t(dims) + size_t(j)] + normal(rng);
    }
    return d;
}

namespace {

// At most `limit` examples (0: all); the split has already shuffled them.
void keepFirst(Dataset &d, size_t limit) {
    if (limit == 0 || limit >= d.size()) return;
    d.features.resize(limit * d.exampleSize());
    d.labels.resize(limit);
}

Dataset vectorizeTexts(const TextCorpus &corpus, const std::vector<size_t> &which,
                       const Vocabulary &vocabulary, const DatasetSpec &spec) {
    Dataset d;
    d.name = "text_folder";
    d.classNames = corpus.classNames;
    for (size_t i : which) {
        const auto v =
            vectorizeText(corpus.texts[i], vocabulary, spec.textMode, spec.sequenceLength);
        d.features.insert(d.features.end(), v.begin(), v.end());
        d.labels.push_back(corpus.labels[i]);
    }
    d.shape = {spec.textMode == "int" ? spec.sequenceLength : vocabulary.size()};
    d.vocabularySize = spec.textMode == "int" ? vocabulary.size() : 0;
    return d;
}

std::vector<size_t> indicesOf(const Dataset &byIndex) {
    std::vector<size_t> out;
    for (float i : byIndex.features)
        out.push_back(size_t(i));
    return out;
}

// Labels renumbered from `own` class names to `runs`; a class the run never saw is refused.
void relabel(Dataset &d, const std::vector<std::string> &runs) {
    std::vector<int64_t> map;
    for (const std::string &name : d.classNames) {
        const auto it = std::find(runs.begin(), runs.end(), name);
        if (it == runs.end()) {
            std::string known;
            for (const std::string &r : runs)
                known += (known.empty() ? "" : ", ") + r;
            throw std::runtime_error("class '" + name + "' is not one the run was trained on (" +
                                     known + ")");
        }
        map.push_back(int64_t(it - runs.begin()));
    }
    for (int64_t &label : d.labels)
        label = map[size_t(label)];
    d.classNames = runs;
}

} // namespace

DatasetSplits loadDataset(const DatasetSpec &spec) {
    const size_t limit = size_t(spec.limit);
    if (spec.name == "fashion_mnist") return loadFashionMnist(spec.path, limit);
    if (spec.name == "image_folder") {
        DatasetSplits s = splitDataset(
            loadImageFolder(spec.path, spec.imageSize.at(0), spec.imageSize.at(1), spec.channels),
            spec.validationSplit, spec.seed);
        keepFirst(s.train, limit);
        return s;
    }
    if (spec.name == "text_folder") {
        // Split the texts first: the vocabulary comes from the (limited) training split alone.
        const TextCorpus corpus = readTextFolder(spec.path);
        Dataset all;
        all.classNames = corpus.classNames;
        all.labels = corpus.labels;
        all.shape = {1};
        for (size_t i = 0; i < corpus.texts.size(); ++i)
            all.features.push_back(float(i)); // text index
        DatasetSplits byIndex = splitDataset(all, spec.validationSplit, spec.seed);
        keepFirst(byIndex.train, limit);
        const std::vector<size_t> train = indicesOf(byIndex.train);
        std::vector<std::string> trainTexts;
        for (size_t i : train)
            trainTexts.push_back(corpus.texts[i]);
        const Vocabulary vocabulary = Vocabulary::build(trainTexts, spec.maxTokens);
        DatasetSplits out;
        out.train = vectorizeTexts(corpus, train, vocabulary, spec);
        out.validation = vectorizeTexts(corpus, indicesOf(byIndex.validation), vocabulary, spec);
        out.vocabulary = vocabulary.tokens();
        return out;
    }
    const size_t n = limit ? limit : 10000;
    return splitDataset(makeSynthetic(n, 10, 32, uint64_t(spec.seed)), spec.validationSplit,
                        spec.seed);
}

Dataset loadTestSet(const DatasetSpec &spec, const std::string &dir,
                    const std::vector<std::string> &classNames,
                    const std::vector<std::string> &vocabulary) {
    Dataset d;
    if (spec.name == "fashion_mnist") {
        d = loadIdxPair(dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz", 0);
        return d; // the same ten classes, in the same order
    }
    if (spec.name == "image_folder") {
        d = loadImageFolder(dir, spec.imageSize.at(0), spec.imageSize.at(1), spec.channels);
    } else if (spec.name == "text_folder") {
        const TextCorpus corpus = readTextFolder(dir);
        std::vector<size_t> all(corpus.texts.size());
        std::iota(all.begin(), all.end(), size_t(0));
        d = vectorizeTexts(corpus, all, Vocabulary::fromTokens(vocabulary), spec);
    } else {
        throw std::runtime_error("a " + spec.name + " dataset has no test folder");
    }
    relabel(d, classNames);
    return d;
}

} // namespace trainscope
