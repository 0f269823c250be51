// The "New sweep" dialog: the base job (an embedded spec or a job file) or a command, the
// objective, the oracle and pruner with their settings, the search-space editor and the budget.
#pragma once

#include "core/jobs/jobspec.h"
#include "core/tune/sweepspec.h"

#include "widgets/specdialog.h"

#include <utility>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace trainscope {

class SpaceEditor;

class SweepForm : public SpecDialog {
    Q_OBJECT
public:
    using NamedJob = std::pair<QString, JobSpec>;

    // `jobs`: the embedded base specs offered (none: the default Fashion-MNIST MLP).
    explicit SweepForm(const std::vector<NamedJob> &jobs = {}, QWidget *parent = nullptr);

    // The form's starting point: `job` tuned over learning rate (log 1e-4..1e-2), hidden size
    // (64..512 step 64) and dropout (0..0.5 step 0.1) by the Bayesian oracle (Hyperband's
    // settings, max 9 epochs and factor 3, wait in case it is picked). Bayesian, not Hyperband:
    // every trial trains the job's full epochs, which is what a first sweep expects.
    static SweepSpec defaultSpec(const JobSpec &job = JobSpec{});

    void setJobs(const std::vector<NamedJob> &jobs); // replaces the base-job choices
    // Reads a job spec file off the GUI thread and selects it; on failure shows the error.
    // loadFinished(ok) follows.
    void loadJob(const QString &path);

    void setSpec(const SweepSpec &spec);
    // The sweep as edited, validated by the core (SearchSpace and SweepSpec::validate): throws
    // SpecError naming the field ("space.model.hidden: min > max").
    SweepSpec spec() const;

    SpaceEditor *spaceEditor() const { return m_space; }

private:
    void check() const override { spec(); }
    bool showField(const QString &field) override; // space.*: the editor's row
    QWidget *trialsGroup();
    QWidget *searchGroup();
    void updateOracleRows();
    void browseJob();
    void jobChanged(int index);
    void showJobFields(const JobSpec &job);

    std::vector<NamedJob> m_jobs; // parallel to m_job's items
    QLineEdit *m_name;
    QComboBox *m_job;
    int m_spaceJob = -1; // the base job the space was last made for
    QLineEdit *m_command;
    QSpinBox *m_epochs;       // the base job's training.epochs
    QSpinBox *m_datasetLimit; // ... and dataset.limit (0: every example)
    QComboBox *m_metric;
    QComboBox *m_direction;
    QFormLayout *m_oracleForm;
    QComboBox *m_oracle;
    QSpinBox *m_seed;
    QSpinBox *m_initialPoints;
    QComboBox *m_acquisition;
    QDoubleSpinBox *m_kappa;
    QSpinBox *m_maxEpochs;
    QSpinBox *m_factor;
    QSpinBox *m_iterations;
    QCheckBox *m_allowDuplicates;
    QFormLayout *m_prunerForm;
    QComboBox *m_pruner;
    QSpinBox *m_warmupEpochs;
    QSpinBox *m_minTrials;
    QSpinBox *m_reductionFactor;
    QSpinBox *m_maxTrials;
    QSpinBox *m_workers;
    QSpinBox *m_executions;
    QSpinBox *m_maxFailures;
    SpaceEditor *m_space;
};

} // namespace trainscope
