#include "widgets/jobs/jobform.h"
#include "widgets/jobs/layerstackeditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace trainscope;

namespace {

// Every leaf of a spec's JSON, keyed by its dotted path (lists compare whole).
QMap<QString, QString> leaves(const JobSpec &spec) {
    QMap<QString, QString> out;
    std::function<void(const QString &, const QJsonValue &)> walk = [&](const QString &path,
                                                                        const QJsonValue &v) {
        if (v.isObject()) {
            const QJsonObject o = v.toObject();
            for (auto it = o.begin(); it != o.end(); ++it)
                walk(path.isEmpty() ? it.key() : path + "." + it.key(), it.value());
        } else if (v.isArray()) {
            out[path] = QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
        } else {
            out[path] = v.toVariant().toString() + (v.isNull() ? "null" : "");
        }
    };
    walk({}, QJsonDocument::fromJson(QByteArray::fromStdString(spec.toJson())).object());
    return out;
}

// A spec in which every field differs from the default.
JobSpec unusualSpec() {
    JobSpec s;
    s.name = "cnn-augmented";
    s.dataset = {"synthetic", "/data/synth", 5000, 0.125, 17, {32, 48}, 3, "multi_hot", 777, 64};
    s.pipeline.snapshot = "/tmp/snapshots";
    s.pipeline.mapWorkers = 0; // autotune
    s.pipeline.shuffleBuffer = 2048;
    s.pipeline.preprocess = {
        {"blur", 1.5}, {"crop", 4}, {"resize", 0, {20, 24}}}; // not the form's order: kept
    s.pipeline.augment = {{"flip", 0}, {"noise", 0.05}};
    s.pipeline.cache = "memory";
    s.pipeline.prefetch = -1; // autotune
    s.pipeline.pinMemory = true;
    s.model = {"cnn", {256, 128}, {16, 32, 64}, 0.35};
    s.optimizer = {"sgd", 0.000325, 0.95, 0.0005, 2.5, {}};
    ScheduleSpec &p = s.optimizer.schedule;
    p.type = "reduce_on_plateau";
    p.monitor = "val/accuracy";
    p.mode = "max";
    p.factor = 0.25;
    p.patience = 4;
    p.minDelta = 0.01;
    p.cooldown = 2;
    p.minLearningRate = 1e-5;
    s.dataset.testPath = "/data/held-out";
    s.training = {12, 64, "cpu", "bf16", 99, 0.1, 3, "/runs/a/checkpoints/last.pt", 4};
    EarlyStoppingSpec e;
    e.monitor = "val/accuracy";
    e.mode = "max";
    e.patience = 4;
    e.minDelta = 0.001;
    e.baseline = 0.6;
    e.restoreBestWeights = false;
    s.earlyStopping = e;
    s.checkpoint = false;
    s.confusionMatrix = false;
    s.histogramsEvery = 3;
    s.profile = {false, 5, 1, 2, 8, 3};
    s.model.embeddingDim = 24;
    return s;
}

} // namespace

class TestJobForm : public QObject {
    Q_OBJECT
private slots:
    void everyFieldRoundTrips() {
        const JobSpec s = unusualSpec();
        const auto defaults = leaves(JobSpec{}), edited = leaves(s);
        QVERIFY(edited.size() >= 40);
        for (auto it = edited.begin(); it != edited.end(); ++it) // the test covers every field
            QVERIFY2(defaults.value(it.key()) != it.value(), qPrintable(it.key()));

        JobForm form;
        form.setSpec(s);
        const JobSpec back = form.spec();
        QCOMPARE(leaves(back), edited);
        QCOMPARE(back.pipeline.preprocess[0].op, std::string("blur"));
        QCOMPARE(back.pipeline.preprocess[2].size, (std::vector<int>{20, 24}));
        QCOMPARE(form.findChild<QLineEdit *>("pipeline.preprocess.resize.size")->text(),
                 QString("20, 24"));
        QCOMPARE(back.optimizer.learningRate, 0.000325);
        QVERIFY(back.earlyStopping && back.earlyStopping->baseline);
        QCOMPARE(*back.earlyStopping->baseline, 0.6);

        // The editors show the values as a person reads them.
        QCOMPARE(form.findChild<QSpinBox *>("pipeline.map_workers")->text(), QString("autotune"));
        QCOMPARE(form.findChild<QSpinBox *>("pipeline.prefetch")->text(), QString("autotune"));
        QCOMPARE(form.findChild<QLineEdit *>("model.channels")->text(), QString("16, 32, 64"));
        QCOMPARE(form.findChild<QComboBox *>("training.mixed_precision")->currentText(),
                 QString("bf16"));
        QVERIFY(form.findChild<QCheckBox *>("pipeline.augment.noise")->isChecked());
        QVERIFY(!form.findChild<QCheckBox *>("pipeline.augment.crop")->isChecked());
        QVERIFY(form.findChild<QWidget *>("optimizer.momentum")->isEnabled()); // sgd
        QVERIFY(form.validate());
        QVERIFY(form.errorText().isEmpty());
    }

    // A layer stack and a TorchScript model: what the spec holds comes back, and the editors
    // follow the chosen type.
    void layerStacksAndTorchScriptModels() {
        JobSpec s = JobSpec::fromJson(R"({"model": {"type": "sequential", "layers": [
            {"type": "embedding", "dim": 32},
            {"type": "repeat", "times": 2, "layers": [
                {"type": "conv1d", "filters": 24, "kernel": 5, "padding": "same",
                 "activation": "relu"}]},
            {"type": "lstm", "units": 48, "bidirectional": true},
            {"type": "dense", "units": "classes"}]},
            "optimizer": {"schedule": {"type": "cosine", "warmup_epochs": 0.5}}})");
        JobForm form;
        form.setSpec(s);
        QCOMPARE(leaves(form.spec()), leaves(s));
        QVERIFY(!form.findChild<QLineEdit *>("model.hidden")->isEnabled());
        QVERIFY(form.findChild<QWidget *>("optimizer.schedule.warmup_epochs")->isEnabled());
        QVERIFY(!form.findChild<QWidget *>("optimizer.schedule.gamma")->isEnabled());

        auto *editor = form.findChild<LayerStackEditor *>();
        auto *tree = form.findChild<QTreeWidget *>("model.layers");
        QCOMPARE(tree->topLevelItemCount(), 4);
        QCOMPARE(tree->topLevelItem(1)->child(0)->text(0), QString("0  conv1d(24x5, relu)"));
        // The selected layer's editors are its type's fields.
        editor->select({2});
        auto *units = form.findChild<QSpinBox *>("layer.units");
        QVERIFY(units);
        QVERIFY(!form.findChild<QWidget *>("layer.filters"));
        units->setValue(64);
        QCOMPARE(form.spec().model.layers[2].units, 64);
        QCOMPARE(tree->topLevelItem(2)->text(0), QString("2  lstm(64, bidirectional)"));
        auto *type = form.findChild<QComboBox *>("layer.type");
        type->setCurrentText("gru");
        emit type->activated(type->currentIndex());
        QCOMPARE(form.spec().model.layers[2].type, std::string("gru"));
        QCOMPARE(form.spec().model.layers[2].units, 64); // kept: a gru has units too
        // Add, nest, move and remove.
        editor->select({1});
        editor->addInside("batch_norm");
        QCOMPARE(form.spec().model.layers[1].layers[1].type, std::string("batch_norm"));
        editor->select({3});
        editor->addLayer("dropout");
        QCOMPARE(form.spec().model.layers[4].type, std::string("dropout"));
        editor->moveSelected(1); // already last
        editor->moveSelected(-1);
        QCOMPARE(form.spec().model.layers[3].type, std::string("dropout"));
        QCOMPARE(editor->selected(), std::vector<int>{3});
        editor->removeSelected();
        QCOMPARE(layersText(form.spec().model.layers),
                 std::string("embedding(32) 2x[conv1d(24x5, relu) batch_norm] gru(64, "
                             "bidirectional) dense(classes)"));
        QVERIFY(form.validate());

        // An error inside a layer selects it and focuses its field.
        form.show();
        editor->select({0});
        form.findChild<QSpinBox *>("layer.dim")->setValue(1);
        JobSpec bad = form.spec();
        bad.model.layers[2].units = 0; // a gru needs units
        form.setSpec(bad);
        QVERIFY(!form.validate());
        QVERIFY2(form.errorText().startsWith("model.layers.2.units: "),
                 qPrintable(form.errorText()));
        QCOMPARE(editor->selected(), (std::vector<int>{2}));
        QCOMPARE(form.focusWidget(), form.findChild<QSpinBox *>("layer.units"));

        // A TorchScript module: its file and freeze patterns; the presets' fields are off.
        JobSpec ts;
        ts.set({"model.type=torchscript", "model.path=/models/net.pt",
                R"(model.freeze=["backbone.*", "embed.*"])"});
        form.setSpec(ts);
        QCOMPARE(form.findChild<QLineEdit *>("model.freeze")->text(),
                 QString("backbone.*, embed.*"));
        QVERIFY(!form.findChild<QDoubleSpinBox *>("model.dropout")->isEnabled());
        QVERIFY(!editor->isEnabled());
        QCOMPARE(leaves(form.spec()), leaves(ts));

        // Switching a preset to "sequential" starts from the preset's layers.
        form.setSpec(JobSpec{});
        form.findChild<QComboBox *>("model.type")->setCurrentText("sequential");
        QCOMPARE(layersText(form.spec().model.layers),
                 std::string("flatten dense(512, relu) dropout(0.2) dense(classes)"));
        QVERIFY(editor->isEnabled());
    }

    void defaultsAndOptionalParts() {
        JobForm form;
        QCOMPARE(leaves(form.spec()), leaves(JobSpec{})); // a new form holds the defaults
        QVERIFY(!form.spec().earlyStopping);
        QVERIFY(!form.findChild<QWidget *>("optimizer.momentum")->isEnabled()); // adam

        form.findChild<QGroupBox *>("early_stopping")->setChecked(true);
        JobSpec s = form.spec();
        QVERIFY(s.earlyStopping);
        QVERIFY(!s.earlyStopping->baseline); // no baseline unless asked for
        QCOMPARE(s.earlyStopping->patience, 3);
        form.findChild<QCheckBox *>("early_stopping.has_baseline")->setChecked(true);
        form.findChild<QDoubleSpinBox *>("early_stopping.baseline")->setValue(0.25);
        QCOMPARE(*form.spec().earlyStopping->baseline, 0.25);

        form.findChild<QSpinBox *>("pipeline.map_workers")->setValue(4);
        form.findChild<QGroupBox *>("profile.enabled")->setChecked(false);
        s = form.spec();
        QCOMPARE(s.pipeline.mapWorkers, 4);
        QVERIFY(!s.profile.enabled);
        QVERIFY(s.toJson().find("\"map_workers\": 4") != std::string::npos);
    }

    void invalidInputNamesTheFieldAndStaysOpen() {
        JobForm form;
        form.show();
        auto *tabs = form.findChild<QTabWidget *>();
        tabs->setCurrentIndex(0);
        auto *hidden = form.findChild<QLineEdit *>("model.hidden");
        hidden->setText("512, 0");
        form.accept();
        QVERIFY(form.isVisible());
        QCOMPARE(form.result(), int(QDialog::Rejected));
        QVERIFY2(form.errorText().startsWith("model.hidden: "), qPrintable(form.errorText()));
        QVERIFY(form.findChild<QLabel *>("error")->isVisible());
        QCOMPARE(tabs->tabText(tabs->currentIndex()), QString("Model")); // the field is shown
        QCOMPARE(form.focusWidget(), hidden);

        hidden->setText("512");
        form.findChild<QComboBox *>("model.type")->setCurrentText("cnn");
        form.findChild<QLineEdit *>("model.channels")->setText("");
        QVERIFY(!form.validate());
        QVERIFY2(form.errorText().startsWith("model.channels: "), qPrintable(form.errorText()));

        form.findChild<QLineEdit *>("model.channels")->setText("8");
        form.findChild<QLineEdit *>("name")->setText("  ");
        QVERIFY(!form.validate());
        QCOMPARE(form.errorText(), QString("name: must not be empty"));

        form.findChild<QLineEdit *>("name")->setText("fixed");
        form.accept();
        QCOMPARE(form.result(), int(QDialog::Accepted));
        QVERIFY(!form.isVisible());
        QVERIFY(form.errorText().isEmpty());
        QCOMPARE(form.spec().model.channels, std::vector<int>{8});
    }

    void loadSpecFromFile() {
        QTemporaryDir dir;
        const QString good = dir.filePath("good.json"), bad = dir.filePath("bad.json");
        QFile f(good);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(unusualSpec().toJson().c_str());
        f.close();
        QFile b(bad);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write(R"({"name": "x", "training": {"epochs": 0}})");
        b.close();

        JobForm form;
        // Files are read off the GUI thread: wait for the form to say it is done.
        auto load = [&](const QString &path) {
            QSignalSpy done(&form, &JobForm::loadFinished);
            form.loadSpec(path);
            return done.wait(5000) && done[0][0].toBool();
        };
        QVERIFY(!load(bad));
        QVERIFY2(form.errorText().contains("training.epochs: 0 is outside"),
                 qPrintable(form.errorText()));
        QVERIFY(form.errorText().startsWith(bad));
        QCOMPARE(form.spec().name, std::string("job")); // the form is unchanged
        QVERIFY(load(good));
        QVERIFY(form.errorText().isEmpty());
        QCOMPARE(leaves(form.spec()), leaves(unusualSpec()));
    }
};

QTEST_MAIN(TestJobForm)
#include "tst_jobform.moc"
