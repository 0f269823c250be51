#include "widgets/jobs/jobform.h"

#include "core/jobs/observer.h"
#include "widgets/jobs/augmentopsbox.h"
#include "widgets/jobs/formfields.h"
#include "widgets/jobs/layerstackeditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace trainscope {

using namespace formfields;

JobForm::JobForm(QWidget *parent)
    : SpecDialog(parent)
    , m_tabs(new QTabWidget(this))
    , m_name(named(new QLineEdit(this), "name", "names the run directory")) {
    setWindowTitle("New job");
    m_tabs->addTab(dataPage(), "Data");
    m_tabs->addTab(pipelinePage(), "Pipeline");
    m_tabs->addTab(modelPage(), "Model");
    m_tabs->addTab(trainingPage(), "Training");
    m_tabs->addTab(callbacksPage(), "Callbacks");
    m_tabs->addTab(profilePage(), "Profile");

    m_tabs->setUsesScrollButtons(false); // every tab's title in view: the dialog is that wide
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *load = new QPushButton("Load spec…", this);
    load->setObjectName("loadSpec");
    load->setAutoDefault(false);
    connect(load, &QPushButton::clicked, this, &JobForm::browseSpec);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addWidget(load);
    buttonRow->addStretch(1);
    buttonRow->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &JobForm::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *nameRow = new QFormLayout;
    nameRow->addRow("Name", m_name);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(nameRow);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(errorLabel());
    layout->addLayout(buttonRow);

    for (QComboBox *c : {m_modelType, m_optimizer, m_scheduleType})
        connect(c, &QComboBox::currentTextChanged, this, &JobForm::updateEnabled);
    connect(m_modelType, &QComboBox::currentTextChanged, this, &JobForm::offerPresetLayers);
    connect(m_hasBaseline, &QCheckBox::toggled, this, &JobForm::updateEnabled);
    setSpec(JobSpec{});
}

QWidget *JobForm::dataPage() {
    auto *page = new QWidget;
    QFormLayout *form = nullptr;
    auto *box = group("Dataset", page, form);
    m_datasetName =
        choices(box, "dataset.name", {"fashion_mnist", "image_folder", "text_folder", "synthetic"});
    m_datasetPath = named(new QLineEdit(box), "dataset.path");
    auto *browse = new QToolButton(box);
    browse->setText("…");
    browse->setToolTip("Choose the dataset's folder");
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, "Dataset folder", m_datasetPath->text());
        if (!dir.isEmpty()) m_datasetPath->setText(dir);
    });
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_datasetPath, 1);
    pathRow->addWidget(browse);
    m_limit = intSpin(box, "dataset.limit", 0, 100'000'000, "all", "training examples used");
    m_validationSplit = doubleSpin(box, "dataset.validation_split", 0, 0.9, 3,
                                   "share held out when the dataset has no test split");
    m_datasetSeed = intSpin(box, "dataset.seed", 0, 1 << 30);
    m_imageSize = intList(box, "dataset.image_size", "image_folder: height, width");
    m_imageChannels = intSpin(box, "dataset.channels", 1, 3, {}, "image_folder: 1 grey, 3 RGB");
    m_textMode = choices(box, "dataset.text_mode", {"int", "multi_hot"});
    m_maxTokens =
        intSpin(box, "dataset.max_tokens", 3, 1 << 22, {}, "text_folder: vocabulary size");
    m_sequenceLength =
        intSpin(box, "dataset.sequence_length", 1, 1 << 20, {}, "text_folder, int mode");
    form->addRow("Dataset", m_datasetName);
    form->addRow("Path", pathRow);
    form->addRow("Limit", m_limit);
    form->addRow("Validation split", m_validationSplit);
    form->addRow("Seed", m_datasetSeed);
    form->addRow("Image size", m_imageSize);
    form->addRow("Image channels", m_imageChannels);
    form->addRow("Text mode", m_textMode);
    form->addRow("Max tokens", m_maxTokens);
    form->addRow("Sequence length", m_sequenceLength);
    m_testPath = named(new QLineEdit(box), "dataset.test_path",
                       "a held-out folder scored with the best weights after training "
                       "(fashion_mnist: the folder of its t10k files); empty: none");
    form->addRow("Test folder", m_testPath);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(box);
    layout->addStretch(1);
    return page;
}

QWidget *JobForm::pipelinePage() {
    auto *page = new QWidget;
    QFormLayout *form = nullptr;
    auto *box = group("Input pipeline", page, form);
    m_mapWorkers =
        intSpin(box, "pipeline.map_workers", 0, 64, "autotune", "threads mapping examples");
    m_shuffleBuffer = intSpin(box, "pipeline.shuffle_buffer", 0, 10'000'000, "off");
    m_cache = choices(box, "pipeline.cache", {"none", "memory"});
    m_cache->setToolTip("pipeline.cache: keeps preprocessed examples after the first epoch");
    m_prefetch = intSpin(box, "pipeline.prefetch", -1, 64, "autotune", "batches ready ahead");
    form->addRow("Map workers", m_mapWorkers);
    form->addRow("Shuffle buffer", m_shuffleBuffer);
    m_snapshot = named(new QLineEdit(box), "pipeline.snapshot",
                       "a folder keeping the preprocessed examples for later runs (empty: off)");
    form->addRow("Cache", m_cache);
    form->addRow("Prefetch", m_prefetch);
    form->addRow("Snapshot folder", m_snapshot);
    m_pinMemory = named(new QCheckBox("Pin host memory (GPU jobs)", box), "pipeline.pin_memory",
                        "page-locked batches: asynchronous, faster copies to the GPU");
    form->addRow(m_pinMemory);
    m_preprocess = new AugmentOpsBox("Preprocess (cacheable)", "pipeline.preprocess", page);
    m_augment = new AugmentOpsBox("Augment (every epoch)", "pipeline.augment", page);
    auto *ops = new QHBoxLayout;
    ops->addWidget(m_preprocess);
    ops->addWidget(m_augment);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(box);
    layout->addLayout(ops);
    layout->addStretch(1);
    return page;
}

QWidget *JobForm::modelPage() {
    auto *page = new QWidget;
    QFormLayout *form = nullptr;
    auto *model = group("Model", page, form);
    m_modelType = choices(model, "model.type", toStringList(modelTypes()));
    m_modelType->setToolTip("model.type: a preset (mlp, cnn, text_cnn), a stack of layers, or a "
                            "TorchScript module saved with torch.jit.save");
    m_hidden = intList(model, "model.hidden", "sizes of the fully connected layers");
    m_channels = intList(model, "model.channels", "convolution channels (cnn)");
    m_dropout = doubleSpin(model, "model.dropout", 0, 0.95, 3);
    m_embeddingDim = intSpin(model, "model.embedding_dim", 1, 4096, {}, "text_cnn");
    m_modelPath = named(new QLineEdit(model), "model.path",
                        "a module saved with torch.jit.save (scripted or traced)");
    auto *browse = new QToolButton(model);
    browse->setText("…");
    browse->setToolTip("Choose a TorchScript file");
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, "TorchScript module", m_modelPath->text(), "TorchScript (*.pt *.pth);;All (*)");
        if (!file.isEmpty()) m_modelPath->setText(file);
    });
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_modelPath, 1);
    pathRow->addWidget(browse);
    m_freeze = named(new QLineEdit(model), "model.freeze",
                     "parameter names kept out of training, comma separated (backbone.*)");
    form->addRow("Type", m_modelType);
    form->addRow("Embedding size", m_embeddingDim);
    form->addRow("Hidden sizes", m_hidden);
    form->addRow("Channels", m_channels);
    form->addRow("Dropout", m_dropout);
    m_modelPathRow = form->rowCount();
    form->addRow("TorchScript file", pathRow);
    form->addRow("Freeze", m_freeze);
    m_modelForm = form;
    m_layers = new LayerStackEditor(page);

    auto *optimizer = group("Optimizer", page, form);
    m_optimizer = choices(optimizer, "optimizer.type", {"sgd", "adam", "adamw"});
    m_learningRate = doubleSpin(optimizer, "optimizer.learning_rate", 1e-6, 10, 6);
    m_momentum = doubleSpin(optimizer, "optimizer.momentum", 0, 0.9999, 4, "sgd only");
    m_weightDecay = doubleSpin(optimizer, "optimizer.weight_decay", 0, 1, 6);
    m_clipNorm = doubleSpin(optimizer, "optimizer.clip_norm", 0, 1e9, 4,
                            "clip the gradients' norm to this (0: off)");
    m_clipNorm->setSpecialValueText("off");
    form->addRow("Optimizer", m_optimizer);
    form->addRow("Learning rate", m_learningRate);
    form->addRow("Momentum", m_momentum);
    form->addRow("Weight decay", m_weightDecay);
    form->addRow("Clip gradient norm", m_clipNorm);

    auto *schedule = group("Learning-rate schedule", page, form);
    m_scheduleForm = form;
    m_scheduleType =
        choices(schedule, "optimizer.schedule.type",
                {"none", "step", "exponential", "cosine", "one_cycle", "reduce_on_plateau"});
    form->addRow("Schedule", m_scheduleType);
    auto add = [&](const char *field, const QString &label, QWidget *editor) {
        m_scheduleEditors[field] = editor;
        form->addRow(label, editor);
    };
    const QString at = "optimizer.schedule.";
    add("step_epochs", "Every (epochs)",
        m_stepEpochs = intSpin(schedule, at + "step_epochs", 1, 100000));
    add("gamma", "Gamma", m_gamma = doubleSpin(schedule, at + "gamma", 1e-9, 1, 4, "the factor"));
    add("warmup_epochs", "Warm-up (epochs)",
        m_warmupEpochs = doubleSpin(schedule, at + "warmup_epochs", 0, 100000, 2));
    add("min_learning_rate", "Min learning rate",
        m_minLearningRate = doubleSpin(schedule, at + "min_learning_rate", 0, 10, 7));
    add("pct_start", "Rising share", m_pctStart = doubleSpin(schedule, at + "pct_start", 0, 1, 3));
    add("div_factor", "Start divisor",
        m_divFactor = doubleSpin(schedule, at + "div_factor", 1, 1e9, 1));
    add("final_div_factor", "Final divisor",
        m_finalDivFactor = doubleSpin(schedule, at + "final_div_factor", 1, 1e12, 1));
    add("monitor", "Monitor",
        m_plateauMonitor = choices(schedule, at + "monitor", toStringList(jobMetrics())));
    add("mode", "Mode", m_plateauMode = choices(schedule, at + "mode", {"auto", "min", "max"}));
    add("factor", "Factor", m_factor = doubleSpin(schedule, at + "factor", 1e-9, 0.999999, 4));
    add("patience", "Patience (epochs)",
        m_plateauPatience = intSpin(schedule, at + "patience", 0, 100000));
    add("min_delta", "Min delta",
        m_plateauMinDelta = doubleSpin(schedule, at + "min_delta", 0, 1e9, 6));
    add("cooldown", "Cooldown (epochs)",
        m_cooldown = intSpin(schedule, at + "cooldown", 0, 100000));

    auto *left = new QVBoxLayout;
    left->addWidget(model);
    left->addWidget(m_layers, 1);
    auto *right = new QVBoxLayout;
    right->addWidget(optimizer);
    right->addWidget(schedule);
    right->addStretch(1);
    auto *layout = new QHBoxLayout(page);
    layout->addLayout(left, 3);
    layout->addLayout(right, 2);
    return page;
}

QWidget *JobForm::trainingPage() {
    auto *page = new QWidget;
    QFormLayout *form = nullptr;
    auto *box = group("Training loop", page, form);
    m_epochs = intSpin(box, "training.epochs", 1, 100000);
    m_batchSize = intSpin(box, "training.batch_size", 1, 1 << 20);
    m_device = choices(box, "training.device", {"auto", "cpu", "cuda"});
    m_mixedPrecision = choices(box, "training.mixed_precision", {"none", "fp16", "bf16"});
    m_mixedPrecision->setToolTip("training.mixed_precision: CUDA only");
    m_trainingSeed = intSpin(box, "training.seed", 0, 1 << 30);
    m_threads = intSpin(box, "training.threads", 0, 256, "default", "compute threads");
    m_labelSmoothing =
        doubleSpin(box, "training.label_smoothing", 0, 0.99, 3, "of the cross-entropy targets");
    form->addRow("Epochs", m_epochs);
    form->addRow("Batch size", m_batchSize);
    form->addRow("Device", m_device);
    form->addRow("Mixed precision", m_mixedPrecision);
    form->addRow("Seed", m_trainingSeed);
    form->addRow("Threads", m_threads);
    form->addRow("Label smoothing", m_labelSmoothing);
    m_initialWeights = named(new QLineEdit(box), "training.initial_weights",
                             "continue from a saved model (e.g. a run's checkpoints/last.pt)");
    m_initialEpoch = intSpin(box, "training.initial_epoch", 0, 100000, {}, "epochs already done");
    form->addRow("Initial weights", m_initialWeights);
    form->addRow("Initial epoch", m_initialEpoch);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(box);
    layout->addStretch(1);
    return page;
}

QWidget *JobForm::callbacksPage() {
    auto *page = new QWidget;
    QFormLayout *form = nullptr;
    auto *callbacks = group("Callbacks", page, form);
    m_checkpoint = named(new QCheckBox("Save checkpoints", callbacks), "callbacks.checkpoint");
    m_confusion = named(new QCheckBox("Confusion matrix every epoch", callbacks),
                        "callbacks.confusion_matrix");
    m_histogramsEvery = intSpin(callbacks, "callbacks.histograms_every", 0, 100000, "never",
                                "weight histograms every N epochs");
    form->addRow(m_checkpoint);
    form->addRow(m_confusion);
    form->addRow("Histograms every (epochs)", m_histogramsEvery);

    m_earlyStopping = named(group("Early stopping", page, form), "early_stopping");
    m_earlyStopping->setCheckable(true);
    m_monitor = choices(m_earlyStopping, "early_stopping.monitor", toStringList(jobMetrics()));
    m_mode = choices(m_earlyStopping, "early_stopping.mode", {"auto", "min", "max"});
    m_patience = intSpin(m_earlyStopping, "early_stopping.patience", 0, 100000, {},
                         "epochs without improvement");
    m_minDelta = doubleSpin(m_earlyStopping, "early_stopping.min_delta", 0, 1e9, 6);
    m_hasBaseline = named(new QCheckBox(m_earlyStopping), "early_stopping.has_baseline",
                          "stop unless the monitor beats this value");
    m_baseline = doubleSpin(m_earlyStopping, "early_stopping.baseline", -1e9, 1e9, 6);
    auto *baselineRow = new QHBoxLayout;
    baselineRow->addWidget(m_hasBaseline);
    baselineRow->addWidget(m_baseline, 1);
    m_restoreBest = named(new QCheckBox("Restore the best weights", m_earlyStopping),
                          "early_stopping.restore_best_weights");
    form->addRow("Monitor", m_monitor);
    form->addRow("Mode", m_mode);
    form->addRow("Patience (epochs)", m_patience);
    form->addRow("Min delta", m_minDelta);
    form->addRow("Baseline", baselineRow);
    form->addRow(m_restoreBest);

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(callbacks);
    layout->addWidget(m_earlyStopping);
    layout->addStretch(1);
    return page;
}

QWidget *JobForm::profilePage() {
    auto *page = new QWidget;
    QFormLayout *form = nullptr;
    m_profile = named(group("Profile steps", page, form), "profile.enabled");
    m_profile->setCheckable(true);
    auto *note = new QLabel("Skip the first steps, then cycle: wait, warm up, record "
                            "(active), as PyTorch's profiler schedule does.",
                            m_profile);
    note->setWordWrap(true);
    m_skipFirst = intSpin(m_profile, "profile.skip_first", 0, 1 << 30);
    m_wait = intSpin(m_profile, "profile.wait", 0, 1 << 30);
    m_warmup = intSpin(m_profile, "profile.warmup", 0, 1 << 30);
    m_active = intSpin(m_profile, "profile.active", 1, 1 << 30);
    m_repeat = intSpin(m_profile, "profile.repeat", 0, 1 << 30, "until the end", "cycles");
    form->addRow(note);
    form->addRow("Skip first (steps)", m_skipFirst);
    form->addRow("Wait (steps)", m_wait);
    form->addRow("Warm up (steps)", m_warmup);
    form->addRow("Active (steps)", m_active);
    form->addRow("Repeat (cycles)", m_repeat);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_profile);
    layout->addStretch(1);
    return page;
}

void JobForm::updateEnabled() {
    m_momentum->setEnabled(m_optimizer->currentText() == "sgd");
    // Each model and schedule type's own fields only, as the spec reads them.
    const auto &model = modelFields(text(m_modelType));
    auto reads = [](const std::vector<std::string> &fields, const char *f) {
        return std::find(fields.begin(), fields.end(), f) != fields.end();
    };
    // Rows of fields the type does not read are hidden (and off, for what reads them back).
    auto show = [](QFormLayout *form, QWidget *editor, bool on) {
        editor->setEnabled(on);
        form->setRowVisible(editor, on);
    };
    show(m_modelForm, m_hidden, reads(model, "hidden"));
    show(m_modelForm, m_channels, reads(model, "channels"));
    show(m_modelForm, m_dropout, reads(model, "dropout"));
    show(m_modelForm, m_embeddingDim, reads(model, "embedding_dim"));
    show(m_modelForm, m_freeze, reads(model, "freeze"));
    m_modelPath->setEnabled(reads(model, "path"));
    m_modelForm->setRowVisible(m_modelPathRow, reads(model, "path"));
    m_layers->setEnabled(reads(model, "layers"));
    m_layers->setVisible(reads(model, "layers"));
    const auto &schedule = scheduleFields(text(m_scheduleType));
    for (auto it = m_scheduleEditors.begin(); it != m_scheduleEditors.end(); ++it)
        show(m_scheduleForm, it.value(), reads(schedule, it.key().toUtf8().constData()));
    m_baseline->setEnabled(m_hasBaseline->isChecked());
}

// Choosing "sequential" on an empty stack starts from the preset chosen before, so the person
// edits layers rather than typing them all.
void JobForm::offerPresetLayers(const QString &type) {
    const std::string previous = m_shownModelType;
    m_shownModelType = type.toStdString();
    if (type != "sequential" || !m_layers->layers().empty()) return;
    ModelSpec preset = spec().model;
    preset.type = previous == "cnn" || previous == "text_cnn" ? previous : "mlp";
    std::vector<int64_t> shape = {1, 28, 28};
    const std::string dataset = text(m_datasetName);
    if (dataset == "text_folder") shape = {m_sequenceLength->value()};
    if (dataset == "synthetic") shape = {32};
    if (dataset == "image_folder") {
        const std::vector<int> size = parseInts(m_imageSize->text());
        if (size.size() == 2) shape = {m_imageChannels->value(), size[0], size[1]};
    }
    m_layers->setLayers(modelLayers(preset, shape));
}

bool JobForm::showField(const QString &field) {
    if (!m_layers->showField(field)) return false;
    reveal(m_layers);
    return true;
}

void JobForm::setSpec(const JobSpec &s) {
    m_name->setText(QString::fromStdString(s.name));
    select(m_datasetName, s.dataset.name);
    m_datasetPath->setText(QString::fromStdString(s.dataset.path));
    m_limit->setValue(s.dataset.limit);
    m_validationSplit->setValue(s.dataset.validationSplit);
    m_datasetSeed->setValue(s.dataset.seed);
    m_imageSize->setText(joinInts(s.dataset.imageSize));
    m_imageChannels->setValue(s.dataset.channels);
    select(m_textMode, s.dataset.textMode);
    m_maxTokens->setValue(s.dataset.maxTokens);
    m_sequenceLength->setValue(s.dataset.sequenceLength);
    m_testPath->setText(QString::fromStdString(s.dataset.testPath));

    m_mapWorkers->setValue(s.pipeline.mapWorkers);
    m_shuffleBuffer->setValue(s.pipeline.shuffleBuffer);
    m_preprocess->setOps(s.pipeline.preprocess);
    m_augment->setOps(s.pipeline.augment);
    select(m_cache, s.pipeline.cache);
    m_pinMemory->setChecked(s.pipeline.pinMemory);
    m_prefetch->setValue(s.pipeline.prefetch);
    m_snapshot->setText(QString::fromStdString(s.pipeline.snapshot));

    m_layers->setLayers(s.model.layers);
    m_shownModelType = s.model.type;
    {
        const QSignalBlocker block(m_modelType); // no preset offered: the layers are the spec's
        select(m_modelType, s.model.type);
    }
    m_modelPath->setText(QString::fromStdString(s.model.path));
    QStringList freeze;
    for (const std::string &p : s.model.freeze)
        freeze << QString::fromStdString(p);
    m_freeze->setText(freeze.join(", "));
    m_hidden->setText(joinInts(s.model.hidden));
    m_channels->setText(joinInts(s.model.channels));
    m_dropout->setValue(s.model.dropout);
    m_embeddingDim->setValue(s.model.embeddingDim);
    select(m_optimizer, s.optimizer.type);
    m_learningRate->setValue(s.optimizer.learningRate);
    m_momentum->setValue(s.optimizer.momentum);
    m_weightDecay->setValue(s.optimizer.weightDecay);
    m_clipNorm->setValue(s.optimizer.clipNorm);
    const ScheduleSpec &sch = s.optimizer.schedule;
    select(m_scheduleType, sch.type);
    m_stepEpochs->setValue(sch.stepEpochs);
    m_gamma->setValue(sch.gamma);
    m_warmupEpochs->setValue(sch.warmupEpochs);
    m_minLearningRate->setValue(sch.minLearningRate);
    m_pctStart->setValue(sch.pctStart);
    m_divFactor->setValue(sch.divFactor);
    m_finalDivFactor->setValue(sch.finalDivFactor);
    select(m_plateauMonitor, sch.monitor);
    select(m_plateauMode, sch.mode);
    m_factor->setValue(sch.factor);
    m_plateauPatience->setValue(sch.patience);
    m_plateauMinDelta->setValue(sch.minDelta);
    m_cooldown->setValue(sch.cooldown);

    m_epochs->setValue(s.training.epochs);
    m_batchSize->setValue(s.training.batchSize);
    select(m_device, s.training.device);
    select(m_mixedPrecision, s.training.mixedPrecision);
    m_trainingSeed->setValue(s.training.seed);
    m_threads->setValue(s.training.threads);
    m_labelSmoothing->setValue(s.training.labelSmoothing);
    m_initialWeights->setText(QString::fromStdString(s.training.initialWeights));
    m_initialEpoch->setValue(s.training.initialEpoch);

    // Unchecked, the group still shows (greyed) what checking it would use.
    const EarlyStoppingSpec early = s.earlyStopping.value_or(EarlyStoppingSpec{});
    m_earlyStopping->setChecked(s.earlyStopping.has_value());
    select(m_monitor, early.monitor);
    select(m_mode, early.mode);
    m_patience->setValue(early.patience);
    m_minDelta->setValue(early.minDelta);
    m_hasBaseline->setChecked(early.baseline.has_value());
    m_baseline->setValue(early.baseline.value_or(0));
    m_restoreBest->setChecked(early.restoreBestWeights);

    m_checkpoint->setChecked(s.checkpoint);
    m_confusion->setChecked(s.confusionMatrix);
    m_histogramsEvery->setValue(s.histogramsEvery);

    m_profile->setChecked(s.profile.enabled);
    m_skipFirst->setValue(s.profile.skipFirst);
    m_wait->setValue(s.profile.wait);
    m_warmup->setValue(s.profile.warmup);
    m_active->setValue(s.profile.active);
    m_repeat->setValue(s.profile.repeat);
    updateEnabled();
}

JobSpec JobForm::spec() const {
    JobSpec s;
    s.name = m_name->text().trimmed().toStdString();
    s.dataset.name = text(m_datasetName);
    s.dataset.path = m_datasetPath->text().toStdString();
    s.dataset.limit = m_limit->value();
    s.dataset.validationSplit = m_validationSplit->value();
    s.dataset.seed = m_datasetSeed->value();
    s.dataset.imageSize = parseInts(m_imageSize->text());
    s.dataset.channels = m_imageChannels->value();
    s.dataset.textMode = text(m_textMode);
    s.dataset.maxTokens = m_maxTokens->value();
    s.dataset.sequenceLength = m_sequenceLength->value();
    s.dataset.testPath = m_testPath->text().trimmed().toStdString();

    s.pipeline.mapWorkers = m_mapWorkers->value();
    s.pipeline.shuffleBuffer = m_shuffleBuffer->value();
    s.pipeline.preprocess = m_preprocess->ops();
    s.pipeline.augment = m_augment->ops();
    s.pipeline.cache = text(m_cache);
    s.pipeline.prefetch = m_prefetch->value();
    s.pipeline.snapshot = m_snapshot->text().toStdString();
    s.pipeline.pinMemory = m_pinMemory->isChecked();

    s.model.type = text(m_modelType);
    s.model.hidden = parseInts(m_hidden->text());
    s.model.channels = parseInts(m_channels->text());
    s.model.dropout = m_dropout->value();
    s.model.embeddingDim = m_embeddingDim->value();
    s.model.layers = m_layers->layers();
    s.model.path = m_modelPath->text().trimmed().toStdString();
    for (const QString &p : m_freeze->text().split(',', Qt::SkipEmptyParts))
        if (!p.trimmed().isEmpty()) s.model.freeze.push_back(p.trimmed().toStdString());
    s.optimizer.type = text(m_optimizer);
    s.optimizer.learningRate = m_learningRate->value();
    s.optimizer.momentum = m_momentum->value();
    s.optimizer.weightDecay = m_weightDecay->value();
    s.optimizer.clipNorm = m_clipNorm->value();
    ScheduleSpec &sch = s.optimizer.schedule;
    sch.type = text(m_scheduleType);
    sch.stepEpochs = m_stepEpochs->value();
    sch.gamma = m_gamma->value();
    sch.warmupEpochs = m_warmupEpochs->value();
    sch.minLearningRate = m_minLearningRate->value();
    sch.pctStart = m_pctStart->value();
    sch.divFactor = m_divFactor->value();
    sch.finalDivFactor = m_finalDivFactor->value();
    sch.monitor = text(m_plateauMonitor);
    sch.mode = text(m_plateauMode);
    sch.factor = m_factor->value();
    sch.patience = m_plateauPatience->value();
    sch.minDelta = m_plateauMinDelta->value();
    sch.cooldown = m_cooldown->value();

    s.training.epochs = m_epochs->value();
    s.training.batchSize = m_batchSize->value();
    s.training.device = text(m_device);
    s.training.mixedPrecision = text(m_mixedPrecision);
    s.training.seed = m_trainingSeed->value();
    s.training.threads = m_threads->value();
    s.training.labelSmoothing = m_labelSmoothing->value();
    s.training.initialWeights = m_initialWeights->text().toStdString();
    s.training.initialEpoch = m_initialEpoch->value();

    if (m_earlyStopping->isChecked()) {
        EarlyStoppingSpec e;
        e.monitor = text(m_monitor);
        e.mode = text(m_mode);
        e.patience = m_patience->value();
        e.minDelta = m_minDelta->value();
        if (m_hasBaseline->isChecked()) e.baseline = m_baseline->value();
        e.restoreBestWeights = m_restoreBest->isChecked();
        s.earlyStopping = e;
    }
    s.checkpoint = m_checkpoint->isChecked();
    s.confusionMatrix = m_confusion->isChecked();
    s.histogramsEvery = m_histogramsEvery->value();

    s.profile.enabled = m_profile->isChecked();
    s.profile.skipFirst = m_skipFirst->value();
    s.profile.wait = m_wait->value();
    s.profile.warmup = m_warmup->value();
    s.profile.active = m_active->value();
    s.profile.repeat = m_repeat->value();
    return s;
}

void JobForm::reveal(QWidget *editor) {
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->widget(i)->isAncestorOf(editor)) m_tabs->setCurrentIndex(i);
}

void JobForm::loadSpec(const QString &path) {
    loadFile<JobSpec>(path, JobSpec::fromFile, [this](const JobSpec &spec) { setSpec(spec); });
}

void JobForm::browseSpec() {
    const QString path = QFileDialog::getOpenFileName(this, "Load job spec", {},
                                                      "Job specs (*.json);;All files (*)");
    if (!path.isEmpty()) loadSpec(path);
}

} // namespace trainscope
