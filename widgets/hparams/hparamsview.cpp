#include "widgets/hparams/hparamsview.h"

#include "core/events/logdirindex.h"
#include "widgets/hparams/hparamstablemodel.h"
#include "widgets/hparams/scattermatrix.h"
#include "widgets/names.h"
#include "widgets/tune/parallelcoordinates.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>
#include <set>

namespace trainscope {
namespace {

// Losses and errors are better low; everything else (accuracy, AUC, reward) high.
bool maximized(const QString &metric) {
    return !metric.contains("loss", Qt::CaseInsensitive) &&
           !metric.contains("error", Qt::CaseInsensitive);
}

// Rows whose run or any shown value matches the filter.
class SessionFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override {
        const QRegularExpression re = filterRegularExpression();
        if (re.pattern().isEmpty()) return true;
        for (int c = 0; c < sourceModel()->columnCount(); ++c)
            if (re.match(sourceModel()->index(row, c, parent).data().toString()).hasMatch())
                return true;
        return false;
    }
};

} // namespace

HParamsView::HParamsView(QWidget *parent)
    : Dashboard(parent), m_model(new HParamsTableModel(this)), m_proxy(new SessionFilter(this)),
      m_table(new QTableView(this)), m_filter(new QLineEdit(this)), m_columns(new QToolButton(this)),
      m_metric(new QComboBox(this)), m_count(new QLabel(this)),
      m_parallel(new ParallelCoordinates(this)), m_scatter(new ScatterMatrix(this)) {
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(HParamsTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setDefaultSectionSize(120);
    m_table->setTextElideMode(Qt::ElideMiddle);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HParamsView::onSelectionChanged);

    m_filter->setPlaceholderText("Filter sessions (regex on any value)");
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, &HParamsView::setSessionFilter);
    m_columns->setText("Columns…");
    m_columns->setToolTip("Choose the hparams and metrics shown in the table");
    connect(m_columns, &QToolButton::clicked, this, &HParamsView::showColumnsMenu);
    m_metric->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_metric->setToolTip("The metric on the parallel coordinates' last axis, and their colour");
    connect(m_metric, &QComboBox::currentTextChanged, this, [this] { rebuildParallel(); });
    connect(m_parallel, &ParallelCoordinates::trialClicked, this,
            [this](int id) { selectRuns({fromName(m_model->session(id - 1).run)}); });
    connect(m_scatter, &ScatterMatrix::sessionClicked, this,
            [this](int row) { selectRuns({fromName(m_model->session(row).run)}); });

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_filter, 1);
    controls->addWidget(m_columns);
    controls->addSpacing(16);
    controls->addWidget(new QLabel("Metric", this));
    controls->addWidget(m_metric);
    controls->addSpacing(16);
    controls->addWidget(m_count);

    auto *scatterScroll = new QScrollArea(this);
    scatterScroll->setWidget(m_scatter);
    scatterScroll->setWidgetResizable(true);
    auto *views = new QTabWidget(this);
    views->addTab(m_parallel, "Parallel coordinates");
    views->addTab(scatterScroll, "Scatter matrix");
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(views);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(split, 1);
}

void HParamsView::setIndex(const LogdirIndex *index) {
    m_index = index;
    reload();
}

void HParamsView::setVisibleRuns(const QMap<QString, QColor> &runs) {
    QSet<QString> visible(runs.keyBegin(), runs.keyEnd());
    if (visible == m_visible) return;
    m_visible = std::move(visible);
    reload();
}

void HParamsView::runsChanged(const QStringList &runs) {
    for (const QString &run : runs)
        if (m_visible.contains(run)) return reload();
}

void HParamsView::reload() {
    const QStringList selected = selectedRuns();
    std::set<std::string> include;
    for (const QString &run : std::as_const(m_visible))
        include.insert(toName(run));
    m_model->setSessions(m_index ? hparamSessions(m_index->runs(),
                                                  [&](const std::string &run) {
                                                      return include.count(run) > 0;
                                                  })
                                 : HParamSessions{});
    const HParamSessions &data = m_model->sessions();
    const QString metric = m_metric->currentText();
    {
        const QSignalBlocker block(m_metric);
        m_metric->clear();
        for (const std::string &m : data.metrics)
            m_metric->addItem(fromName(m));
        const int keep = m_metric->findText(metric);
        m_metric->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    m_scatter->setSessions(&data);
    rebuildParallel();
    setTagFilter(m_tagFilter); // column visibility for the new columns
    m_count->setText(QString("%1 session%2").arg(data.sessions.size()).arg(data.sessions.size() == 1 ? "" : "s"));
    selectRuns(selected);
}

void HParamsView::rebuildParallel() {
    const HParamSessions &data = m_model->sessions();
    std::vector<Param> params;
    for (const std::string &name : data.hparams) {
        std::vector<double> numbers;
        std::set<std::string> strings;
        bool allBool = true, allNumbers = true, any = false;
        for (const HParamSession &s : data.sessions) {
            const auto it = s.hparams.find(name);
            if (it == s.hparams.end()) continue;
            any = true;
            if (const double *d = std::get_if<double>(&it->second))
                numbers.push_back(*d);
            else
                allNumbers = false;
            allBool &= std::holds_alternative<bool>(it->second);
            strings.insert(hparamToString(it->second));
        }
        if (!any) continue;
        Param p;
        p.name = name;
        if (allNumbers) {
            p.kind = ParamKind::Float;
            const auto [lo, hi] = std::minmax_element(numbers.begin(), numbers.end());
            p.min = *lo, p.max = *hi > *lo ? *hi : *lo + 1;
            if (p.min > 0 && p.max / p.min >= 1000) p.scale = Scale::Log;
        } else {
            p.kind = ParamKind::Choice;
            if (allBool)
                p.choices = {false, true};
            else
                for (const std::string &v : strings)
                    p.choices.push_back(v);
        }
        params.push_back(std::move(p));
    }
    const QString metric = m_metric->currentText();
    std::vector<Trial> trials;
    for (size_t i = 0; i < data.sessions.size(); ++i) {
        const HParamSession &s = data.sessions[i];
        Trial t;
        t.id = int(i) + 1; // the model's row, plus one
        t.status = TrialStatus::Completed;
        for (const Param &p : params) {
            const auto it = s.hparams.find(p.name);
            if (it == s.hparams.end()) continue;
            if (p.kind == ParamKind::Float)
                t.params[p.name] = std::get<double>(it->second);
            else if (const bool *b = std::get_if<bool>(&it->second); b && p.choices.size() == 2 &&
                                                                    std::holds_alternative<bool>(p.choices[0]))
                t.params[p.name] = *b;
            else
                t.params[p.name] = hparamToString(it->second);
        }
        const auto m = s.metrics.find(toName(metric));
        if (m != s.metrics.end() && std::isfinite(m->second)) t.score = m->second;
        trials.push_back(std::move(t));
    }
    try {
        m_parallel->setSpace(SearchSpace(std::move(params)));
    } catch (const std::exception &) {
        m_parallel->setSpace(SearchSpace()); // names the space rejects: no axes, no crash
    }
    Objective objective;
    objective.metric = toName(metric);
    objective.maximize = maximized(metric);
    m_parallel->setObjective(objective);
    m_parallel->setTrials(trials);
}

void HParamsView::setTagFilter(const QString &regex) {
    m_tagFilter = regex;
    const QRegularExpression re(regex, QRegularExpression::CaseInsensitiveOption);
    for (int c = 0; c < m_model->columnCount(); ++c) {
        const bool metricShown = m_model->columnKind(c) != HParamsTableModel::Column::Metric ||
                                 !re.isValid() || re.match(m_model->columnName(c)).hasMatch();
        m_table->setColumnHidden(c, !metricShown || m_hiddenColumns.contains(m_model->columnName(c)));
    }
}

void HParamsView::setSessionFilter(const QString &regex) {
    if (m_filter->text() != regex) m_filter->setText(regex);
    m_proxy->setFilterRegularExpression(
        QRegularExpression(regex, QRegularExpression::CaseInsensitiveOption));
}

void HParamsView::setColumnShown(int column, bool shown) {
    const QString name = m_model->columnName(column);
    if (shown)
        m_hiddenColumns.remove(name);
    else
        m_hiddenColumns.insert(name);
    setTagFilter(m_tagFilter);
}

bool HParamsView::isColumnShown(int column) const {
    return !m_table->isColumnHidden(column);
}

void HParamsView::setScoreMetric(const QString &metric) {
    m_metric->setCurrentText(metric);
}

void HParamsView::showColumnsMenu() {
    QMenu menu(this);
    for (int c = 2; c < m_model->columnCount(); ++c) {
        QAction *a = menu.addAction(m_model->columnName(c));
        a->setCheckable(true);
        a->setChecked(!m_hiddenColumns.contains(m_model->columnName(c)));
        connect(a, &QAction::toggled, this, [this, c](bool on) { setColumnShown(c, on); });
    }
    menu.exec(m_columns->mapToGlobal(QPoint(0, m_columns->height())));
}

void HParamsView::selectRuns(const QStringList &runs) {
    QItemSelection selection;
    for (const QString &run : runs) {
        const int row = m_model->rowOf(run);
        if (row < 0) continue;
        const QModelIndex at = m_proxy->mapFromSource(m_model->index(row, 0));
        if (at.isValid()) selection.select(at, at.siblingAtColumn(m_model->columnCount() - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

QStringList HParamsView::selectedRuns() const {
    QStringList runs;
    for (const QModelIndex &row : m_table->selectionModel()->selectedRows())
        runs << fromName(m_model->session(m_proxy->mapToSource(row).row()).run);
    return runs;
}

void HParamsView::onSelectionChanged() {
    const QStringList runs = selectedRuns();
    m_scatter->setSelected(QSet<QString>(runs.begin(), runs.end()));
    m_parallel->setHighlightedTrial(runs.isEmpty() ? 0 : m_model->rowOf(runs.front()) + 1);
    emit runsSelected(runs);
}

} // namespace trainscope
