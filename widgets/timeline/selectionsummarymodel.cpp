#include "widgets/timeline/selectionsummarymodel.h"

#include "widgets/format.h"
#include "widgets/timeline/timelinestyle.h"

#include <QLocale>

namespace trainscope {

SelectionSummaryModel::SelectionSummaryModel(QObject *parent)
    : RowsModel({tr("name"), tr("count"), tr("total"), tr("share")}, parent) {}

void SelectionSummaryModel::setSummary(std::vector<NameTotal> rows, int64_t rangeNs, int lanes) {
    m_range = rangeNs;
    m_lanes = lanes;
    resetRows(std::move(rows));
}

void SelectionSummaryModel::rowsReset() {
    m_total = 0;
    m_events = 0;
    for (const NameTotal &r : rows()) {
        m_total += r.totalNs;
        m_events += r.count;
    }
}

QString SelectionSummaryModel::caption() const {
    if (m_lanes == 0) return tr("Shift+drag across the timeline to summarize a range");
    return tr("%1 on %2 %3: %4 events")
        .arg(formatNs(m_range), QString::number(m_lanes), m_lanes == 1 ? tr("lane") : tr("lanes"),
             QLocale().toString(qulonglong(m_events)));
}

QVariant SelectionSummaryModel::display(const NameTotal &r, int column) const {
    switch (column) {
    case NameColumn:
        return QString::fromStdString(r.name);
    case CountColumn:
        return QLocale().toString(qulonglong(r.count));
    case TotalColumn:
        return formatNs(r.totalNs);
    case ShareColumn:
        return QString("%1%").arg(shareOf(r) * 100, 0, 'f', 1);
    }
    return {};
}

QVariant SelectionSummaryModel::sortKey(const NameTotal &r, int column) const {
    switch (column) {
    case NameColumn:
        return QString::fromStdString(r.name);
    case CountColumn:
        return qulonglong(r.count);
    case TotalColumn:
        return qlonglong(r.totalNs);
    case ShareColumn:
        return shareOf(r);
    }
    return {};
}

} // namespace trainscope
