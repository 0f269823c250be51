#include "widgets/format.h"
#include "widgets/tune/trialtablemodel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QtTest>
#include <cmath>

using namespace trainscope;

namespace {

SearchSpace space() {
    Param lr;
    lr.name = "optimizer.learning_rate";
    lr.kind = ParamKind::Float;
    lr.min = 1e-4;
    lr.max = 1e-2;
    lr.scale = Scale::Log;
    Param type;
    type.name = "optimizer.type";
    type.kind = ParamKind::Choice;
    type.choices = {std::string("adam"), std::string("sgd")};
    Param momentum;
    momentum.name = "optimizer.momentum";
    momentum.kind = ParamKind::Float;
    momentum.min = 0.5;
    momentum.max = 0.99;
    momentum.conditions.push_back({"optimizer.type", {std::string("sgd")}});
    return SearchSpace({lr, type, momentum});
}

Trial trial(int id, TrialStatus status, std::optional<double> score, const std::string &type,
            double lr = 1e-3) {
    Trial t;
    t.id = id;
    t.status = status;
    t.score = score;
    t.params = {{"optimizer.learning_rate", lr}, {"optimizer.type", type}};
    if (type == "sgd") t.params["optimizer.momentum"] = 0.9;
    if (score) t.values = {*score * 0.9, *score};
    return t;
}

QString cell(const QAbstractItemModel &m, int row, int column) {
    return m.index(row, column).data().toString();
}

} // namespace

class TestTrialTableModel : public QObject {
    Q_OBJECT
private slots:
    void columnsFollowTheSpace() {
        TrialTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.columnCount(), 6); // id, status, score, epochs, duration, error
        model.setSpace(space());
        QCOMPARE(model.columnCount(), 4 + 3 + 2);
        QCOMPARE(model.headerData(4, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("optimizer.learning_rate"));
        QCOMPARE(model.headerData(6, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("optimizer.momentum"));
        QCOMPARE(
            model.headerData(model.durationColumn(), Qt::Horizontal, Qt::DisplayRole).toString(),
            QString("Duration"));
        QCOMPARE(model.errorColumn(), 8);
        QVERIFY(model.headerData(4, Qt::Horizontal, Qt::ToolTipRole).toString().contains("log"));
    }

    void upsertKeepsOneRowPerId() {
        TrialTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSpace(space());
        model.upsert(trial(2, TrialStatus::Running, std::nullopt, "adam"));
        model.upsert(trial(1, TrialStatus::Running, std::nullopt, "sgd", 2e-4));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, 0, TrialTableModel::IdColumn), QString("1")); // kept in id order
        QCOMPARE(cell(model, 0, TrialTableModel::StatusColumn), QString("RUNNING"));
        QCOMPARE(cell(model, 0, 4), QString("0.0002"));
        QCOMPARE(cell(model, 0, 6), QString("0.9"));
        QCOMPARE(cell(model, 1, 6), QString()); // momentum is inactive under adam

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        Trial done = trial(1, TrialStatus::Completed, 0.8125, "sgd", 2e-4);
        done.startedAt = 1000;
        done.finishedAt = 1125;
        model.upsert(done);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(cell(model, 0, TrialTableModel::StatusColumn), QString("COMPLETED"));
        QCOMPARE(cell(model, 0, TrialTableModel::ScoreColumn), QString("0.8125"));
        QCOMPARE(cell(model, 0, TrialTableModel::EpochsColumn), QString("2")); // budget unknown
        QCOMPARE(cell(model, 0, model.durationColumn()), QString("2m 05s"));
        QCOMPARE(model.rowOf(2), 1);
        QCOMPARE(model.rowOf(9), -1);

        // setTrials: duplicates of an id collapse to the last one.
        model.setTrials({trial(3, TrialStatus::Running, std::nullopt, "adam"),
                         trial(3, TrialStatus::Completed, 0.5, "adam"),
                         trial(1, TrialStatus::Completed, 0.25, "adam")});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.trial(1).id, 3);
        QCOMPARE(model.trial(1).status, TrialStatus::Completed);
    }

    // A running trial reads "epoch k/N" (N: its own budget, else the base job's epochs) and its
    // latest value so far, not a blank score and "0" epochs.
    void aRunningTrialShowsItsEpochAndLatestValue() {
        TrialTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSpace(space());
        Trial running = trial(1, TrialStatus::Running, std::nullopt, "adam");
        model.upsert(running);
        QCOMPARE(cell(model, 0, TrialTableModel::EpochsColumn), QString("epoch 0"));
        QCOMPARE(cell(model, 0, TrialTableModel::ScoreColumn), QString());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setDefaultEpochs(9);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(cell(model, 0, TrialTableModel::EpochsColumn), QString("epoch 0/9"));
        running.values = {0.61, 0.74, NAN, 0.78};
        model.upsert(running);
        QCOMPARE(cell(model, 0, TrialTableModel::EpochsColumn), QString("epoch 4/9"));
        QCOMPARE(cell(model, 0, TrialTableModel::ScoreColumn), QString("0.78"));
        QVERIFY(model.index(0, TrialTableModel::ScoreColumn)
                    .data(Qt::FontRole)
                    .value<QFont>()
                    .italic());
        QVERIFY(model.index(0, TrialTableModel::ScoreColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .startsWith("so far (latest epoch 4)"));
        QCOMPARE(
            model.index(0, TrialTableModel::ScoreColumn).data(TrialTableModel::SortRole).toDouble(),
            0.78);
        running.values.back() = NAN; // a value not (yet) finite: the one before it
        model.upsert(running);
        QCOMPARE(cell(model, 0, TrialTableModel::ScoreColumn), QString("0.74"));
        // A trial with its own budget (Hyperband's rungs) shows that one.
        running.epochs = 3;
        running.values = {0.5};
        model.upsert(running);
        QCOMPARE(cell(model, 0, TrialTableModel::EpochsColumn), QString("epoch 1/3"));
        // Finished: the epochs it ran of its budget, and its score.
        Trial done = trial(1, TrialStatus::Completed, 0.9, "adam");
        model.upsert(done);
        QCOMPARE(cell(model, 0, TrialTableModel::EpochsColumn), QString("2/9"));
        QCOMPARE(cell(model, 0, TrialTableModel::ScoreColumn), QString("0.9"));
        QVERIFY(!model.index(0, TrialTableModel::ScoreColumn).data(Qt::FontRole).isValid());
        // A command trial that printed its objective once reported no epochs: blank, not 0.
        model.setDefaultEpochs(0);
        Trial printed = trial(2, TrialStatus::Completed, 0.4, "adam");
        printed.values.clear();
        model.upsert(printed);
        QCOMPARE(cell(model, 1, TrialTableModel::EpochsColumn), QString());
        QCOMPARE(cell(model, 1, TrialTableModel::ScoreColumn), QString("0.4"));
    }

    void scoresSortAsNumbers() {
        TrialTableModel model;
        model.setSpace(space());
        model.setObjective(Objective{"val/loss", false});
        model.setTrials({trial(1, TrialStatus::Completed, 10.5, "adam"),
                         trial(2, TrialStatus::Completed, 9.25, "adam"),
                         trial(3, TrialStatus::Running, std::nullopt, "adam"),
                         trial(4, TrialStatus::Completed, 100.0, "adam")});
        QSortFilterProxyModel proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setSortRole(TrialTableModel::SortRole);
        proxy.sort(TrialTableModel::ScoreColumn, Qt::AscendingOrder);
        // As text "10.5" < "100" < "9.25"; as numbers 9.25 < 10.5 < 100, then the unscored
        // trial, which sorts after the worst (here: the largest loss).
        QCOMPARE(cell(proxy, 0, TrialTableModel::IdColumn), QString("2"));
        QCOMPARE(cell(proxy, 1, TrialTableModel::IdColumn), QString("1"));
        QCOMPARE(cell(proxy, 2, TrialTableModel::IdColumn), QString("4"));
        QCOMPARE(cell(proxy, 3, TrialTableModel::IdColumn), QString("3"));
        // Maximizing, "best first" is descending: the unscored trial still comes last.
        model.setObjective(Objective{"val/accuracy", true});
        proxy.sort(TrialTableModel::ScoreColumn, Qt::DescendingOrder);
        QCOMPARE(cell(proxy, 0, TrialTableModel::IdColumn), QString("4"));
        QCOMPARE(cell(proxy, 3, TrialTableModel::IdColumn), QString("3"));
        // Ids sort as numbers too (trial 10 after trial 9).
        model.upsert(trial(10, TrialStatus::Completed, 1.0, "adam"));
        proxy.sort(TrialTableModel::IdColumn, Qt::AscendingOrder);
        QCOMPARE(cell(proxy, 4, TrialTableModel::IdColumn), QString("10"));
        // Parameters sort by value: learning rates as numbers.
        model.upsert(trial(11, TrialStatus::Completed, 1.0, "adam", 5e-3));
        model.upsert(trial(12, TrialStatus::Completed, 1.0, "adam", 2e-4));
        proxy.sort(4, Qt::DescendingOrder);
        QCOMPARE(cell(proxy, 0, TrialTableModel::IdColumn), QString("11"));
        QCOMPARE(proxy.index(proxy.rowCount() - 1, 0).data().toString(), QString("12"));
    }

    void statusColours() {
        TrialTableModel model;
        model.setSpace(space());
        const TrialStatus all[] = {TrialStatus::Completed, TrialStatus::Pruned, TrialStatus::Failed,
                                   TrialStatus::Running, TrialStatus::Invalid};
        const char *colours[] = {"#2e7d32", "#757575", "#c62828", "#1565c0", "#ef6c00"};
        std::vector<Trial> trials;
        for (int i = 0; i < 5; ++i)
            trials.push_back(trial(i + 1, all[i], std::nullopt, "adam"));
        trials[2].error = "CUDA out of memory\nwhile allocating 2 GiB";
        model.setTrials(trials);
        for (int i = 0; i < 5; ++i) {
            const QModelIndex status = model.index(i, TrialTableModel::StatusColumn);
            QCOMPARE(status.data(Qt::ForegroundRole).value<QColor>(), QColor(colours[i]));
            QCOMPARE(status.data(Qt::DecorationRole).value<QColor>(), QColor(colours[i]));
            QCOMPARE(trialStatusColor(all[i]), QColor(colours[i]));
        }
        QCOMPARE(cell(model, 2, model.errorColumn()), QString("CUDA out of memory"));
        QCOMPARE(model.index(2, model.errorColumn()).data(Qt::ToolTipRole).toString(),
                 QString("CUDA out of memory\nwhile allocating 2 GiB"));
        QCOMPARE(model.index(2, model.errorColumn()).data(Qt::ForegroundRole).value<QColor>(),
                 QColor("#c62828"));
    }

    void displayedValues() {
        QCOMPARE(paramDisplay(0.0013107865584968323), QString("0.001311"));
        QCOMPARE(paramDisplay(int64_t(256)), QString("256"));
        QCOMPARE(paramDisplay(std::string("adam")), QString("adam"));
        QCOMPARE(paramDisplay(true), QString("true"));
    }

    void durations() {
        QCOMPARE(formatDuration(12.44), QString("12.4 s"));
        QCOMPARE(formatDuration(187), QString("3m 07s"));
        QCOMPARE(formatDuration(3720), QString("1h 02m"));
        QCOMPARE(formatDuration(-1), QString());
    }
};

QTEST_MAIN(TestTrialTableModel)
#include "tst_trialtablemodel.moc"
