#include "selectionsummarymodel.h"

#include "timeline/timelinestyle.h"

#include <QLocale>

namespace trainscope {

SelectionSummaryModel::SelectionSummaryModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void SelectionSummaryModel::setSummary(std::vector<NameTotal> rows, int64_t rangeNs, int lanes) {
    beginResetModel();
    m_rows = std::move(rows);
    m_range = rangeNs;
    m_lanes = lanes;
    m_total = 0;
    m_events = 0;
    for (const NameTotal &r : m_rows) {
        m_total += r.totalNs;
        m_events += r.count;
    }
    endResetModel();
}

QString SelectionSummaryModel::caption() const {
    if (m_lanes == 0) return tr("Shift+drag across the timeline to summarize a range");
    return tr("%1 on %2 %3: %4 events")
        .arg(formatNs(m_range), QString::number(m_lanes),
             m_lanes == 1 ? tr("lane") : tr("lanes"), QLocale().toString(qulonglong(m_events)));
}

int SelectionSummaryModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SelectionSummaryModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SelectionSummaryModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= int(m_rows.size())) return {};
    const NameTotal &r = m_rows[size_t(index.row())];
    // Share of all the time summed in the selection (nested events each count their own).
    const double share = m_total > 0 ? double(r.totalNs) / double(m_total) : 0;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NameColumn:
            return QString::fromStdString(r.name);
        case CountColumn:
            return QLocale().toString(qulonglong(r.count));
        case TotalColumn:
            return formatNs(r.totalNs);
        case ShareColumn:
            return QString("%1%").arg(share * 100, 0, 'f', 1);
        }
    } else if (role == SortRole) {
        switch (index.column()) {
        case NameColumn:
            return QString::fromStdString(r.name);
        case CountColumn:
            return qulonglong(r.count);
        case TotalColumn:
            return qlonglong(r.totalNs);
        case ShareColumn:
            return share;
        }
    } else if (role == Qt::TextAlignmentRole && index.column() != NameColumn) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ToolTipRole && index.column() == NameColumn) {
        return QString::fromStdString(r.name);
    }
    return {};
}

QVariant SelectionSummaryModel::headerData(int section, Qt::Orientation orientation,
                                           int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn:
        return tr("name");
    case CountColumn:
        return tr("count");
    case TotalColumn:
        return tr("total");
    case ShareColumn:
        return tr("share");
    }
    return {};
}

} // namespace trainscope
