#include "widgets/dashboard/chartsection.h"

#include <QGridLayout>
#include <QToolButton>
#include <QVBoxLayout>

namespace trainscope {

ChartSection::ChartSection(const QString &group, QWidget *parent)
    : QWidget(parent)
    , m_group(group)
    , m_header(new QToolButton(this))
    , m_body(new QWidget(this))
    , m_grid(new QGridLayout(m_body)) {
    m_header->setCheckable(true);
    m_header->setChecked(true);
    m_header->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_header->setArrowType(Qt::DownArrow);
    m_header->setAutoRaise(true);
    m_header->setStyleSheet("QToolButton { font-weight: 600; font-size: 11pt; }");
    connect(m_header, &QToolButton::toggled, this, &ChartSection::setExpanded);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(8);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 6);
    layout->addWidget(m_header);
    layout->addWidget(m_body);
}

void ChartSection::setCharts(const QList<QWidget *> &charts, int columns) {
    while (QLayoutItem *item = m_grid->takeAt(0))
        delete item; // the charts stay, only the cells go
    for (int i = 0; i < charts.size(); ++i)
        m_grid->addWidget(charts[i], i / columns, i % columns);
    for (int c = 0; c < columns; ++c)
        m_grid->setColumnStretch(c, 1);
    m_header->setText(QString("%1  (%2)").arg(m_group).arg(charts.size()));
}

bool ChartSection::isExpanded() const {
    return m_body->isVisible();
}

void ChartSection::setExpanded(bool expanded) {
    m_body->setVisible(expanded);
    m_header->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    if (m_header->isChecked() != expanded) m_header->setChecked(expanded);
}

} // namespace trainscope
