// A training job, as written in a JSON spec file (examples in resources/jobs/): dataset, input
// pipeline, model, optimizer, training loop, callbacks and profile window. Parsing checks every
// field and names the bad one with the values it allows.
#pragma once

#include "core/jobs/hparamvalue.h"

#include "core/jobs/specerror.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trainscope {

struct AugmentOp {
    std::string op;    // "flip", "crop", "noise", "blur"
    double amount = 0; // crop: padding pixels; noise: std; blur: radius; flip: unused
};

struct DatasetSpec {
    std::string name =
        "fashion_mnist"; // "fashion_mnist", "image_folder", "text_folder", "synthetic"
    std::string path = "/usr/share/datasets/fashion-mnist";
    int limit = 0;                         // use at most this many training examples (0: all)
    double validationSplit = 0.2;          // for datasets without a test split
    int seed = 0;                          // of the validation split
    std::vector<int> imageSize = {28, 28}; // image_folder: height, width
    int channels = 1;                      // image_folder: 1 (grey) or 3 (RGB)
    std::string textMode = "int";          // text_folder: "int" (sequences) or "multi_hot"
    int maxTokens = 10000;                 // text_folder: vocabulary size
    int sequenceLength = 200;              // text_folder, "int" mode
};

struct PipelineSpec {
    int mapWorkers = 1;                // 0: autotune
    int shuffleBuffer = 10000;         // 0: no shuffling
    std::vector<AugmentOp> preprocess; // deterministic: may be cached
    std::vector<AugmentOp> augment;    // random, every epoch
    std::string cache = "none";        // "none", "memory"
    int prefetch = 0;                  // batches ready ahead; -1: autotune
    std::string snapshot;              // a folder: preprocessed examples kept there for later runs
    bool pinMemory = false;            // page-locked batches: faster, asynchronous copies to a GPU
};

struct ModelSpec {
    std::string type = "mlp"; // "mlp", "cnn" or "text_cnn" (embedding, Conv1D, global max pool)
    std::vector<int> hidden = {512};
    std::vector<int> channels = {32, 64};
    double dropout = 0.2;
    int embeddingDim = 64; // text_cnn
};

struct OptimizerSpec {
    std::string type = "adam"; // "sgd", "adam", "adamw"
    double learningRate = 1e-3;
    double momentum = 0.9; // sgd
    double weightDecay = 0;
};

struct TrainingSpec {
    int epochs = 5;
    int batchSize = 128;
    std::string device = "auto";         // "cpu", "cuda", "auto"
    std::string mixedPrecision = "none"; // "none", "fp16", "bf16" (CUDA only)
    int seed = 0;
    int threads = 0; // compute threads; 0: the library's default
    // Continue from a checkpoint (a model saved by an earlier run, e.g. checkpoints/last.pt):
    // its weights, then epochs initialEpoch + 1 .. epochs (Hyperband's promotions).
    std::string initialWeights;
    int initialEpoch = 0;
};

struct EarlyStoppingSpec {
    std::string monitor = "val/loss"; // "val/loss", "val/accuracy", "train/loss", "train/accuracy"
    std::string mode = "auto";        // "min", "max", "auto" (from the monitor's name)
    int patience = 3;
    double minDelta = 0;
    std::optional<double> baseline;
    bool restoreBestWeights = true;
};

struct ProfileSpec {
    bool enabled = true;
    int skipFirst = 2, wait = 0, warmup = 1, active = 20, repeat = 1; // the PyTorch schedule
};

struct JobSpec {
    std::string name = "job";
    DatasetSpec dataset;
    PipelineSpec pipeline;
    ModelSpec model;
    OptimizerSpec optimizer;
    TrainingSpec training;
    std::optional<EarlyStoppingSpec> earlyStopping;
    bool checkpoint = true;
    bool confusionMatrix = true;
    int histogramsEvery = 1; // epochs; 0: never
    ProfileSpec profile;

    // Parses and validates; throws SpecError naming the field.
    static JobSpec fromJson(const std::string &json);
    // Checks every value (ranges, choices, sizes); throws SpecError naming the field. A spec
    // built in code (a form, a sweep's trial) is checked as fromJson checks a file.
    void validate() const;
    static JobSpec fromFile(const std::string &path); // SpecError's field is prefixed by the path
    std::string toJson() const;
    // Applies "a.b.c=value" (the CLI's --set), validating like fromJson.
    void set(const std::string &assignment);
    // The hyperparameters worth showing in TensorBoard's HParams view, typed: numbers stay
    // numbers, so the view can sort and plot them; "autotune" and lists are strings.
    std::map<std::string, HParamValue> hparams() const;
};

} // namespace trainscope
