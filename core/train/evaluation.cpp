#include "core/train/evaluation.h"

#include "core/data/dataset.h"
#include "core/jobs/jobspec.h"
#include "core/train/internal/scoring.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;

namespace trainscope {

void Evaluation::finish() {
    const size_t k = classNames.size();
    precision.assign(k, 0);
    recall.assign(k, 0);
    int64_t correct = 0, total = 0;
    for (size_t t = 0; t < k; ++t)
        for (size_t p = 0; p < k; ++p) {
            total += confusion[t * k + p];
            if (t == p) correct += confusion[t * k + p];
        }
    for (size_t c = 0; c < k; ++c) {
        int64_t predicted = 0, actual = 0;
        for (size_t o = 0; o < k; ++o) {
            predicted += confusion[o * k + c];
            actual += confusion[c * k + o];
        }
        const auto hits = double(confusion[c * k + c]);
        precision[c] = predicted ? hits / double(predicted) : 0;
        recall[c] = actual ? hits / double(actual) : 0;
    }
    examples = total;
    accuracy = total ? double(correct) / double(total) : 0;
}

Evaluation scoreModel(torch::jit::Module &model, Pipeline &pipeline, torch::Device device,
                      const std::vector<std::string> &classNames) {
    torch::NoGradGuard noGrad;
    const bool training = model.is_training();
    model.eval();
    Evaluation e;
    e.classNames = classNames;
    const size_t k = classNames.size();
    e.confusion.assign(k * k, 0);
    double lossSum = 0;
    pipeline.startEpoch(1);
    Batch batch;
    while (pipeline.next(batch)) {
        std::vector<int64_t> shape{int64_t(batch.size())};
        shape.insert(shape.end(), batch.exampleShape.begin(), batch.exampleShape.end());
        const auto x = torch::from_blob(batch.features.data(), shape, torch::kFloat32).to(device);
        const auto y = torch::from_blob(batch.labels.data(), {int64_t(batch.size())}, torch::kInt64)
                           .to(device);
        const auto logits = model.forward({x}).toTensor().to(torch::kFloat32);
        lossSum +=
            torch::nn::functional::cross_entropy(logits, y).item<double>() * double(batch.size());
        const auto predicted = logits.argmax(1).to(torch::kCPU);
        const auto p = predicted.accessor<int64_t, 1>();
        for (size_t i = 0; i < batch.size(); ++i)
            ++e.confusion[size_t(batch.labels[i]) * k + size_t(p[int64_t(i)])];
    }
    model.train(training);
    e.finish();
    e.loss = e.examples ? lossSum / double(e.examples) : 0;
    return e;
}

Evaluation evaluateRun(const std::string &runDir, const std::string &dataDir) {
    const fs::path run(runDir);
    const fs::path specFile = run / kRunSpecFile, dataFile = run / kRunDataFile;
    if (!fs::is_regular_file(specFile) || !fs::is_regular_file(dataFile))
        throw SpecError(runDir, std::string("not a run Trainscope trained (no ") + kRunSpecFile +
                                    " and " + kRunDataFile + " in it)");
    const JobSpec spec = JobSpec::fromFile(specFile.string());
    std::vector<std::string> classNames, vocabulary;
    try {
        std::ifstream in(dataFile);
        const nlohmann::json j = nlohmann::json::parse(in);
        classNames = j.at("classes").get<std::vector<std::string>>();
        vocabulary = j.value("vocabulary", std::vector<std::string>{});
    } catch (const std::exception &e) {
        throw SpecError(dataFile.string(), std::string("unreadable: ") + e.what());
    }
    fs::path modelFile = run / kBestCheckpoint;
    if (!fs::is_regular_file(modelFile)) modelFile = run / kRunModelFile;
    if (!fs::is_regular_file(modelFile))
        throw SpecError(runDir, std::string("holds neither ") + kBestCheckpoint + " nor " +
                                    kRunModelFile + ": did it finish an epoch?");
    if (!fs::is_directory(dataDir)) throw SpecError(dataDir, "no such folder");
    Dataset test;
    try {
        test = loadTestSet(spec.dataset, dataDir, classNames, vocabulary);
    } catch (const std::exception &e) {
        const std::string what = e.what(); // the folder readers name the folder themselves
        throw SpecError(
            dataDir, what.rfind(dataDir + ": ", 0) == 0 ? what.substr(dataDir.size() + 2) : what);
    }
    if (test.size() == 0) throw SpecError(dataDir, "holds no examples");
    torch::jit::Module model;
    try {
        model = torch::jit::load(modelFile.string(), torch::kCPU);
    } catch (const std::exception &e) {
        const std::string what = e.what();
        throw SpecError(modelFile.string(), "cannot load: " + what.substr(0, what.find('\n')));
    }
    PipelineSpec preprocessOnly = spec.pipeline;
    preprocessOnly.augment.clear();
    preprocessOnly.prefetch = 0;
    preprocessOnly.cache = "none";
    preprocessOnly.snapshot.clear();
    Pipeline pipeline(test, preprocessOnly, 512, false, 0);
    Evaluation e = scoreModel(model, pipeline, torch::kCPU, classNames);
    e.model = modelFile.string();
    e.data = dataDir;
    return e;
}

std::vector<float> modelLogits(const std::string &modelFile, std::vector<float> inputs,
                               const std::vector<int64_t> &shape) {
    try {
        torch::jit::Module model = torch::jit::load(modelFile, torch::kCPU);
        model.eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor logits =
            model.forward({torch::from_blob(inputs.data(), shape, torch::kFloat32)})
                .toTensor()
                .to(torch::kFloat32)
                .contiguous();
        return {logits.data_ptr<float>(), logits.data_ptr<float>() + logits.numel()};
    } catch (const c10::Error &e) {
        const std::string what = e.what();
        throw std::runtime_error(modelFile + ": " + what.substr(0, what.find('\n')));
    }
}

std::string evaluationText(const Evaluation &e) {
    std::ostringstream out;
    char line[256];
    std::snprintf(line, sizeof line, "accuracy %.4f, loss %.4f on %lld examples\n", e.accuracy,
                  e.loss, static_cast<long long>(e.examples));
    out << "model: " << e.model << "\ndata: " << e.data << "\n" << line;
    size_t width = 5;
    for (const auto &name : e.classNames)
        width = std::max(width, name.size());
    std::snprintf(line, sizeof line, "%-*s  precision  recall\n", int(width), "class");
    out << line;
    for (size_t c = 0; c < e.classNames.size(); ++c) {
        std::snprintf(line, sizeof line, "%-*s  %9.4f  %6.4f\n", int(width),
                      e.classNames[c].c_str(), e.precision[c], e.recall[c]);
        out << line;
    }
    return out.str();
}

std::string evaluationJson(const Evaluation &e) {
    const size_t k = e.classNames.size();
    nlohmann::ordered_json j;
    j["model"] = e.model;
    j["data"] = e.data;
    j["examples"] = e.examples;
    j["accuracy"] = e.accuracy;
    j["loss"] = e.loss;
    j["classes"] = nlohmann::ordered_json::array();
    for (size_t c = 0; c < k; ++c)
        j["classes"].push_back(
            {{"name", e.classNames[c]}, {"precision", e.precision[c]}, {"recall", e.recall[c]}});
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (size_t t = 0; t < k; ++t)
        rows.push_back(std::vector<int64_t>(e.confusion.begin() + long(t * k),
                                            e.confusion.begin() + long((t + 1) * k)));
    j["confusion_matrix"] = rows;
    return j.dump(2) + "\n";
}

} // namespace trainscope
