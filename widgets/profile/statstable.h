// A reusable statistics table: a filter box (case-insensitive substring of the name column), a
// sortable view over a QSortFilterProxyModel and CSV export of the rows as they are shown.
#pragma once

#include <QString>
#include <QWidget>

class QAbstractItemModel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace trainscope {

// `model`'s horizontal header, then every row's displayed text, one line each.
QString toCsv(const QAbstractItemModel *model);
// toCsv saved as saveFile (widgets/format.h) saves: atomically, `error` naming the path.
bool writeCsv(const QAbstractItemModel *model, const QString &path, QString *error = nullptr);

class StatsTable : public QWidget {
    Q_OBJECT
public:
    explicit StatsTable(QWidget *parent = nullptr);

    // `model` stays the caller's. Numbers sort by `sortRole` (the project's models' SortRole).
    void setSourceModel(QAbstractItemModel *model, int nameColumn = 0, int sortRole = Qt::UserRole);
    QAbstractItemModel *sourceModel() const;
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    QPushButton *exportButton() const { return m_export; }

    void setFilterText(const QString &text); // shown in the filter box too
    QString filterText() const;
    void sortByColumn(int column, Qt::SortOrder order);
    void setPlaceholderText(const QString &text); // the empty filter box's hint
    void setExportFileName(const QString &name);  // what the save dialog suggests

    // The visible rows (filtered and sorted) with the header; see writeCsv.
    bool exportCsv(const QString &path, QString *error = nullptr) const;

signals:
    void exported(const QString &path);

private:
    void chooseAndExport();

    QLineEdit *m_filter;
    QPushButton *m_export;
    QTableView *m_view;
    QSortFilterProxyModel *m_proxy;
    QString m_exportName = "stats.csv";
};

} // namespace trainscope
