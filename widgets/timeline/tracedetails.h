// The clicked event's details beside the timeline: name, category, lane, start (relative to the
// trace start), duration, its args as a table and its flows ("launched by …", "launches …").
#pragma once

#include "core/profile/timelineindex.h"

#include <QWidget>
#include <memory>
#include <optional>

class QLabel;
class QListWidget;
class QTableWidget;

namespace trainscope {

class TraceDetails : public QWidget {
    Q_OBJECT
public:
    explicit TraceDetails(QWidget *parent = nullptr);

    void setIndex(std::shared_ptr<const TimelineIndex> index); // clears the event shown
    void setEvent(std::optional<uint32_t> event);
    std::optional<uint32_t> event() const { return m_event; }

    QString nameText() const;                      // as shown
    QString fieldText(const QString &field) const; // "category", "lane", "start", "duration"
    QTableWidget *argsTable() const { return m_args; }
    QListWidget *flowsList() const { return m_flows; }

signals:
    void navigateTo(qint64 event); // a flow's other end was activated

private:
    std::shared_ptr<const TimelineIndex> m_index;
    std::optional<uint32_t> m_event;
    QLabel *m_name;
    QLabel *m_category, *m_lane, *m_start, *m_duration;
    QTableWidget *m_args;
    QListWidget *m_flows;
};

} // namespace trainscope
