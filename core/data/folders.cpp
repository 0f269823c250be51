#include "core/data/folders.h"

#include <stb/stb_image.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace trainscope {
namespace {

// Class subfolders, sorted (Keras' order), with their files of the given kinds, sorted.
std::vector<std::pair<std::string, std::vector<fs::path>>>
classFiles(const std::string &dir, const std::vector<std::string> &extensions) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw std::runtime_error(dir + ": no such directory");
    std::vector<std::pair<std::string, std::vector<fs::path>>> classes;
    for (const auto &entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_directory()) continue;
        std::vector<fs::path> files;
        for (const auto &f : fs::recursive_directory_iterator(entry.path(), ec)) {
            std::string ext = f.path().extension().string();
            std::transform(ext.begin(), ext.end(), ext.begin(),
                           [](unsigned char c) { return char(std::tolower(c)); });
            if (f.is_regular_file() &&
                std::find(extensions.begin(), extensions.end(), ext) != extensions.end())
                files.push_back(f.path());
        }
        std::sort(files.begin(), files.end());
        classes.emplace_back(entry.path().filename().string(), std::move(files));
    }
    std::sort(classes.begin(), classes.end());
    if (classes.size() < 2)
        throw std::runtime_error(dir + ": needs one subfolder per class (found " +
                                 std::to_string(classes.size()) + ")");
    // A class with no examples is never learnt, and one left alone is "learnt" perfectly:
    // either way the accuracy would mean nothing.
    std::string kinds;
    for (const auto &e : extensions)
        kinds += (kinds.empty() ? "" : ", ") + e;
    for (const auto &[name, files] : classes)
        if (files.empty())
            throw std::runtime_error((fs::path(dir) / name).string() + ": no " + kinds +
                                     " files: every class folder needs examples");
    return classes;
}

// Bilinear resampling of an 8-bit image to channels x height x width floats in [0, 1].
void resizeInto(const unsigned char *src, int sw, int sh, int channels, int width, int height,
                float *dst) {
    for (int c = 0; c < channels; ++c)
        for (int y = 0; y < height; ++y) {
            const float fy = std::max(0.f, (y + 0.5f) * float(sh) / float(height) - 0.5f);
            const int y0 = std::min(int(fy), sh - 1), y1 = std::min(y0 + 1, sh - 1);
            const float wy = fy - float(y0);
            for (int x = 0; x < width; ++x) {
                const float fx = std::max(0.f, (x + 0.5f) * float(sw) / float(width) - 0.5f);
                const int x0 = std::min(int(fx), sw - 1), x1 = std::min(x0 + 1, sw - 1);
                const float wx = fx - float(x0);
                auto at = [&](int yy, int xx) {
                    return float(
                        src[(size_t(yy) * size_t(sw) + size_t(xx)) * size_t(channels) + size_t(c)]);
                };
                const float v = (1 - wy) * ((1 - wx) * at(y0, x0) + wx * at(y0, x1)) +
                                wy * ((1 - wx) * at(y1, x0) + wx * at(y1, x1));
                dst[(size_t(c) * size_t(height) + size_t(y)) * size_t(width) + size_t(x)] =
                    v / 255.f;
            }
        }
}

} // namespace

Dataset loadImageFolder(const std::string &dir, int height, int width, int channels) {
    if (channels != 1 && channels != 3) throw std::runtime_error("dataset.channels must be 1 or 3");
    Dataset d;
    d.name = "image_folder";
    d.shape = {channels, height, width};
    const size_t per = d.exampleSize();
    int label = 0;
    for (const auto &[name, files] : classFiles(dir, {".png", ".jpg", ".jpeg", ".bmp", ".gif"})) {
        d.classNames.push_back(name);
        for (const fs::path &file : files) {
            int w = 0, h = 0, n = 0;
            unsigned char *pixels = stbi_load(file.c_str(), &w, &h, &n, channels);
            if (!pixels)
                throw std::runtime_error(file.string() +
                                         ": cannot decode image: " + stbi_failure_reason());
            d.features.resize(d.features.size() + per);
            resizeInto(pixels, w, h, channels, width, height,
                       d.features.data() + d.features.size() - per);
            stbi_image_free(pixels);
            d.labels.push_back(label);
        }
        ++label;
    }
    return d;
}

TextCorpus readTextFolder(const std::string &dir) {
    TextCorpus corpus;
    int label = 0;
    for (const auto &[name, files] : classFiles(dir, {".txt"})) {
        corpus.classNames.push_back(name);
        bool anyWords = false;
        for (const fs::path &file : files) {
            std::ifstream in(file, std::ios::binary);
            if (!in) throw std::runtime_error(file.string() + ": cannot open");
            std::stringstream ss;
            ss << in.rdbuf();
            std::string text = ss.str();
            // Text holds no NUL byte: a file with one is binary (an image, an archive) named .txt.
            if (const size_t nul = text.find('\0'); nul != std::string::npos)
                throw std::runtime_error(file.string() + ": not text (a NUL byte at offset " +
                                         std::to_string(nul) + ")");
            anyWords = anyWords || !tokenize(standardizeText(text)).empty();
            corpus.texts.push_back(std::move(text));
            corpus.labels.push_back(label);
        }
        if (!anyWords)
            throw std::runtime_error((fs::path(dir) / name).string() + ": no words in any of its " +
                                     std::to_string(files.size()) + " texts");
        ++label;
    }
    return corpus;
}

std::string standardizeText(const std::string &text) {
    std::string out;
    out.reserve(text.size());
    bool inTag = false;
    for (unsigned char c : text) {
        if (c == '<') inTag = true; // "<br />" and friends, as in the IMDB reviews
        if (inTag) {
            if (c == '>') {
                inTag = false;
                out.push_back(' ');
            }
            continue;
        }
        if (std::ispunct(c))
            out.push_back(' ');
        else
            out.push_back(char(std::tolower(c)));
    }
    return out;
}

std::vector<std::string> tokenize(const std::string &standardized) {
    std::vector<std::string> tokens;
    std::istringstream in(standardized);
    for (std::string t; in >> t;)
        tokens.push_back(t);
    return tokens;
}

Vocabulary Vocabulary::build(const std::vector<std::string> &texts, int maxTokens) {
    std::map<std::string, int64_t> counts;
    for (const std::string &text : texts)
        for (const std::string &t : tokenize(standardizeText(text)))
            ++counts[t];
    std::vector<std::pair<std::string, int64_t>> ranked(counts.begin(), counts.end());
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });
    Vocabulary v;
    v.m_tokens = {"", "[UNK]"};
    for (const auto &[token, count] : ranked) {
        if (int(v.m_tokens.size()) >= std::max(2, maxTokens)) break;
        v.m_index[token] = int64_t(v.m_tokens.size());
        v.m_tokens.push_back(token);
    }
    return v;
}

Vocabulary Vocabulary::fromTokens(std::vector<std::string> tokens) {
    Vocabulary v;
    v.m_tokens = std::move(tokens);
    for (size_t i = 2; i < v.m_tokens.size(); ++i)
        v.m_index.emplace(v.m_tokens[i], int64_t(i));
    return v;
}

int64_t Vocabulary::index(const std::string &token) const {
    auto it = m_index.find(token);
    return it == m_index.end() ? 1 : it->second;
}

std::vector<float> vectorizeText(const std::string &text, const Vocabulary &vocabulary,
                                 const std::string &mode, int sequenceLength) {
    const std::vector<std::string> tokens = tokenize(standardizeText(text));
    if (mode == "multi_hot") {
        std::vector<float> hot(size_t(vocabulary.size()), 0.f);
        for (const auto &t : tokens)
            hot[size_t(vocabulary.index(t))] = 1.f;
        hot[0] = 0.f; // padding is never "present"
        return hot;
    }
    std::vector<float> ids(size_t(sequenceLength),
                           0.f); // token ids are exact in a float up to 2^24
    for (size_t i = 0; i < tokens.size() && i < ids.size(); ++i)
        ids[i] = float(vocabulary.index(tokens[i]));
    return ids;
}

DatasetSplits splitDataset(const Dataset &all, double validationSplit, int seed) {
    std::vector<size_t> order(all.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::shuffle(order.begin(), order.end(), std::mt19937_64(uint64_t(seed) + 1));
    const size_t validation = size_t(double(all.size()) * validationSplit);
    DatasetSplits s;
    for (Dataset *d : {&s.train, &s.validation}) {
        d->name = all.name;
        d->shape = all.shape;
        d->classNames = all.classNames;
        d->vocabularySize = all.vocabularySize;
    }
    const size_t per = all.exampleSize();
    for (size_t k = 0; k < order.size(); ++k) {
        Dataset &into = k < validation ? s.validation : s.train;
        into.features.insert(into.features.end(), all.example(order[k]),
                             all.example(order[k]) + per);
        into.labels.push_back(all.labels[order[k]]);
    }
    return s;
}

} // namespace trainscope
