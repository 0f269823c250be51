// The "New job" dialog: edits every field of a JobSpec, validates it with the spec parser on
// OK (the error names the field and the dialog stays open) and loads spec files.
#pragma once

#include "core/jobs/jobspec.h"
#include "widgets/specdialog.h"

#include <QMap>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;

namespace trainscope {

class AugmentOpsBox;
class LayerStackEditor;

class JobForm : public SpecDialog {
    Q_OBJECT
public:
    explicit JobForm(QWidget *parent = nullptr);

    void setSpec(const JobSpec &spec);
    JobSpec spec() const; // as edited; not yet validated

    // Reads a spec file into the form off the GUI thread; on failure shows the error.
    // loadFinished(ok) follows.
    void loadSpec(const QString &path);

private:
    void check() const override { spec().validate(); }
    bool showField(const QString &field) override; // a layer's field: select the layer
    void reveal(QWidget *editor) override;         // shows the editor's tab
    QWidget *dataPage();
    QWidget *pipelinePage();
    QWidget *modelPage();
    QWidget *trainingPage();
    QWidget *callbacksPage();
    QWidget *profilePage();
    void browseSpec();
    void updateEnabled();
    void offerPresetLayers(const QString &type);

    QTabWidget *m_tabs;
    QLineEdit *m_name;
    // dataset
    QComboBox *m_datasetName;
    QLineEdit *m_datasetPath;
    QSpinBox *m_limit;
    QDoubleSpinBox *m_validationSplit;
    QSpinBox *m_datasetSeed;
    QLineEdit *m_imageSize;
    QSpinBox *m_imageChannels;
    QComboBox *m_textMode;
    QSpinBox *m_maxTokens;
    QSpinBox *m_sequenceLength;
    QLineEdit *m_testPath;
    QLineEdit *m_snapshot;
    QCheckBox *m_pinMemory;
    QSpinBox *m_embeddingDim;
    // pipeline
    QSpinBox *m_mapWorkers;
    QSpinBox *m_shuffleBuffer;
    AugmentOpsBox *m_preprocess;
    AugmentOpsBox *m_augment;
    QComboBox *m_cache;
    QSpinBox *m_prefetch;
    // model and optimizer
    QComboBox *m_modelType;
    QLineEdit *m_hidden;
    QLineEdit *m_channels;
    QDoubleSpinBox *m_dropout;
    QLineEdit *m_modelPath;
    QLineEdit *m_freeze;
    LayerStackEditor *m_layers;
    std::string m_shownModelType; // the type before a change (to offer its layers)
    QComboBox *m_optimizer;
    QDoubleSpinBox *m_learningRate;
    QDoubleSpinBox *m_momentum;
    QDoubleSpinBox *m_weightDecay;
    QDoubleSpinBox *m_clipNorm;
    QComboBox *m_scheduleType;
    QFormLayout *m_modelForm = nullptr, *m_scheduleForm = nullptr;
    int m_modelPathRow = 0; // the TorchScript file's row (a layout, not one editor)
    QMap<QString, QWidget *> m_scheduleEditors; // by field: enabled for the type's own
    QSpinBox *m_stepEpochs, *m_plateauPatience, *m_cooldown;
    QDoubleSpinBox *m_gamma, *m_warmupEpochs, *m_minLearningRate, *m_pctStart, *m_divFactor,
        *m_finalDivFactor, *m_factor, *m_plateauMinDelta;
    QComboBox *m_plateauMonitor, *m_plateauMode;
    // training
    QSpinBox *m_epochs;
    QSpinBox *m_batchSize;
    QComboBox *m_device;
    QComboBox *m_mixedPrecision;
    QSpinBox *m_trainingSeed;
    QSpinBox *m_threads;
    QDoubleSpinBox *m_labelSmoothing;
    QLineEdit *m_initialWeights;
    QSpinBox *m_initialEpoch;
    // early stopping
    QGroupBox *m_earlyStopping;
    QComboBox *m_monitor;
    QComboBox *m_mode;
    QSpinBox *m_patience;
    QDoubleSpinBox *m_minDelta;
    QCheckBox *m_hasBaseline;
    QDoubleSpinBox *m_baseline;
    QCheckBox *m_restoreBest;
    // callbacks
    QCheckBox *m_checkpoint;
    QCheckBox *m_confusion;
    QSpinBox *m_histogramsEvery;
    // profile window
    QGroupBox *m_profile;
    QSpinBox *m_skipFirst;
    QSpinBox *m_wait;
    QSpinBox *m_warmup;
    QSpinBox *m_active;
    QSpinBox *m_repeat;
};

} // namespace trainscope
