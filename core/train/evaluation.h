// Scoring a trained model on labelled examples: accuracy, mean loss, per-class precision and
// recall, and the confusion matrix. evaluateRun scores a finished run's best weights on a
// held-out folder, read with the run's own vocabulary and preprocessing (saved in the run).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trainscope {

struct Evaluation {
    std::string model; // the file scored
    std::string data;  // the folder it was scored on
    int64_t examples = 0;
    double accuracy = 0, loss = 0;
    std::vector<std::string> classNames;
    std::vector<double> precision, recall; // per class; 0 where a class was never predicted/seen
    std::vector<int64_t> confusion;        // classes x classes, row = true class

    // From the confusion counts: accuracy, precision and recall (loss is summed while scoring).
    void finish();
};

// The files a run keeps so that it can be scored later, beside its event files.
inline constexpr const char *kRunSpecFile = "job.json";     // the job as it ran
inline constexpr const char *kRunDataFile = "dataset.json"; // class names, vocabulary
inline constexpr const char *kRunModelFile = "model.pt";    // TorchScript, torch.jit.load
inline constexpr const char *kBestCheckpoint = "checkpoints/best.pt";

// Scores `runDir`'s checkpoints/best.pt (model.pt when the run kept no checkpoints) on the
// held-out folder `dataDir`. Throws SpecError for a run or folder that cannot be used (naming
// the file), std::runtime_error for a failure while scoring.
Evaluation evaluateRun(const std::string &runDir, const std::string &dataDir);

// The logits the TorchScript module in `modelFile` computes for `inputs` of `shape` (batch
// first), in eval mode on the CPU, row-major. Throws std::runtime_error naming the file.
std::vector<float> modelLogits(const std::string &modelFile, std::vector<float> inputs,
                               const std::vector<int64_t> &shape);

// "accuracy 0.9012, loss 0.2871 on 10000 examples" and a table of precision and recall.
std::string evaluationText(const Evaluation &e);
std::string evaluationJson(const Evaluation &e);

} // namespace trainscope
