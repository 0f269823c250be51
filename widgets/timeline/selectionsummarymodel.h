// The area selection's summary as a table: per event name on the selected lanes, how many
// events overlap the range and their time inside it, largest first (Perfetto's area summary).
#pragma once

#include "profile/timelineindex.h"

#include <QAbstractTableModel>
#include <vector>

namespace trainscope {

class SelectionSummaryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, CountColumn, TotalColumn, ShareColumn, ColumnCount };
    static constexpr int SortRole = Qt::UserRole; // raw numbers, for sorting

    explicit SelectionSummaryModel(QObject *parent = nullptr);

    // `rows` as summarize() gives them; `rangeNs` and `lanes` describe the selection.
    void setSummary(std::vector<NameTotal> rows, int64_t rangeNs, int lanes);
    void clear() { setSummary({}, 0, 0); }
    const std::vector<NameTotal> &rows() const { return m_rows; }
    int64_t totalNs() const { return m_total; } // summed over every row
    QString caption() const;                    // "12.5 ms on 3 lanes: 1,204 events"

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<NameTotal> m_rows;
    int64_t m_total = 0, m_range = 0;
    uint64_t m_events = 0;
    int m_lanes = 0;
};

} // namespace trainscope
