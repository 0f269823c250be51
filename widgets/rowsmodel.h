// The one skeleton of the tables over a list of core values (operators, kernels, input stages,
// live allocations, a selection's summary), after heaptrack's hashmodel.h: the rows are replaced
// whole, the header is fixed, text columns sit left and numbers right, and SortRole gives the
// raw value a proxy sorts by. A subclass says what a cell shows and sorts by.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <utility>
#include <vector>

namespace trainscope {

template <typename Row> class RowsModel : public QAbstractTableModel {
public:
    static constexpr int SortRole = Qt::UserRole; // raw numbers, for sorting

    const Row &at(int row) const { return m_rows[size_t(row)]; }
    const std::vector<Row> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override {
        return parent.isValid() ? 0 : int(m_headers.size());
    }
    QVariant data(const QModelIndex &index, int role) const override {
        if (!this->checkIndex(index, QAbstractItemModel::CheckIndexOption::IndexIsValid |
                                         QAbstractItemModel::CheckIndexOption::ParentIsInvalid))
            return {};
        const Row &row = m_rows[size_t(index.row())];
        const int column = index.column();
        switch (role) {
        case Qt::DisplayRole:
            return display(row, column);
        case SortRole:
            return sortKey(row, column);
        case Qt::TextAlignmentRole:
            if (isText(column)) return {};
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::ToolTipRole:
            return toolTip(row, column);
        }
        return other(row, column, role);
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override {
        if (orientation != Qt::Horizontal || section < 0 || section >= m_headers.size()) return {};
        if (role == Qt::DisplayRole) return m_headers[section];
        if (role == Qt::ToolTipRole) return headerToolTip(section);
        return {};
    }

protected:
    RowsModel(QStringList headers, QObject *parent)
        : QAbstractTableModel(parent)
        , m_headers(std::move(headers)) {}

    // Replaces every row; rowsReset() derives what the rows imply (totals, shares) meanwhile.
    void resetRows(std::vector<Row> rows) {
        this->beginResetModel();
        m_rows = std::move(rows);
        rowsReset();
        this->endResetModel();
    }
    virtual void rowsReset() {}

    virtual QVariant display(const Row &row, int column) const = 0;
    virtual QVariant sortKey(const Row &row, int column) const = 0;
    // By default the first column is text (its full value as the tooltip, for elided cells).
    virtual bool isText(int column) const { return column == 0; }
    virtual QVariant toolTip(const Row &row, int column) const {
        return column == 0 ? display(row, 0) : QVariant();
    }
    virtual QVariant headerToolTip(int /*section*/) const { return {}; }
    virtual QVariant other(const Row &, int /*column*/, int /*role*/) const { return {}; }

private:
    QStringList m_headers;
    std::vector<Row> m_rows;
};

} // namespace trainscope
