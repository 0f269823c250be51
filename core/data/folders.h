// Datasets from a folder with one subfolder per class, as Keras' image_dataset_from_directory
// and text_dataset_from_directory read them: images decoded, resized and scaled to [0, 1];
// texts standardised (lowercase, no HTML, no punctuation), tokenised and vectorised with a
// vocabulary built from the training split only, as int sequences or multi-hot vectors.
#pragma once

#include "core/data/dataset.h"

#include <map>
#include <string>
#include <vector>

namespace trainscope {

// Every image under <dir>/<class>/ (PNG, JPEG, BMP, GIF), as `channels` x height x width.
// Throws std::runtime_error naming a file that cannot be decoded, or an empty folder.
Dataset loadImageFolder(const std::string &dir, int height, int width, int channels);

struct TextCorpus {
    std::vector<std::string> classNames;
    std::vector<std::string> texts;
    std::vector<int64_t> labels;
};
// Every *.txt under <dir>/<class>/.
TextCorpus readTextFolder(const std::string &dir);

std::string standardizeText(const std::string &text); // lowercase, strip HTML tags and punctuation
std::vector<std::string> tokenize(const std::string &standardized);

// Index 0 pads, 1 stands for any token not in the vocabulary; then the most frequent tokens of
// the training texts (ties alphabetical), up to maxTokens entries in all.
class Vocabulary {
public:
    static Vocabulary build(const std::vector<std::string> &texts, int maxTokens);
    // A vocabulary saved with a run (tokens in index order, "" and "[UNK]" first).
    static Vocabulary fromTokens(std::vector<std::string> tokens);
    const std::vector<std::string> &tokens() const { return m_tokens; }
    int64_t index(const std::string &token) const;
    int size() const { return int(m_tokens.size()); }
    const std::string &token(int64_t index) const { return m_tokens[size_t(index)]; }

private:
    std::vector<std::string> m_tokens;
    std::map<std::string, int64_t> m_index;
};

// "int": `sequenceLength` token indices, padded with 0 or cut; "multi_hot": vocabulary-sized
// 0/1 vector of the tokens present.
std::vector<float> vectorizeText(const std::string &text, const Vocabulary &vocabulary,
                                 const std::string &mode, int sequenceLength);

// A seeded shuffle, then the first `validationSplit` share goes to validation.
DatasetSplits splitDataset(const Dataset &all, double validationSplit, int seed);

} // namespace trainscope
