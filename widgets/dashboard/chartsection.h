// A collapsible group of charts (the tags that share a prefix), laid out in a grid.
#pragma once

#include <QWidget>

class QGridLayout;
class QToolButton;

namespace trainscope {

class ChartSection : public QWidget {
    Q_OBJECT
public:
    explicit ChartSection(const QString &group, QWidget *parent = nullptr);

    // Lays out these charts (already sorted) in rows of `columns`, hiding the rest.
    void setCharts(const QList<QWidget *> &charts, int columns = 3);
    bool isExpanded() const;
    void setExpanded(bool expanded);

private:
    QString m_group;
    QToolButton *m_header;
    QWidget *m_body;
    QGridLayout *m_grid;
};

} // namespace trainscope
