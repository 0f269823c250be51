// What a job trains: a preset (mlp, cnn, text_cnn), a stack of layers as Keras' Sequential
// writes it, or a TorchScript module the user saved. Each model type and each layer type takes
// its own fields; a field the chosen type ignores is refused, naming the fields it takes.
#pragma once

#include <string>
#include <vector>

namespace trainscope {

// One layer of a "sequential" model. Which fields a type reads: layerFields(type).
struct LayerSpec {
    std::string type = "dense";
    int units = 64;                  // dense, lstm, gru; dense: 0 = the dataset's class count
    std::string activation = "none"; // dense, conv1d, conv2d, activation
    double rate = 0.5;               // dropout
    int filters = 32;                // conv1d, conv2d
    int kernel = 3;                  // conv1d, conv2d
    int stride = 1;                  // conv1d, conv2d; pooling: 0 = the window's size
    int padding = 0;                 // conv1d, conv2d: each side; -1: "same"
    int size = 2;                    // max_pool, avg_pool: the window
    int dim = 64;                    // embedding
    bool bidirectional = false;      // lstm, gru
    bool returnSequences = false;    // lstm, gru: every step's output, not the last
    int times = 1;                   // repeat: `layers`, this many times
    std::vector<LayerSpec> layers;   // repeat

    bool operator==(const LayerSpec &o) const;
};

struct ModelSpec {
    // "mlp", "cnn", "text_cnn" (presets), "sequential" (layers) or "torchscript" (path)
    std::string type = "mlp";
    std::vector<int> hidden = {512};      // mlp
    std::vector<int> channels = {32, 64}; // cnn; text_cnn: its filters (the first)
    double dropout = 0.2;                 // mlp, cnn, text_cnn
    int embeddingDim = 64;                // text_cnn
    std::vector<LayerSpec> layers;        // sequential
    std::string path;                     // torchscript: a module saved with torch.jit.save
    std::vector<std::string> freeze;      // torchscript: parameter-name patterns ("backbone.*")
};

const std::vector<std::string> &modelTypes();
const std::vector<std::string> &layerTypes();
const std::vector<std::string> &activationNames(); // "none", "relu", "tanh", ...
// The fields a model or layer type reads, "type" first, in the order forms show them.
const std::vector<std::string> &modelFields(const std::string &type);
const std::vector<std::string> &layerFields(const std::string &type);
bool layerReads(const std::string &type, const std::string &field);
// A layer of `type` with its defaults (a pool's stride is its window; a repeat block holds one
// dense layer).
LayerSpec defaultLayer(const std::string &type);

// The layers a preset stands for, on examples of `exampleShape` ({channels, height, width}
// for images): mlp is flatten, (dense, relu, dropout) per hidden size, dense; cnn is
// (conv2d 3x3 "same", relu, max_pool 2) per channel count, flatten, dense 128, relu, dropout,
// dense; text_cnn is embedding, conv1d 5 "same", relu, global_max_pool, dropout, dense.
// A sequential model's own layers, as they are.
std::vector<LayerSpec> modelLayers(const ModelSpec &model,
                                   const std::vector<int64_t> &exampleShape);

// "embedding(64) lstm(64, bidirectional) global_max_pool dropout(0.3) dense(4)": a stack in
// one line, for logs and TensorBoard's HParams view.
std::string layersText(const std::vector<LayerSpec> &layers);
// Glob patterns as `freeze` takes them ("*" any run of characters, "?" one).
bool matchesPattern(const std::string &name, const std::string &pattern);

// Checks values (ranges, choices, a stack's shape rules that need no data); throws SpecError
// naming "model.FIELD" or "model.layers.I.FIELD".
void validateModel(const ModelSpec &model);

} // namespace trainscope
