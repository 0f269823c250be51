#include "widgets/timeline/tracedetails.h"

#include "widgets/format.h"
#include "widgets/timeline/timelinestyle.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace trainscope {
namespace {

QLabel *value(QWidget *parent) {
    auto *label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

QString laneText(const TimelineLane &lane) {
    const QString title = QString::fromStdString(lane.title);
    return lane.group.empty() || lane.gpu ? title
                                          : QString::fromStdString(lane.group) + " · " + title;
}

} // namespace

TraceDetails::TraceDetails(QWidget *parent)
    : QWidget(parent)
    , m_name(new QLabel(this))
    , m_category(value(this))
    , m_lane(value(this))
    , m_start(value(this))
    , m_duration(value(this))
    , m_args(new QTableWidget(0, 2, this))
    , m_flows(new QListWidget(this)) {
    m_name->setObjectName("eventName");
    m_name->setStyleSheet("font-weight: 600;");
    m_name->setWordWrap(true);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_args->setObjectName("eventArgs");
    m_args->setHorizontalHeaderLabels({tr("arg"), tr("value")});
    m_args->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_args->horizontalHeader()->setStretchLastSection(true);
    m_args->verticalHeader()->hide();
    m_args->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_args->setWordWrap(false);
    m_flows->setObjectName("eventFlows");
    m_flows->setToolTip(tr("Double-click to go to the other end"));
    connect(m_flows, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const qint64 target = item->data(Qt::UserRole).toLongLong();
        if (target >= 0) emit navigateTo(target);
    });

    auto *form = new QFormLayout;
    form->addRow(tr("Category"), m_category);
    form->addRow(tr("Lane"), m_lane);
    form->addRow(tr("Start"), m_start);
    form->addRow(tr("Duration"), m_duration);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_name);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Arguments"), this));
    layout->addWidget(m_args, 2);
    layout->addWidget(new QLabel(tr("Flows"), this));
    layout->addWidget(m_flows, 1);
    setEvent(std::nullopt);
}

void TraceDetails::setIndex(std::shared_ptr<const TimelineIndex> index) {
    m_index = std::move(index);
    setEvent(std::nullopt);
}

void TraceDetails::setEvent(std::optional<uint32_t> event) {
    if (event && (!m_index || *event >= m_index->eventCount())) event.reset();
    m_event = event;
    m_args->setRowCount(0);
    m_flows->clear();
    if (!event) {
        m_name->setText(tr("Click an event to see its details"));
        for (QLabel *l : {m_category, m_lane, m_start, m_duration})
            l->clear();
        return;
    }
    const TraceEvent &e = m_index->event(*event);
    m_name->setText(QString::fromStdString(e.name));
    m_category->setText(QString::fromStdString(e.category));
    const int lane = m_index->laneOf(*event);
    m_lane->setText(laneText(m_index->lanes()[size_t(lane)]));
    m_start->setText(formatNs(e.startNs - m_index->beginNs()));
    m_duration->setText(e.durationNs > 0 ? formatNs(e.durationNs) : tr("instant"));

    m_args->setRowCount(int(e.args.size()));
    for (size_t i = 0; i < e.args.size(); ++i) {
        m_args->setItem(int(i), 0, new QTableWidgetItem(QString::fromStdString(e.args[i].first)));
        auto *v = new QTableWidgetItem(QString::fromStdString(e.args[i].second));
        v->setToolTip(v->text());
        m_args->setItem(int(i), 1, v);
    }

    for (uint32_t flow : m_index->flowsOf(*event)) {
        const FlowEvents ends = m_index->flowEvents(flow);
        const bool outgoing = ends.from == *event;
        const uint32_t other = outgoing ? ends.to : ends.from;
        QString text = outgoing ? tr("launches ") : tr("launched by ");
        if (other == TimelineIndex::kNoEvent) {
            text += tr("(no event at the other end)");
        } else {
            const TraceEvent &o = m_index->event(other);
            text += QString("%1 (%2, +%3)")
                        .arg(QString::fromStdString(o.name),
                             laneText(m_index->lanes()[size_t(m_index->laneOf(other))]),
                             formatNs(o.startNs - m_index->beginNs()));
        }
        auto *item = new QListWidgetItem(text, m_flows);
        item->setData(Qt::UserRole, other == TimelineIndex::kNoEvent ? qint64(-1) : qint64(other));
    }
}

QString TraceDetails::nameText() const {
    return m_event ? m_name->text() : QString();
}

QString TraceDetails::fieldText(const QString &field) const {
    if (field == "category") return m_category->text();
    if (field == "lane") return m_lane->text();
    if (field == "start") return m_start->text();
    if (field == "duration") return m_duration->text();
    return {};
}

} // namespace trainscope
