#include "widgets/jobs/joblistmodel.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSortFilterProxyModel>
#include <QtTest>

using namespace trainscope;

class TestJobListModel : public QObject {
    Q_OBJECT

    static QString text(const JobListModel &m, int row, int column) {
        return m.index(row, column).data().toString();
    }

private slots:
    void rowPerJobWithProgress() {
        JobListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addJob(4, "mlp-small");
        model.addJob(9, "cnn");
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(JobListModel::ColumnCount));
        QCOMPARE(model.headerData(JobListModel::ProgressColumn, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 QString("Progress"));
        QCOMPARE(text(model, 0, JobListModel::NameColumn), QString("mlp-small"));
        QCOMPARE(text(model, 1, JobListModel::StateColumn), QString("queued"));
        QCOMPARE(model.index(1, 0).data(JobListModel::JobIdRole).toInt(), 9);

        model.setState(4, JobState::Running, "/logs/mlp-small");
        JobProgress p;
        p.jobId = 4;
        p.epoch = 2;
        p.epochs = 5;
        p.batch = 50;
        p.batchesPerEpoch = 100;
        p.step = 150;
        p.samplesPerSecond = 12345.6;
        p.loss = 0.4321;
        model.setProgress(p);
        QCOMPARE(text(model, 0, JobListModel::EpochColumn), QString("2/5"));
        QCOMPARE(text(model, 0, JobListModel::ProgressColumn), QString("30%"));
        QCOMPARE(
            model.index(0, JobListModel::ProgressColumn).data(JobListModel::ValueRole).toDouble(),
            30.0);
        QCOMPARE(model.progressPercent(4), 30.0);
        QCOMPARE(text(model, 0, JobListModel::SamplesPerSecondColumn), QString("12346"));
        QCOMPARE(text(model, 0, JobListModel::LossColumn), QString("0.4321"));
        QCOMPARE(text(model, 0, JobListModel::MessageColumn), QString("/logs/mlp-small"));
        QCOMPARE(model.index(0, JobListModel::StateColumn).data(Qt::ForegroundRole).value<QColor>(),
                 QColor("#1565c0"));

        EpochResult e;
        e.jobId = 4;
        e.epoch = 2;
        e.valAccuracy = 0.876;
        model.setEpoch(e);
        QVERIFY(model.index(0, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains("val loss 0, accuracy 87.6%"));

        model.setState(4, JobState::Completed);
        QCOMPARE(text(model, 0, JobListModel::ProgressColumn), QString("100%"));
        QCOMPARE(text(model, 0, JobListModel::MessageColumn), QString("/logs/mlp-small")); // kept
        QCOMPARE(model.index(0, JobListModel::StateColumn).data(Qt::ForegroundRole).value<QColor>(),
                 QColor("#2e7d32"));

        model.setState(9, JobState::Failed, "dataset.path: cannot open /nope");
        QCOMPARE(model.state(9), JobState::Failed);
        QCOMPARE(text(model, 1, JobListModel::StateColumn), QString("failed"));
        QCOMPARE(text(model, 1, JobListModel::MessageColumn),
                 QString("dataset.path: cannot open /nope"));
        QCOMPARE(model.index(1, JobListModel::StateColumn).data(Qt::ForegroundRole).value<QColor>(),
                 QColor("#c62828"));
        QCOMPARE(
            model.index(1, JobListModel::MessageColumn).data(Qt::ForegroundRole).value<QColor>(),
            QColor("#c62828"));
        QVERIFY(!model.index(1, JobListModel::NameColumn).data(Qt::ForegroundRole).isValid());
    }

    // A running sweep's trials are rows of their own: epoch of the budget, the latest value,
    // their final status; cancelling one is told apart from a job; old finished ones go.
    void aSweepsTrialsAreRows() {
        JobListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addJob(1, "mlp");
        Trial t;
        t.id = 7;
        model.setTrial("/logs/demo", "demo", t, 5);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(text(model, 1, JobListModel::NameColumn), QString("demo / trial 7"));
        QCOMPARE(text(model, 1, JobListModel::StateColumn), QString("running"));
        QCOMPARE(text(model, 1, JobListModel::EpochColumn), QString("0/5"));
        QCOMPARE(model.jobIdAt(1), -1); // not a job: Cancel must not cancel job -1 or 0
        QCOMPARE(model.trialAt(1)->sweepDir, QString("/logs/demo"));
        QCOMPARE(model.trialAt(1)->trialId, 7);
        QVERIFY(!model.trialAt(0));
        QCOMPARE(model.rowOf(1), 0);

        t.values = {0.5, 0.625};
        model.setTrial("/logs/demo", "demo", t, 5);
        QCOMPARE(model.rowCount(), 2); // the same row
        QCOMPARE(text(model, 1, JobListModel::EpochColumn), QString("2/5"));
        QCOMPARE(text(model, 1, JobListModel::ProgressColumn), QString("40%"));
        QCOMPARE(text(model, 1, JobListModel::MessageColumn), QString("latest 0.625"));
        QCOMPARE(model.index(1, JobListModel::StateColumn).data(Qt::ForegroundRole).value<QColor>(),
                 QColor("#1565c0"));
        QVERIFY(model.index(1, 0).data(Qt::ToolTipRole).toString().contains("epoch 2 of 5"));

        t.status = TrialStatus::Completed;
        t.values.push_back(0.75);
        t.score = 0.75;
        model.setTrial("/logs/demo", "demo", t, 5);
        QCOMPARE(text(model, 1, JobListModel::StateColumn), QString("completed"));
        QCOMPARE(text(model, 1, JobListModel::ProgressColumn), QString("100%"));
        QCOMPARE(text(model, 1, JobListModel::MessageColumn), QString("score 0.75"));

        Trial cancelled;
        cancelled.id = 8;
        cancelled.epochs = 3; // its own budget
        cancelled.values = {0.2};
        model.setTrial("/logs/demo", "demo", cancelled, 5);
        QCOMPARE(text(model, 2, JobListModel::EpochColumn), QString("1/3"));
        cancelled.status = TrialStatus::Failed;
        cancelled.error = "cancelled";
        model.setTrial("/logs/demo", "demo", cancelled, 5);
        QCOMPARE(text(model, 2, JobListModel::StateColumn), QString("cancelled"));
        Trial pruned;
        pruned.id = 9;
        pruned.status = TrialStatus::Pruned;
        model.setTrial("/logs/demo", "demo", pruned, 5);
        QCOMPARE(text(model, 3, JobListModel::StateColumn), QString("pruned"));
        QVERIFY(!model.index(3, JobListModel::StateColumn).data(Qt::ForegroundRole).isValid());

        // A command sweep's trial: no budget known.
        Trial running;
        running.id = 10;
        running.values = {1, 2, 3};
        model.setTrial("/logs/cmd", "cmd", running, 0);
        QCOMPARE(text(model, 4, JobListModel::EpochColumn), QString("3"));
        QCOMPARE(text(model, 4, JobListModel::ProgressColumn), QString());
        Trial silent; // a command trial that reports only its end
        silent.id = 12;
        model.setTrial("/logs/cmd", "cmd", silent, 0);
        QCOMPARE(text(model, 5, JobListModel::EpochColumn), QString());

        // A fourth finished trial of "demo": the oldest finished row goes; running rows stay.
        Trial failed;
        failed.id = 11;
        failed.status = TrialStatus::Failed;
        failed.error = "CUDA out of memory";
        model.setTrial("/logs/demo", "demo", failed, 5);
        QCOMPARE(model.rowOfTrial("/logs/demo", 7), -1);
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(text(model, model.rowOfTrial("/logs/demo", 11), JobListModel::MessageColumn),
                 QString("CUDA out of memory"));
        QCOMPARE(text(model, model.rowOfTrial("/logs/demo", 11), JobListModel::StateColumn),
                 QString("failed"));

        // The sweep stopped while a trial ran: it says so, and stays resumable.
        model.endSweep("/logs/cmd");
        const int row = model.rowOfTrial("/logs/cmd", 10);
        QCOMPARE(text(model, row, JobListModel::StateColumn), QString("stopped"));
        QVERIFY(text(model, row, JobListModel::MessageColumn).contains("resume"));
        QCOMPARE(text(model, model.rowOfTrial("/logs/demo", 11), JobListModel::StateColumn),
                 QString("failed")); // another sweep's rows are untouched
    }

    void unknownJobsAreAddedAndRowsRemoved() {
        JobListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        JobProgress p;
        p.jobId = 12;
        model.setProgress(p);
        QCOMPARE(model.rowOf(12), 0);
        QCOMPARE(text(model, 0, JobListModel::NameColumn), QString("job 12"));
        QCOMPARE(text(model, 0, JobListModel::EpochColumn), QString()); // not started
        QCOMPARE(text(model, 0, JobListModel::ProgressColumn), QString("0%"));
        model.addJob(12, "renamed");
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(text(model, 0, JobListModel::NameColumn), QString("renamed"));
        model.addJob(13, "other");
        model.removeJob(12);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.jobIdAt(0), 13);
        QCOMPARE(model.rowOf(12), -1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void sortsByNumericValue() {
        JobListModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(JobListModel::ValueRole);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const double speeds[] = {900, 10000, 95};
        for (int i = 0; i < 3; ++i) {
            JobProgress p;
            p.jobId = i;
            p.samplesPerSecond = speeds[i];
            model.setProgress(p);
        }
        proxy.sort(JobListModel::SamplesPerSecondColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, 0).data(JobListModel::JobIdRole).toInt(), 1);
        QCOMPARE(proxy.index(2, 0).data(JobListModel::JobIdRole).toInt(), 2);
    }
};

QTEST_MAIN(TestJobListModel)
#include "tst_joblistmodel.moc"
