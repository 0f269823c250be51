#include "widgets/tune/tuningview.h"

#include "widgets/profile/statstable.h"
#include "widgets/tune/parallelcoordinates.h"
#include "widgets/tune/scoreplot.h"
#include "widgets/tune/trialtablemodel.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace trainscope {

namespace {

// What the importance box says instead of bars, or empty when it draws them.
QString importanceNote(const ImportanceReport &r) {
    if (!r.enough())
        return QString("Needs %1 completed trials (has %2): fewer make a parameter look decisive "
                       "by chance.")
            .arg(r.required)
            .arg(r.completed);
    const bool any = std::any_of(r.params.begin(), r.params.end(),
                                 [](const ParamImportance &p) { return p.importance > 0; });
    return any ? QString() : QString("The completed trials' scores do not differ enough to tell.");
}

QString percentText(const ParamImportance &p) {
    return QString("%1 % ± %2").arg(100 * p.importance, 0, 'f', 0).arg(100 * p.stddev, 0, 'f', 0);
}

} // namespace

// The importance estimates as labelled horizontal bars, most important first, each with its
// bootstrap range as a whisker; or why there are none yet.
class ImportanceBars : public QWidget {
public:
    explicit ImportanceBars(QWidget *parent)
        : QWidget(parent) {
        setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    }
    void setReport(ImportanceReport report) {
        m_report = std::move(report);
        setToolTip(importanceNote(m_report).isEmpty()
                       ? "Bar: the estimate; whisker: where 80 % of bootstrap resamples of the "
                         "trials put it; ± the standard deviation"
                       : QString());
        updateGeometry();
        update();
    }
    QSize sizeHint() const override { return {220, int(m_report.params.size()) * rowHeight() + 8}; }
    QSize minimumSizeHint() const override { return {140, 3 * rowHeight()}; }

protected:
    void paintEvent(QPaintEvent *) override {
        QPainter p(this);
        const QFontMetrics fm(font());
        const QString note = importanceNote(m_report);
        if (!note.isEmpty()) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(rect().adjusted(4, 4, -4, -4),
                       Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, note);
            return;
        }
        // The name on its own line: spec paths are long, and the bar gets the full width.
        const int percentWidth = fm.horizontalAdvance("100 % ± 100") + 6;
        const int barWidth = std::max(10, width() - percentWidth - 12);
        int y = 4;
        for (const ParamImportance &r : m_report.params) {
            p.setPen(palette().color(QPalette::WindowText));
            p.drawText(QRect(4, y, width() - 8, fm.height()), Qt::AlignVCenter | Qt::AlignLeft,
                       fm.elidedText(QString::fromStdString(r.name), Qt::ElideLeft, width() - 8));
            const QRect track(4, y + fm.height() + 2, barWidth, 10);
            p.fillRect(track, palette().color(QPalette::AlternateBase));
            p.fillRect(QRect(track.topLeft(),
                             QSize(int(std::lround(barWidth * r.importance)), track.height())),
                       QColor("#3b7dd8"));
            // The whisker: the bootstrap's 10th..90th percentile.
            const int lo = track.left() + int(std::lround(barWidth * r.low));
            const int hi = track.left() + int(std::lround(barWidth * r.high));
            const int mid = track.center().y();
            p.setPen(QPen(QColor("#1a237e"), 1.5));
            p.drawLine(lo, mid, hi, mid);
            p.drawLine(lo, track.top() + 1, lo, track.bottom() - 1);
            p.drawLine(hi, track.top() + 1, hi, track.bottom() - 1);
            p.setPen(palette().color(QPalette::WindowText));
            p.drawText(QRect(track.right() + 4, track.top() - 4, percentWidth, track.height() + 8),
                       Qt::AlignVCenter | Qt::AlignRight, percentText(r));
            y += rowHeight();
        }
    }

private:
    int rowHeight() const { return fontMetrics().height() + 20; }
    ImportanceReport m_report;
};

TuningView::TuningView(QWidget *parent)
    : QWidget(parent)
    , m_selector(new QComboBox(this))
    , m_retrain(new QPushButton("Retrain best", this))
    , m_stop(new QPushButton("Stop", this))
    , m_pause(new QPushButton("Pause", this))
    , m_cancelTrial(new QPushButton("Cancel trial", this))
    , m_state(new QLabel(this))
    , m_header(new QLabel(this))
    , m_message(new QLabel(this))
    , m_model(new TrialTableModel(this))
    , m_table(new StatsTable(this))
    , m_parallel(new ParallelCoordinates(this))
    , m_scores(new ScorePlot(this))
    , m_importanceBars(new ImportanceBars(this)) {
    m_selector->setObjectName("sweepSelector");
    m_selector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_selector->setPlaceholderText("No sweep yet");
    m_retrain->setObjectName("retrainBest");
    m_retrain->setToolTip("Train the best configuration again, with early stopping");
    m_retrain->setEnabled(false);
    m_stop->setObjectName("stopSweep");
    m_pause->setObjectName("pauseSweep");
    m_cancelTrial->setObjectName("cancelTrial");
    m_cancelTrial->setToolTip("Stop the selected running trial (it ends FAILED, \"cancelled\"); "
                              "the sweep goes on with the next");
    m_state->setObjectName("runState");
    m_header->setObjectName("header");
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setObjectName("message");
    m_message->setWordWrap(true);
    m_message->setStyleSheet("color: #607d8b;");
    m_message->hide();
    m_parallel->setObjectName("parallelCoordinates");
    m_scores->setObjectName("scorePlot");
    m_importanceBars->setObjectName("importance");

    m_table->setSourceModel(m_model, m_model->errorColumn(), TrialTableModel::SortRole);
    m_table->proxy()->setFilterKeyColumn(-1); // a status, a value or an error: any column
    m_table->setPlaceholderText("Filter trials (any column: status, value, error…)");
    m_table->setExportFileName("trials.csv");
    m_table->view()->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->sortByColumn(TrialTableModel::IdColumn, Qt::AscendingOrder); // in trial order

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel("Sweep", this));
    top->addWidget(m_selector, 1);
    top->addWidget(m_state);
    top->addWidget(m_stop);
    top->addWidget(m_pause);
    top->addWidget(m_cancelTrial);
    top->addWidget(m_retrain);

    auto *importanceBox = new QGroupBox("Parameter importance", this);
    importanceBox->setToolTip(
        "The share of the score's variance each parameter explains on its own "
        "(bias-corrected η² over completed trials); interactions are not counted. The "
        "whisker is its bootstrap range over the trials.");
    auto *importanceLayout = new QVBoxLayout(importanceBox);
    importanceLayout->addWidget(m_importanceBars);
    importanceLayout->addStretch(1);

    auto *plots = new QSplitter(Qt::Horizontal, this);
    plots->addWidget(m_parallel);
    plots->addWidget(m_scores);
    plots->addWidget(importanceBox);
    plots->setStretchFactor(0, 5);
    plots->setStretchFactor(1, 3);
    plots->setStretchFactor(2, 2);
    plots->setSizes({500, 300, 200}); // shares of the width, whatever it turns out to be
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(plots);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_header);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);

    connect(m_selector, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        if (index >= 0) setCurrentSweep(m_selector->itemData(index).toString());
    });
    connect(m_retrain, &QPushButton::clicked, this, [this] {
        if (!m_current.isEmpty()) emit retrainBestRequested(m_current);
    });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (!m_current.isEmpty()) emit stopRequested(m_current);
    });
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_current.isEmpty()) return;
        if (runState(m_current) == SweepRunState::Paused)
            emit resumeRequested(m_current);
        else
            emit pauseRequested(m_current);
    });
    connect(m_cancelTrial, &QPushButton::clicked, this, [this] {
        if (const int id = selectedTrialId(); id && !m_current.isEmpty())
            emit cancelTrialRequested(m_current, id);
    });
    m_table->view()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table->view(), &QWidget::customContextMenuRequested, this,
            &TuningView::showTrialMenu);
    QTableView *view = m_table->view();
    auto rowOfProxy = [this](const QModelIndex &proxyIndex) {
        return m_table->proxy()->mapToSource(proxyIndex).row();
    };
    connect(view, &QTableView::clicked, this,
            [this, rowOfProxy](const QModelIndex &i) { activateRow(rowOfProxy(i)); });
    connect(view, &QTableView::activated, this,
            [this, rowOfProxy](const QModelIndex &i) { activateRow(rowOfProxy(i)); });
    connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this, rowOfProxy](const QModelIndex &i) {
                const int row = i.isValid() ? rowOfProxy(i) : -1;
                m_parallel->setHighlightedTrial(row >= 0 ? m_model->trial(row).id : 0);
                updateControls();
            });
    connect(m_parallel, &ParallelCoordinates::trialClicked, this, &TuningView::activateTrialId);
    connect(m_scores, &ScorePlot::trialClicked, this, &TuningView::activateTrialId);
    showCurrent();
}

TuningView::~TuningView() = default;

namespace {
// A sweep's key: its directory, cleaned, or a PostgreSQL study's "URI#NAME" as it is.
QString sweepKey(const QString &dir) {
    return dir.contains("://") ? dir : QDir::cleanPath(dir);
}
} // namespace

TuningView::Sweep *TuningView::find(const QString &dir) {
    const QString clean = sweepKey(dir);
    for (Sweep &s : m_sweeps)
        if (s.dir == clean) return &s;
    return nullptr;
}

const TuningView::Sweep *TuningView::find(const QString &dir) const {
    return const_cast<TuningView *>(this)->find(dir);
}

void TuningView::addSweep(const QString &dir, const SweepSpec &spec) {
    const QString clean = sweepKey(dir);
    const QString where =
        clean.contains("://") ? QString("PostgreSQL") : QFileInfo(clean).fileName();
    const QString label = QString("%1 — %2").arg(QString::fromStdString(spec.name), where);
    if (Sweep *s = find(clean)) {
        s->spec = spec;
        const int index = m_selector->findData(clean);
        m_selector->setItemText(index, label);
        if (clean == m_current) showCurrent();
        return;
    }
    m_sweeps.push_back({clean, spec, {}, {}});
    m_selector->addItem(label, clean);
    m_selector->setItemData(m_selector->count() - 1, clean, Qt::ToolTipRole);
    if (m_current.isEmpty()) setCurrentSweep(clean);
}

void TuningView::setCurrentSweep(const QString &dir) {
    const QString clean = sweepKey(dir);
    if (!find(clean) || clean == m_current) return;
    m_current = clean;
    const QSignalBlocker block(m_selector); // the selector's own change brought us here, or not
    m_selector->setCurrentIndex(m_selector->findData(clean));
    showCurrent();
    emit currentSweepChanged(clean);
}

void TuningView::updateTrial(const QString &dir, const Trial &trial) {
    Sweep *s = find(dir);
    if (!s) return;
    auto it = std::lower_bound(s->trials.begin(), s->trials.end(), trial.id,
                               [](const Trial &t, int id) { return t.id < id; });
    if (it != s->trials.end() && it->id == trial.id)
        *it = trial;
    else
        s->trials.insert(it, trial);
    if (s->dir != m_current) return;
    m_model->upsert(trial);
    refreshSummaries();
}

void TuningView::setTrials(const QString &dir, const std::vector<Trial> &trials) {
    Sweep *s = find(dir);
    if (!s) return;
    s->trials.clear();
    for (const Trial &t : trials) {
        auto it = std::lower_bound(s->trials.begin(), s->trials.end(), t.id,
                                   [](const Trial &a, int id) { return a.id < id; });
        if (it != s->trials.end() && it->id == t.id)
            *it = t;
        else
            s->trials.insert(it, t);
    }
    if (s->dir != m_current) return;
    m_model->setTrials(s->trials);
    refreshSummaries();
}

void TuningView::showMessage(const QString &dir, const QString &text) {
    Sweep *s = find(dir);
    if (!s) return;
    s->message = text;
    if (s->dir != m_current) return;
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

QStringList TuningView::sweepDirs() const {
    QStringList dirs;
    for (const Sweep &s : m_sweeps)
        dirs << s.dir;
    return dirs;
}

QString TuningView::currentSweep() const {
    return m_current;
}

std::optional<SweepSpec> TuningView::spec(const QString &dir) const {
    const Sweep *s = find(dir);
    return s ? std::optional<SweepSpec>(s->spec) : std::nullopt;
}

std::vector<Trial> TuningView::trials(const QString &dir) const {
    const Sweep *s = find(dir);
    return s ? s->trials : std::vector<Trial>{};
}

std::optional<Trial> TuningView::bestTrial() const {
    const Sweep *s = current();
    if (!s) return std::nullopt;
    const Trial *best = nullptr;
    for (const Trial &t : s->trials)
        if (t.status == TrialStatus::Completed && t.score && std::isfinite(*t.score) &&
            (!best || s->spec.objective.better(*t.score, *best->score)))
            best = &t;
    return best ? std::optional<Trial>(*best) : std::nullopt;
}

QString TuningView::runDirOf(const Trial &trial) const {
    if (trial.runDir.empty()) return {};
    const QString run = QString::fromStdString(trial.runDir);
    return m_current.isEmpty() ? run : QDir::cleanPath(QDir(m_current).filePath(run));
}

QString TuningView::headerText() const {
    return m_header->text();
}

QString TuningView::messageText() const {
    return m_message->isHidden() ? QString() : m_message->text();
}

void TuningView::showCurrent() {
    const Sweep *s = current();
    const SearchSpace space = s ? s->spec.space : SearchSpace{};
    const Objective objective = s ? s->spec.objective : Objective{};
    m_model->setSpace(space);
    m_model->setObjective(objective);
    m_model->setDefaultEpochs(s && s->spec.job ? s->spec.job->training.epochs : 0);
    m_model->setTrials(s ? s->trials : std::vector<Trial>{});
    // Columns changed: the table's resize modes follow the new count.
    m_table->setSourceModel(m_model, m_model->errorColumn(), TrialTableModel::SortRole);
    m_table->proxy()->setFilterKeyColumn(-1);
    m_parallel->setSpace(space);
    m_parallel->setObjective(objective);
    m_scores->setObjective(objective);
    m_message->setText(s ? s->message : QString());
    m_message->setVisible(s && !s->message.isEmpty());
    refreshSummaries();
}

void TuningView::refreshSummaries() {
    const Sweep *s = current();
    if (!s) {
        m_header->setText("No sweep: start one with Tune → New sweep, or open a sweep folder.");
        m_parallel->setTrials({});
        m_scores->setTrials({});
        m_importance = {};
        m_importanceKey.clear();
        m_importanceBars->setReport({});
        m_retrain->setEnabled(false);
        updateControls();
        return;
    }
    m_parallel->setTrials(s->trials);
    m_scores->setTrials(s->trials);
    // The bootstrap costs ~20 ms at 200 trials: it runs again only when the completed trials
    // change (not at every epoch a running trial reports), with fewer resamples for big sweeps.
    QStringList completed{s->dir, QString::fromStdString(s->spec.space.summary())};
    for (const Trial &t : s->trials)
        if (t.status == TrialStatus::Completed && t.score)
            completed << QString("%1=%2").arg(t.id).arg(*t.score, 0, 'g', 17);
    const QString key = completed.join(';');
    if (key != m_importanceKey) {
        m_importanceKey = key;
        const int resamples = std::clamp(20000 / std::max(1, int(completed.size())), 20, 100);
        m_importance =
            trainscope::importanceReport(s->spec.space, s->trials, s->spec.objective, resamples);
        m_importanceBars->setReport(m_importance);
    }

    int count[5] = {};
    for (const Trial &t : s->trials)
        ++count[int(t.status)];
    const int done = int(s->trials.size()) - count[int(TrialStatus::Running)];
    QStringList parts;
    const Objective &o = s->spec.objective;
    parts << QString("%1 (%2)").arg(QString::fromStdString(o.metric),
                                    o.maximize ? "maximize" : "minimize");
    QStringList counts;
    for (TrialStatus st : {TrialStatus::Completed, TrialStatus::Pruned, TrialStatus::Failed,
                           TrialStatus::Invalid, TrialStatus::Running})
        if (count[int(st)])
            counts << QString("%1 %2").arg(count[int(st)]).arg(trialStatusText(st).toLower());
    QString progress = QString("%1/%2 trials done").arg(done).arg(s->spec.maxTrials);
    if (!counts.isEmpty()) progress += " (" + counts.join(", ") + ")";
    parts << progress;
    const std::optional<Trial> best = bestTrial();
    if (best) {
        QStringList params;
        for (const Param &p : s->spec.space.params()) {
            auto it = best->params.find(p.name);
            if (it != best->params.end())
                params << QString::fromStdString(p.name) + "=" + paramDisplay(it->second);
        }
        parts << QString("best %1 (trial %2): %3")
                     .arg(*best->score, 0, 'g', 5)
                     .arg(best->id)
                     .arg(params.join(", "));
    } else {
        parts << "no completed trial yet";
    }
    m_header->setText(parts.join(" · "));
    m_retrain->setEnabled(best.has_value() && s->spec.job.has_value());
    m_retrain->setToolTip(s->spec.job ? "Train the best configuration again, with early stopping"
                                      : "Only sweeps of training jobs can be retrained here");
    updateControls();
}

void TuningView::setRunState(const QString &dir, SweepRunState state) {
    Sweep *s = find(dir);
    if (!s) return;
    s->state = state;
    if (s->dir == m_current) updateControls();
}

SweepRunState TuningView::runState(const QString &dir) const {
    const Sweep *s = find(dir);
    return s ? s->state : SweepRunState::Idle;
}

int TuningView::selectedTrialId() const {
    const QModelIndex i = m_table->view()->selectionModel()->currentIndex();
    if (!i.isValid()) return 0;
    const int row = m_table->proxy()->mapToSource(i).row();
    return row >= 0 && row < m_model->rowCount() ? m_model->trial(row).id : 0;
}

void TuningView::updateControls() {
    const SweepRunState state = current() ? current()->state : SweepRunState::Idle;
    const bool live = state == SweepRunState::Running || state == SweepRunState::Paused;
    m_stop->setEnabled(live);
    m_pause->setEnabled(live);
    m_stop->setToolTip(state == SweepRunState::Idle && current()
                           ? "Only a sweep started in this window is steered here (one run by "
                             "trainscope tune stops with Ctrl+C in its terminal)"
                           : "Stop the sweep: running trials stop and stay RUNNING, so "
                             "trainscope tune --resume runs them again");
    m_pause->setText(state == SweepRunState::Paused ? "Resume" : "Pause");
    m_pause->setToolTip(state == SweepRunState::Paused
                            ? "Start new trials again"
                            : "Start no new trial; the running ones go on");
    const int id = selectedTrialId();
    const int row = id ? m_model->rowOf(id) : -1;
    const bool trialRuns = row >= 0 && m_model->trial(row).status == TrialStatus::Running;
    m_cancelTrial->setEnabled(state != SweepRunState::Idle && trialRuns);
    m_cancelTrial->setText(trialRuns ? QString("Cancel trial %1").arg(id) : "Cancel trial");
    static const char *const text[] = {"", "running", "paused: no new trial starts", "stopping…"};
    m_state->setText(text[int(state)]);
    m_state->setStyleSheet(state == SweepRunState::Paused ? "color: #ef6c00; font-weight: bold;"
                                                          : "color: #1565c0;");
    m_state->setVisible(state != SweepRunState::Idle);
}

void TuningView::showTrialMenu(const QPoint &pos) {
    const QModelIndex i = m_table->view()->indexAt(pos);
    if (!i.isValid()) return;
    m_table->view()->setCurrentIndex(i);
    QMenu menu(this);
    QAction *cancel = menu.addAction(m_cancelTrial->text());
    cancel->setEnabled(m_cancelTrial->isEnabled());
    connect(cancel, &QAction::triggered, m_cancelTrial, &QPushButton::click);
    menu.exec(m_table->view()->viewport()->mapToGlobal(pos));
}

QString TuningView::stateText() const {
    return m_state->isHidden() ? QString() : m_state->text();
}

QString TuningView::importanceText() const {
    const QString note = importanceNote(m_importance);
    if (!note.isEmpty()) return note;
    QStringList lines;
    for (const ParamImportance &p : m_importance.params)
        lines << QString::fromStdString(p.name) + ": " + percentText(p);
    return lines.join('\n');
}

void TuningView::activateRow(int sourceRow) {
    if (sourceRow < 0 || sourceRow >= m_model->rowCount()) return;
    const QString dir = runDirOf(m_model->trial(sourceRow));
    if (dir.isEmpty()) return;
    // A double-click follows its click: one emission for both.
    if (dir == m_lastActivated && m_sinceActivated.isValid() &&
        m_sinceActivated.elapsed() < QApplication::doubleClickInterval())
        return;
    m_lastActivated = dir;
    m_sinceActivated.start();
    emit trialActivated(dir);
}

void TuningView::activateTrialId(int trialId) {
    const int row = m_model->rowOf(trialId);
    if (row < 0) return;
    const QModelIndex proxyIndex = m_table->proxy()->mapFromSource(m_model->index(row, 0));
    if (proxyIndex.isValid()) {
        m_table->view()->setCurrentIndex(proxyIndex);
        m_table->view()->scrollTo(proxyIndex);
    }
    activateRow(row);
}

} // namespace trainscope
