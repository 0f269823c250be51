#include "widgets/tune/sweepform.h"

#include "core/jobs/observer.h"
#include "widgets/jobs/formfields.h"
#include "widgets/tune/spaceeditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>
#include <limits>

namespace trainscope {

using namespace formfields;

SweepSpec SweepForm::defaultSpec(const JobSpec &job) {
    SweepSpec s;
    s.name = job.name + "-sweep";
    s.job = job;
    // The learning rate, and the model's size and dropout where the job's model has them (a
    // stack's first units and rate).
    std::vector<Param> params = {SpaceEditor::preset("optimizer.learning_rate")};
    bool units = false, rate = false;
    for (const std::string &field : job.tunableFields()) {
        const bool isUnits =
            field == "model.hidden" || (field.rfind("model.layers.", 0) == 0 && field.size() > 6 &&
                                        field.compare(field.size() - 6, 6, ".units") == 0);
        const bool isRate =
            field == "model.dropout" || (field.rfind("model.layers.", 0) == 0 && field.size() > 5 &&
                                         field.compare(field.size() - 5, 5, ".rate") == 0);
        if ((isUnits && !units) || (isRate && !rate))
            params.push_back(SpaceEditor::preset(QString::fromStdString(field)));
        units |= isUnits;
        rate |= isRate;
    }
    s.space = SearchSpace(params);
    s.objective = Objective{"val/accuracy", true};
    s.oracle.type = "bayesian";
    s.oracle.maxEpochs = 9;
    s.oracle.factor = 3;
    s.maxTrials = 20;
    return s;
}

SweepForm::SweepForm(const std::vector<NamedJob> &jobs, QWidget *parent)
    : SpecDialog(parent)
    , m_name(named(new QLineEdit(this), "name", "names the sweep"))
    , m_space(new SpaceEditor(this)) {
    setWindowTitle("New sweep");
    auto *top = new QHBoxLayout;
    top->addWidget(trialsGroup(), 1);
    top->addWidget(searchGroup(), 1);
    auto *nameRow = new QFormLayout;
    nameRow->addRow("Name", m_name);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText("Start sweep");
    connect(buttons, &QDialogButtonBox::accepted, this, &SweepForm::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(nameRow);
    layout->addLayout(top);
    layout->addWidget(m_space, 1);
    layout->addWidget(errorLabel());
    layout->addWidget(buttons);
    resize(940, 640);

    setJobs(jobs);
    setSpec(defaultSpec(m_jobs.front().second));
    connect(m_job, &QComboBox::currentIndexChanged, this, &SweepForm::jobChanged);
    jobChanged(m_job->currentIndex());
}

// The name column offers the new base job's fields; a space left as the old job's default
// becomes the new one's (an edited space is kept, and OK says what the job does not take).
void SweepForm::jobChanged(int index) {
    if (index < 0 || index >= int(m_jobs.size())) return;
    const JobSpec &job = m_jobs[size_t(index)].second;
    m_space->setPaths(toStringList(job.tunableFields()));
    std::string shown;
    try {
        shown = SearchSpace(m_space->params()).summary();
    } catch (const SpecError &) { // a half-edited table is not a default
    }
    if (m_spaceJob >= 0 && m_spaceJob < int(m_jobs.size()) &&
        shown == defaultSpec(m_jobs[size_t(m_spaceJob)].second).space.summary())
        m_space->setParams(defaultSpec(job).space.params());
    m_spaceJob = index;
    showJobFields(job);
}

void SweepForm::showJobFields(const JobSpec &job) {
    m_epochs->setValue(job.training.epochs);
    m_datasetLimit->setValue(job.dataset.limit);
}

QWidget *SweepForm::trialsGroup() {
    auto *box = new QWidget(this);
    QFormLayout *form = nullptr;
    auto *trial = group("Each trial runs", box, form);
    m_job = named(new QComboBox(trial), "job", "the base job; each trial sets its parameters");
    auto *load = new QPushButton("Load…", trial);
    load->setObjectName("loadJob");
    load->setAutoDefault(false);
    load->setToolTip("Read a job spec file as the base job");
    connect(load, &QPushButton::clicked, this, &SweepForm::browseJob);
    auto *jobRow = new QHBoxLayout;
    jobRow->addWidget(m_job, 1);
    jobRow->addWidget(load);
    m_command = named(new QLineEdit(trial), "command",
                      "instead of a job: run this with {parameter} placeholders; it prints "
                      "objective=<number> or writes events under $TRAINSCOPE_TRIAL_LOGDIR");
    m_command->setPlaceholderText("or a command: python3 train.py --lr {optimizer.learning_rate}");
    m_epochs = intSpin(trial, "training.epochs", 1, 100000, {},
                       "epochs each trial trains (Hyperband sets its own budgets)");
    m_datasetLimit = intSpin(trial, "dataset.limit", 0, std::numeric_limits<int>::max(), "all",
                             "train each trial on at most this many examples: a quick sweep");
    connect(m_command, &QLineEdit::textChanged, this, [this](const QString &text) {
        const bool job = text.trimmed().isEmpty();
        for (QWidget *w : {static_cast<QWidget *>(m_job), static_cast<QWidget *>(m_epochs),
                           static_cast<QWidget *>(m_datasetLimit)})
            w->setEnabled(job);
    });
    m_metric = choices(trial, "objective.metric", toStringList(jobMetrics()));
    m_metric->setEditable(true); // any scalar tag the trial writes
    m_direction = choices(trial, "objective.direction", {"maximize", "minimize"});
    connect(m_metric, &QComboBox::currentTextChanged, this, [this](const QString &metric) {
        if (metric.contains("loss") || metric.contains("error"))
            m_direction->setCurrentText("minimize");
        else if (metric.contains("acc"))
            m_direction->setCurrentText("maximize");
    });
    form->addRow("Base job", jobRow);
    form->addRow("", m_command);
    form->addRow("Epochs", m_epochs);
    form->addRow("Dataset limit", m_datasetLimit);
    form->addRow("Objective", m_metric);
    form->addRow("Direction", m_direction);

    QFormLayout *budgetForm = nullptr;
    auto *budget = group("Budget", box, budgetForm);
    m_maxTrials = intSpin(budget, "max_trials", 1, 1'000'000);
    m_workers = intSpin(budget, "workers", 1, 256, {}, "trials run in parallel");
    m_executions = intSpin(budget, "executions_per_trial", 1, 100, {},
                           "repeats of each configuration, averaged");
    m_maxFailures = intSpin(budget, "max_consecutive_failed_trials", 1, 1'000'000, {},
                            "stop when this many trials in a row fail");
    budgetForm->addRow("Max trials", m_maxTrials);
    budgetForm->addRow("Parallel workers", m_workers);
    budgetForm->addRow("Executions per trial", m_executions);
    budgetForm->addRow("Stop after failures", m_maxFailures);

    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(trial);
    layout->addWidget(budget);
    layout->addStretch(1);
    return box;
}

QWidget *SweepForm::searchGroup() {
    auto *box = new QWidget(this);
    auto *oracle = group("Oracle", box, m_oracleForm);
    m_oracle = choices(oracle, "oracle.type", {"random", "grid", "bayesian", "hyperband"});
    m_seed = intSpin(oracle, "oracle.seed", 0, std::numeric_limits<int>::max());
    m_initialPoints = intSpin(oracle, "oracle.initial_points", 0, 100000, "auto",
                              "random points before the Gaussian process takes over");
    m_acquisition = choices(oracle, "oracle.acquisition", {"ei", "ucb"});
    m_acquisition->setToolTip("oracle.acquisition: expected improvement or upper confidence bound");
    m_kappa = doubleSpin(oracle, "oracle.kappa", 0, 100, 3, "ucb's exploration weight");
    m_maxEpochs = intSpin(oracle, "oracle.max_epochs", 1, 100000, {}, "the largest budget");
    m_factor = intSpin(oracle, "oracle.factor", 2, 100, {}, "keep 1/factor at each rung");
    m_iterations = intSpin(oracle, "oracle.iterations", 1, 1000, {}, "Hyperband iterations");
    m_allowDuplicates = named(new QCheckBox("Run duplicate configurations again", oracle),
                              "oracle.allow_duplicates");
    m_oracleForm->addRow("Type", m_oracle);
    m_oracleForm->addRow("Seed", m_seed);
    m_oracleForm->addRow("Initial points", m_initialPoints);
    m_oracleForm->addRow("Acquisition", m_acquisition);
    m_oracleForm->addRow("Kappa", m_kappa);
    m_oracleForm->addRow("Max epochs", m_maxEpochs);
    m_oracleForm->addRow("Factor", m_factor);
    m_oracleForm->addRow("Iterations", m_iterations);
    m_oracleForm->addRow(m_allowDuplicates);

    auto *pruner = group("Early stopping of poor trials", box, m_prunerForm);
    m_pruner = choices(pruner, "pruner.type", {"none", "median", "asha"});
    m_warmupEpochs = intSpin(pruner, "pruner.warmup_epochs", 0, 100000, {},
                             "never stop a trial before this many epochs");
    m_minTrials = intSpin(pruner, "pruner.min_trials", 1, 100000, {},
                          "compare against at least this many trials");
    m_reductionFactor = intSpin(pruner, "pruner.reduction_factor", 2, 100);
    m_prunerForm->addRow("Pruner", m_pruner);
    m_prunerForm->addRow("Warm-up epochs", m_warmupEpochs);
    m_prunerForm->addRow("Min trials", m_minTrials);
    m_prunerForm->addRow("Reduction factor", m_reductionFactor);

    for (QComboBox *c : {m_oracle, m_acquisition, m_pruner})
        connect(c, &QComboBox::currentTextChanged, this, &SweepForm::updateOracleRows);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(oracle);
    layout->addWidget(pruner);
    layout->addStretch(1);
    return box;
}

void SweepForm::updateOracleRows() {
    const QString type = m_oracle->currentText();
    const bool bayesian = type == "bayesian", hyperband = type == "hyperband";
    m_oracleForm->setRowVisible(m_seed, type != "grid");
    m_oracleForm->setRowVisible(m_initialPoints, bayesian);
    m_oracleForm->setRowVisible(m_acquisition, bayesian);
    m_oracleForm->setRowVisible(m_kappa, bayesian && m_acquisition->currentText() == "ucb");
    m_oracleForm->setRowVisible(m_maxEpochs, hyperband);
    m_oracleForm->setRowVisible(m_factor, hyperband);
    m_oracleForm->setRowVisible(m_iterations, hyperband);
    m_oracleForm->setRowVisible(m_allowDuplicates, type != "grid");
    const QString pruner = m_pruner->currentText();
    m_prunerForm->setRowVisible(m_warmupEpochs, pruner != "none");
    m_prunerForm->setRowVisible(m_minTrials, pruner == "median");
    m_prunerForm->setRowVisible(m_reductionFactor, pruner == "asha");
}

void SweepForm::setJobs(const std::vector<NamedJob> &jobs) {
    m_jobs = jobs;
    if (m_jobs.empty()) m_jobs.emplace_back("Fashion-MNIST MLP", JobSpec{});
    const QSignalBlocker block(m_job);
    m_job->clear();
    for (const auto &[name, job] : m_jobs)
        m_job->addItem(name);
    m_job->setCurrentIndex(0);
}

void SweepForm::loadJob(const QString &path) {
    loadFile<JobSpec>(
        path, JobSpec::fromFile,
        [this, path](const JobSpec &job) {
            m_jobs.emplace_back(QFileInfo(path).fileName(), job);
            m_job->addItem(m_jobs.back().first);
            m_job->setItemData(m_job->count() - 1, path, Qt::ToolTipRole);
            m_job->setCurrentIndex(m_job->count() - 1);
            m_command->clear();
        },
        "job");
}

void SweepForm::browseJob() {
    const QString path = QFileDialog::getOpenFileName(this, "Base job spec", {},
                                                      "Job specs (*.json);;All files (*)");
    if (!path.isEmpty()) loadJob(path);
}

void SweepForm::setSpec(const SweepSpec &s) {
    m_name->setText(QString::fromStdString(s.name));
    m_command->setText(QString::fromStdString(s.command));
    if (s.job) {
        const std::string json = s.job->toJson();
        int index = -1;
        for (size_t i = 0; i < m_jobs.size() && index < 0; ++i)
            if (m_jobs[i].second.toJson() == json) index = int(i);
        if (index < 0) {
            m_jobs.emplace_back(QString::fromStdString(s.job->name) + " (this sweep's)", *s.job);
            m_job->addItem(m_jobs.back().first);
            index = m_job->count() - 1;
        }
        m_job->setCurrentIndex(index);
        showJobFields(*s.job);
    }
    select(m_metric, s.objective.metric); // may guess the direction...
    m_direction->setCurrentText(s.objective.maximize ? "maximize" : "minimize"); // ...set it

    select(m_oracle, s.oracle.type);
    m_seed->setValue(int(std::min<uint64_t>(s.oracle.seed, uint64_t(m_seed->maximum()))));
    m_initialPoints->setValue(s.oracle.initialPoints);
    select(m_acquisition, s.oracle.acquisition);
    m_kappa->setValue(s.oracle.kappa);
    m_maxEpochs->setValue(s.oracle.maxEpochs);
    m_factor->setValue(s.oracle.factor);
    m_iterations->setValue(s.oracle.iterations);
    m_allowDuplicates->setChecked(s.oracle.allowDuplicates);
    select(m_pruner, s.pruner.type);
    m_warmupEpochs->setValue(s.pruner.warmupEpochs);
    m_minTrials->setValue(s.pruner.minTrials);
    m_reductionFactor->setValue(s.pruner.reductionFactor);

    m_maxTrials->setValue(s.maxTrials);
    m_workers->setValue(s.workers);
    m_executions->setValue(s.executionsPerTrial);
    m_maxFailures->setValue(s.maxConsecutiveFailedTrials);

    m_space->setParams(s.space.params());
    m_spaceJob = m_job->currentIndex();
    updateOracleRows();
    showError({}, {});
}

SweepSpec SweepForm::spec() const {
    SweepSpec s;
    s.name = m_name->text().trimmed().toStdString();
    s.command = m_command->text().trimmed().toStdString();
    const int job = m_job->currentIndex();
    if (s.command.empty()) {
        s.job = job >= 0 && job < int(m_jobs.size()) ? m_jobs[size_t(job)].second : JobSpec{};
        s.job->training.epochs = m_epochs->value();
        s.job->dataset.limit = m_datasetLimit->value();
    }
    s.objective.metric = text(m_metric);
    s.objective.maximize = m_direction->currentText() == "maximize";
    s.oracle.type = text(m_oracle);
    s.oracle.seed = uint64_t(m_seed->value());
    s.oracle.initialPoints = m_initialPoints->value();
    s.oracle.acquisition = text(m_acquisition);
    s.oracle.kappa = m_kappa->value();
    s.oracle.maxEpochs = m_maxEpochs->value();
    s.oracle.factor = m_factor->value();
    s.oracle.iterations = m_iterations->value();
    s.oracle.allowDuplicates = m_allowDuplicates->isChecked();
    s.pruner.type = text(m_pruner);
    s.pruner.warmupEpochs = m_warmupEpochs->value();
    s.pruner.minTrials = m_minTrials->value();
    s.pruner.reductionFactor = m_reductionFactor->value();
    s.maxTrials = m_maxTrials->value();
    s.workers = m_workers->value();
    s.executionsPerTrial = m_executions->value();
    s.maxConsecutiveFailedTrials = m_maxFailures->value();

    // SearchSpace checks names, ranges, choices and conditions; validate the rest (paths
    // against the job, oracle settings), as when sweep.json is read.
    s.space = SearchSpace(m_space->params());
    s.validate();
    return s;
}

bool SweepForm::showField(const QString &field) {
    if (!field.startsWith("space")) return false;
    m_space->selectField(field);
    return true;
}

} // namespace trainscope
