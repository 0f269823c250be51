#include "widgets/tune/spaceeditor.h"
#include "widgets/tune/sweepform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace trainscope;

namespace {

Param number(const std::string &name, ParamKind kind, double min, double max, double step = 0,
             Scale scale = Scale::Linear) {
    Param p;
    p.name = name;
    p.kind = kind;
    p.min = min;
    p.max = max;
    p.step = step;
    p.scale = scale;
    return p;
}

// Every kind of parameter, a condition and a default, a Bayesian oracle and a median pruner.
SweepSpec richSpec() {
    SweepSpec s;
    s.name = "rich";
    JobSpec job;
    job.name = "base";
    job.training.epochs = 3;
    s.job = job;
    Param type;
    type.name = "optimizer.type";
    type.kind = ParamKind::Choice;
    type.choices = {std::string("adam"), std::string("sgd")};
    Param momentum = number("optimizer.momentum", ParamKind::Float, 0.5, 0.99);
    momentum.conditions.push_back({"optimizer.type", {std::string("sgd")}});
    Param batch;
    batch.name = "training.batch_size";
    batch.kind = ParamKind::Choice;
    batch.choices = {int64_t(32), int64_t(64), int64_t(128)};
    batch.ordered = true;
    Param dropout = number("model.dropout", ParamKind::Float, 0, 0.5, 0.1);
    dropout.defaultValue = 0.2;
    Param pin;
    pin.name = "pipeline.pin_memory";
    pin.kind = ParamKind::Boolean;
    Param epochs;
    epochs.name = "training.seed";
    epochs.kind = ParamKind::Fixed;
    epochs.fixed = int64_t(7);
    s.space =
        SearchSpace({number("optimizer.learning_rate", ParamKind::Float, 1e-5, 1e-1, 0, Scale::Log),
                     number("model.hidden", ParamKind::Int, 32, 256, 32), type, momentum, batch,
                     dropout, pin, epochs});
    s.objective = Objective{"val/loss", false};
    s.oracle.type = "bayesian";
    s.oracle.seed = 11;
    s.oracle.initialPoints = 6;
    s.oracle.acquisition = "ucb";
    s.oracle.kappa = 1.5;
    s.oracle.allowDuplicates = true;
    s.pruner.type = "median";
    s.pruner.warmupEpochs = 2;
    s.pruner.minTrials = 4;
    s.maxTrials = 33;
    s.workers = 2;
    s.executionsPerTrial = 3;
    s.maxConsecutiveFailedTrials = 5;
    return s;
}

int rowOf(const QTableWidget *table, const QString &name) {
    for (int r = 0; r < table->rowCount(); ++r)
        if (qobject_cast<QComboBox *>(table->cellWidget(r, SpaceEditor::NameColumn))
                ->currentText() == name)
            return r;
    return -1;
}

} // namespace

class TestSweepForm : public QObject {
    Q_OBJECT
private slots:
    void defaultsAreTheFashionMnistBayesianSweep() {
        SweepForm form;
        QCOMPARE(form.spaceEditor()->table()->rowCount(), 3);
        const SweepSpec s = form.spec();
        QVERIFY(s.job.has_value());
        QCOMPARE(s.job->dataset.name, std::string("fashion_mnist"));
        QCOMPARE(s.job->model.type, std::string("mlp"));
        QCOMPARE(s.oracle.type, std::string("bayesian")); // not Hyperband: full-length trials
        QCOMPARE(s.oracle.maxEpochs, 9);                  // ready when Hyperband is picked
        QCOMPARE(s.oracle.factor, 3);
        QCOMPARE(s.objective.metric, std::string("val/accuracy"));
        QVERIFY(s.objective.maximize);
        const auto &params = s.space.params();
        QCOMPARE(int(params.size()), 3);
        QCOMPARE(params[0].name, std::string("optimizer.learning_rate"));
        QCOMPARE(params[0].scale, Scale::Log);
        QCOMPARE(params[0].min, 1e-4);
        QCOMPARE(params[0].max, 1e-2);
        QCOMPARE(params[1].name, std::string("model.hidden"));
        QCOMPARE(params[1].kind, ParamKind::Int);
        QCOMPARE(params[1].step, 64.0);
        QCOMPARE(params[1].max, 512.0);
        QCOMPARE(params[2].name, std::string("model.dropout"));
        QCOMPARE(params[2].step, 0.1);
        QCOMPARE(params[2].max, 0.5);
        QVERIFY(form.validate());
        QCOMPARE(form.errorText(), QString());
    }

    void roundTripsASpec() {
        SweepForm form;
        const SweepSpec original = richSpec();
        form.setSpec(original);
        QCOMPARE(form.spaceEditor()->table()->rowCount(), 8);
        const SweepSpec edited = form.spec();
        // What the core would read from the original is what the form gives back.
        QCOMPARE(QString::fromStdString(edited.toJson()),
                 QString::fromStdString(SweepSpec::fromJson(original.toJson()).toJson()));
        QCOMPARE(edited.oracle.acquisition, std::string("ucb"));
        QCOMPARE(edited.oracle.kappa, 1.5);
        QCOMPARE(edited.pruner.minTrials, 4);
        QCOMPARE(edited.executionsPerTrial, 3);
        QCOMPARE(edited.job->name, std::string("base"));
        const Param *momentum = edited.space.find("optimizer.momentum");
        QVERIFY(momentum);
        QCOMPARE(int(momentum->conditions.size()), 1);
        QCOMPARE(momentum->conditions[0].parent, std::string("optimizer.type"));
        QVERIFY(momentum->conditions[0].values[0] == ParamValue(std::string("sgd")));
        const Param *batch = edited.space.find("training.batch_size");
        QVERIFY(batch->ordered);
        QVERIFY(batch->choices[2] == ParamValue(int64_t(128)));
        QVERIFY(edited.space.find("model.dropout")->defaultValue == ParamValue(0.2));
        QVERIFY(edited.space.find("training.seed")->fixed == ParamValue(int64_t(7)));
        QCOMPARE(edited.space.find("pipeline.pin_memory")->kind, ParamKind::Boolean);

        // Moving rows keeps their contents (and the condition's parent stays earlier).
        form.spaceEditor()->moveRow(0, 1);
        QCOMPARE(form.spec().space.params()[0].name, std::string("model.hidden"));
        QCOMPARE(form.spec().space.params()[1].scale, Scale::Log);
    }

    void minAboveMaxNamesTheParameter() {
        SweepForm form;
        QTableWidget *space = form.spaceEditor()->table();
        const int row = rowOf(space, "model.hidden");
        QCOMPARE(row, 1);
        space->item(row, SpaceEditor::MinColumn)->setText("600");
        QVERIFY(!form.validate());
        QVERIFY2(form.errorText().startsWith("space.model.hidden"), qPrintable(form.errorText()));
        QVERIFY(form.errorText().contains("min"));
        QCOMPARE(space->currentRow(), row); // the bad row is selected
        QVERIFY_THROWS_EXCEPTION(SpecError, form.spec());
        try {
            form.spec();
        } catch (const SpecError &e) {
            QCOMPARE(e.field(), std::string("space.model.hidden"));
        }
        // Accepting is refused while the error stands.
        form.accept();
        QCOMPARE(form.result(), int(QDialog::Rejected));
        space->item(row, SpaceEditor::MinColumn)->setText("64");
        QVERIFY(form.validate());
        QCOMPARE(form.errorText(), QString());

        space->item(row, SpaceEditor::MaxColumn)->setText("lots");
        QVERIFY(!form.validate());
        QVERIFY2(form.errorText().contains("space.model.hidden.max"), qPrintable(form.errorText()));
        space->item(row, SpaceEditor::MaxColumn)->setText("512");

        // An empty choice and log sampling from 0 are the core's to reject, by name.
        const int choice = form.spaceEditor()->addParam([] {
            Param p;
            p.name = "optimizer.type";
            p.kind = ParamKind::Choice;
            p.choices = {std::string("adam")};
            return p;
        }());
        space->item(choice, SpaceEditor::ValuesColumn)->setText("");
        QVERIFY(!form.validate());
        QVERIFY2(form.errorText().contains("optimizer.type"), qPrintable(form.errorText()));
        QCOMPARE(space->currentRow(), choice);
        form.spaceEditor()->removeRow(choice);
        space->item(0, SpaceEditor::MinColumn)->setText("0");
        QVERIFY(!form.validate());
        QVERIFY2(form.errorText().contains("optimizer.learning_rate"),
                 qPrintable(form.errorText()));
    }

    void settingsShownPerOracleAndPruner() {
        SweepForm form;
        auto visible = [&](const char *name) {
            return form.findChild<QWidget *>(name)->isVisibleTo(&form);
        };
        auto *oracle = form.findChild<QComboBox *>("oracle.type");
        QVERIFY(visible("oracle.initial_points")); // Bayesian by default
        QVERIFY(!visible("oracle.max_epochs"));
        oracle->setCurrentText("hyperband");
        QVERIFY(visible("oracle.max_epochs"));
        QVERIFY(visible("oracle.factor"));
        QVERIFY(!visible("oracle.initial_points"));
        oracle->setCurrentText("bayesian");
        QVERIFY(visible("oracle.initial_points"));
        QVERIFY(visible("oracle.acquisition"));
        QVERIFY(!visible("oracle.kappa")); // ucb only
        form.findChild<QComboBox *>("oracle.acquisition")->setCurrentText("ucb");
        QVERIFY(visible("oracle.kappa"));
        QVERIFY(!visible("oracle.max_epochs"));
        oracle->setCurrentText("grid");
        QVERIFY(!visible("oracle.seed"));
        auto *pruner = form.findChild<QComboBox *>("pruner.type");
        QVERIFY(!visible("pruner.warmup_epochs"));
        pruner->setCurrentText("asha");
        QVERIFY(visible("pruner.reduction_factor"));
        QVERIFY(!visible("pruner.min_trials"));

        // The direction follows the metric's name.
        auto *metric = form.findChild<QComboBox *>("objective.metric");
        auto *direction = form.findChild<QComboBox *>("objective.direction");
        metric->setCurrentText("train/loss");
        QCOMPARE(direction->currentText(), QString("minimize"));
        metric->setCurrentText("val/accuracy");
        QCOMPARE(direction->currentText(), QString("maximize"));
    }

    // The base job's epochs and dataset limit are the form's to set: a quick sweep trains each
    // trial briefly on a part of the data.
    void epochsAndDatasetLimitOfTheBaseJob() {
        JobSpec big;
        big.name = "big";
        big.training.epochs = 12;
        big.dataset.limit = 5000;
        SweepForm form({{"MLP", JobSpec{}}, {"Big", big}});
        auto *epochs = form.findChild<QSpinBox *>("training.epochs");
        auto *limit = form.findChild<QSpinBox *>("dataset.limit");
        QVERIFY(epochs && limit);
        QCOMPARE(epochs->value(), JobSpec{}.training.epochs);
        QCOMPARE(limit->value(), 0);
        QCOMPARE(limit->text(), QString("all"));
        form.findChild<QComboBox *>("job")->setCurrentIndex(1); // the job's own values
        QCOMPARE(epochs->value(), 12);
        QCOMPARE(limit->value(), 5000);
        epochs->setValue(2);
        limit->setValue(600);
        SweepSpec s = form.spec();
        QCOMPARE(s.job->training.epochs, 2);
        QCOMPARE(s.job->dataset.limit, 600);
        QCOMPARE(s.job->name, std::string("big"));
        // A spec read back shows its job's values.
        SweepSpec other = richSpec();
        other.job->dataset.limit = 250;
        form.setSpec(other);
        QCOMPARE(epochs->value(), 3);
        QCOMPARE(limit->value(), 250);
        QCOMPARE(form.spec().job->dataset.limit, 250);
        // A command sweep has no job to set them on.
        form.findChild<QLineEdit *>("command")->setText("echo objective={model.hidden}");
        QVERIFY(!epochs->isEnabled() && !limit->isEnabled());
        form.findChild<QLineEdit *>("command")->clear();
        QVERIFY(epochs->isEnabled());
    }

    void baseJobFromTheListOrAFile() {
        JobSpec cnn;
        cnn.name = "cnn";
        cnn.model.type = "cnn";
        SweepForm form({{"MLP", JobSpec{}}, {"CNN", cnn}});
        auto *job = form.findChild<QComboBox *>("job");
        QCOMPARE(job->count(), 2);
        job->setCurrentIndex(1);
        QCOMPARE(form.spec().job->model.type, std::string("cnn"));

        QTemporaryDir dir;
        const QString path = dir.filePath("small.json");
        JobSpec small;
        small.name = "small";
        small.dataset.limit = 1000;
        std::ofstream(path.toStdString()) << small.toJson();
        // Files are read off the GUI thread: wait for the form to say it is done.
        auto load = [&](const QString &file) {
            QSignalSpy done(&form, &SweepForm::loadFinished);
            form.loadJob(file);
            return done.wait(5000) && done[0][0].toBool();
        };
        QVERIFY(load(path));
        QCOMPARE(job->count(), 3);
        QCOMPARE(form.spec().job->dataset.limit, 1000);

        const QString bad = dir.filePath("bad.json");
        std::ofstream(bad.toStdString()) << R"({"model": {"type": "transformer"}})";
        QVERIFY(!load(bad));
        QVERIFY2(form.errorText().contains("bad.json"), qPrintable(form.errorText()));
        QCOMPARE(job->count(), 3);

        // A command instead of a job: placeholders must name parameters.
        auto *command = form.findChild<QLineEdit *>("command");
        command->setText("python3 train.py --lr {optimizer.learning_rate} --x {nope}");
        QVERIFY(!form.validate());
        QVERIFY2(form.errorText().contains("nope"), qPrintable(form.errorText()));
        command->setText("python3 train.py --lr {optimizer.learning_rate}");
        QVERIFY2(form.validate(), qPrintable(form.errorText()));
        QVERIFY(!form.spec().job);
        QCOMPARE(form.spec().command,
                 std::string("python3 train.py --lr {optimizer.learning_rate}"));
    }

    void addingACommonPathFillsItsRange() {
        SweepForm form;
        QPushButton *add = form.findChild<QPushButton *>("addParam");
        add->click(); // the first common path not yet used: optimizer.type
        QTableWidget *space = form.spaceEditor()->table();
        QCOMPARE(space->rowCount(), 4);
        QCOMPARE(
            qobject_cast<QComboBox *>(space->cellWidget(3, SpaceEditor::NameColumn))->currentText(),
            QString("optimizer.type"));
        add->click(); // training.batch_size
        add->click(); // optimizer.weight_decay
        add->click(); // optimizer.momentum: conditional on the earlier optimizer.type
        const SweepSpec s = form.spec();
        QCOMPARE(int(s.space.params().size()), 7);
        const Param *momentum = s.space.find("optimizer.momentum");
        QVERIFY(momentum);
        QCOMPARE(momentum->conditions.at(0).parent, std::string("optimizer.type"));
        QCOMPARE(s.space.find("optimizer.weight_decay")->scale, Scale::Log);
        QCOMPARE(s.space.find("optimizer.type")->choices.size(), size_t(3));
    }

    // A layer stack's fields are parameters: a layer's type, and its fields active for the
    // types that have them.
    void aLayerStacksFieldsAreOffered() {
        const JobSpec text = JobSpec::fromJson(R"({"model": {"type": "sequential", "layers": [
            {"type": "embedding", "dim": 16}, {"type": "lstm", "units": 32},
            {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 2}]}})");
        SweepForm form({{"MLP", JobSpec{}}, {"Text LSTM", text}});
        auto *job = form.findChild<QComboBox *>("job");
        job->setCurrentIndex(1);
        SpaceEditor *editor = form.spaceEditor();
        QVERIFY(editor->paths().contains("model.layers.1.type"));
        QVERIFY(!editor->paths().contains("model.hidden"));
        // The untouched default became this job's: its units and rate.
        SweepSpec s = form.spec();
        QVERIFY(s.space.find("model.layers.1.units") && s.space.find("model.layers.2.rate"));
        QVERIFY(!s.space.find("model.hidden"));

        QTableWidget *space = editor->table();
        auto addNamed = [&](const QString &name) {
            form.findChild<QPushButton *>("addParam")->click();
            auto *combo = qobject_cast<QComboBox *>(space->cellWidget(space->rowCount() - 1, 0));
            combo->setCurrentText(name);
            emit combo->activated(combo->currentIndex());
        };
        editor->removeRow(1); // the units row, re-added below after the type
        addNamed("model.layers.1.type");
        addNamed("model.layers.1.units");
        s = form.spec();
        const Param *type = s.space.find("model.layers.1.type");
        QVERIFY(type && type->choices.size() == 3); // conv1d, lstm, gru
        const Param *units = s.space.find("model.layers.1.units");
        QVERIFY(units);
        QCOMPARE(units->conditions.at(0).parent, std::string("model.layers.1.type"));
        QCOMPARE(units->conditions.at(0).values,
                 (std::vector<ParamValue>{std::string("lstm"), std::string("gru")}));
        // Back to the MLP: an edited space stays, and OK names what the MLP does not take.
        job->setCurrentIndex(0);
        QVERIFY(!form.validate());
        QVERIFY2(form.errorText().startsWith("space.model.layers"), qPrintable(form.errorText()));
    }
};

QTEST_MAIN(TestSweepForm)
#include "tst_sweepform.moc"
