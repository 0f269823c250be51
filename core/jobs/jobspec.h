// A training job, as written in a JSON spec file (examples in resources/jobs/): dataset, input
// pipeline, model, optimizer, training loop, callbacks and profile window. Parsing checks every
// field and names the bad one with the values it allows.
#pragma once

#include "core/jobs/hparamvalue.h"
#include "core/jobs/modelspec.h"
#include "core/jobs/specerror.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trainscope {

// One image operation of the pipeline. What `amount` means, by op: flip: unused; crop: padding
// pixels; noise: standard deviation; blur: radius; central_crop: the share of height and width
// kept (0, 1]; brightness: the delta added; contrast and saturation: the factor; hue: the
// shift in turns. As an augmentation, brightness and hue draw from [-amount, amount], contrast
// and saturation their factor from [1 - amount, 1 + amount], as TensorFlow's random_* ops do.
// resize reads `size` ([height, width], bilinear). central_crop and resize change the
// example's size, so they are preprocessing only.
struct AugmentOp {
    std::string op;
    double amount = 0;
    std::vector<int> size; // resize

    bool operator==(const AugmentOp &o) const {
        return op == o.op && amount == o.amount && size == o.size;
    }
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
    // A held-out folder of the same kind, scored with the best weights after training
    // (test/ scalars); for fashion_mnist a folder holding the t10k-* files.
    std::string testPath;
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

// How the learning rate moves during training; each type reads its own fields
// (scheduleFields). The rate is set before every step.
struct ScheduleSpec {
    // "none", "step", "exponential", "cosine", "one_cycle", "reduce_on_plateau"
    std::string type = "none";
    int stepEpochs = 10;        // step: the rate is multiplied by gamma every this many epochs
    double gamma = 0.1;         // step, exponential (per epoch)
    double warmupEpochs = 0;    // cosine: a linear rise from 0 first (fractions of an epoch too)
    double minLearningRate = 0; // cosine: where it ends; reduce_on_plateau: the floor
    // one_cycle, as PyTorch's OneCycleLR: up from lr/div_factor to lr over pct_start of the
    // steps, then (cosine) down to lr/(div_factor*final_div_factor).
    double pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4;
    // reduce_on_plateau, by Keras' ReduceLROnPlateau rules.
    std::string monitor = "val/loss";
    std::string mode = "auto";
    double factor = 0.1;
    int patience = 10;
    double minDelta = 1e-4;
    int cooldown = 0;
};
const std::vector<std::string> &scheduleFields(const std::string &type); // "type" first

struct OptimizerSpec {
    std::string type = "adam"; // "sgd", "adam", "adamw"
    double learningRate = 1e-3;
    double momentum = 0.9; // sgd
    double weightDecay = 0;
    double clipNorm = 0; // clip the gradients' global L2 norm to this (0: no clipping)
    ScheduleSpec schedule;
};

struct TrainingSpec {
    int epochs = 5;
    int batchSize = 128;
    std::string device = "auto";         // "cpu", "cuda", "auto", or "cuda:N" (GPU N)
    std::string mixedPrecision = "none"; // "none", "fp16", "bf16" (CUDA only)
    int seed = 0;
    double labelSmoothing = 0; // of the cross-entropy targets, as Keras' and PyTorch's
    int threads = 0;           // compute threads; 0: the library's default
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
    // Applies "a.b.c=value" (the CLI's --set), validating like fromJson. Paths reach into
    // lists ("model.layers.2.units", or layers[2]); setting a "type" drops the fields the new
    // type does not read. A failed set leaves the spec as it was.
    void set(const std::string &assignment);
    // Several at once, validated together: {"model.type=sequential", "model.layers=[...]"}.
    void set(const std::vector<std::string> &assignments);
    // The spec paths worth tuning for this job, as a sweep form offers them: the optimizer's and
    // the loop's, the model's own type's fields, and every layer's ("model.layers.1.units",
    // "model.layers.1.type" where conv1d, lstm and gru may stand in for each other).
    std::vector<std::string> tunableFields() const;
    // The hyperparameters worth showing in TensorBoard's HParams view, typed: numbers stay
    // numbers, so the view can sort and plot them; "autotune" and lists are strings.
    std::map<std::string, HParamValue> hparams() const;
};

// "cuda:N": one GPU by index (a sweep's --devices gives each worker its own).
bool isCudaIndex(const std::string &device);

} // namespace trainscope
