#include "widgets/profile/statstable.h"

#include "widgets/format.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace trainscope {

QString toCsv(const QAbstractItemModel *model) {
    QString out;
    if (!model) return out;
    const int columns = model->columnCount();
    QStringList header;
    for (int c = 0; c < columns; ++c)
        header << model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
    out += csvLine(header);
    for (int r = 0; r < model->rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < columns; ++c)
            row << model->index(r, c).data(Qt::DisplayRole).toString();
        out += csvLine(row);
    }
    return out;
}

bool writeCsv(const QAbstractItemModel *model, const QString &path, QString *error) {
    return saveFile(path, toCsv(model).toUtf8(), error);
}

StatsTable::StatsTable(QWidget *parent)
    : QWidget(parent)
    , m_filter(new QLineEdit(this))
    , m_export(new QPushButton("Export CSV…", this))
    , m_view(new QTableView(this))
    , m_proxy(new QSortFilterProxyModel(this)) {
    m_filter->setObjectName("filter");
    m_filter->setPlaceholderText("Filter by name");
    m_filter->setClearButtonEnabled(true);
    m_export->setObjectName("exportCsv");
    m_export->setToolTip("Save the rows shown (filtered and sorted) as CSV");
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(Qt::UserRole);
    m_view->setObjectName("table");
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle); // templated kernel names differ at both ends
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(false);

    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_export, &QPushButton::clicked, this, &StatsTable::chooseAndExport);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_export);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
}

void StatsTable::setSourceModel(QAbstractItemModel *model, int nameColumn, int sortRole) {
    m_proxy->setSourceModel(model);
    m_proxy->setFilterKeyColumn(nameColumn);
    m_proxy->setSortRole(sortRole);
    // Names (operators, kernels) are long: their column takes the spare width.
    QHeaderView *header = m_view->horizontalHeader();
    for (int c = 0; c < model->columnCount(); ++c)
        header->setSectionResizeMode(c, c == nameColumn ? QHeaderView::Stretch
                                                        : QHeaderView::ResizeToContents);
}

QAbstractItemModel *StatsTable::sourceModel() const {
    return m_proxy->sourceModel();
}

void StatsTable::setFilterText(const QString &text) {
    m_filter->setText(text); // textChanged filters; setting the same text again is harmless
    m_proxy->setFilterFixedString(text);
}

QString StatsTable::filterText() const {
    return m_filter->text();
}

void StatsTable::sortByColumn(int column, Qt::SortOrder order) {
    m_view->sortByColumn(column, order);
}

void StatsTable::setPlaceholderText(const QString &text) {
    m_filter->setPlaceholderText(text);
}

void StatsTable::setExportFileName(const QString &name) {
    m_exportName = name;
}

bool StatsTable::exportCsv(const QString &path, QString *error) const {
    return writeCsv(m_proxy, path, error);
}

void StatsTable::chooseAndExport() {
    const QString path = QFileDialog::getSaveFileName(this, "Export CSV",
                                                      QDir(QDir::homePath()).filePath(m_exportName),
                                                      "CSV files (*.csv);;All files (*)");
    if (path.isEmpty()) return;
    QString error;
    if (exportCsv(path, &error))
        emit exported(path);
    else
        QMessageBox::warning(this, "Export CSV", error);
}

} // namespace trainscope
