// The area selection's summary as a table: per event name on the selected lanes, how many
// events overlap the range and their time inside it, largest first (Perfetto's area summary).
#pragma once

#include "core/profile/timelineindex.h"

#include "widgets/rowsmodel.h"

#include <vector>

namespace trainscope {

class SelectionSummaryModel : public RowsModel<NameTotal> {
    Q_OBJECT
public:
    enum Column { NameColumn, CountColumn, TotalColumn, ShareColumn, ColumnCount };

    explicit SelectionSummaryModel(QObject *parent = nullptr);

    // `rows` as summarize() gives them; `rangeNs` and `lanes` describe the selection.
    void setSummary(std::vector<NameTotal> rows, int64_t rangeNs, int lanes);
    void clear() { setSummary({}, 0, 0); }
    int64_t totalNs() const { return m_total; } // summed over every row
    QString caption() const;                    // "12.5 ms on 3 lanes: 1,204 events"

private:
    void rowsReset() override;
    QVariant display(const NameTotal &r, int column) const override;
    QVariant sortKey(const NameTotal &r, int column) const override;
    // Of all the time summed in the selection (nested events each count their own).
    double shareOf(const NameTotal &r) const {
        return m_total > 0 ? double(r.totalNs) / double(m_total) : 0;
    }

    int64_t m_total = 0, m_range = 0;
    uint64_t m_events = 0;
    int m_lanes = 0;
};

} // namespace trainscope
