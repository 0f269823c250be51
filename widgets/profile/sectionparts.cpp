#include "widgets/profile/sectionparts.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace trainscope {

QWidget *titledBox(const QString &title, QWidget *content, QWidget *beside, QWidget *note) {
    auto *box = new QWidget;
    auto *header = new QHBoxLayout;
    auto *label = new QLabel(title, box);
    label->setStyleSheet("font-weight: 600;");
    header->addWidget(label, 1);
    if (beside) header->addWidget(beside);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    if (note) layout->addWidget(note);
    layout->addWidget(content, 1);
    return box;
}

QTableView *statsTableView(QAbstractItemModel *model, QWidget *parent) {
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < model->columnCount(); ++c)
        view->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    return view;
}

void putLegendAbove(QCustomPlot *plot, int columns) {
    plot->legend->setVisible(true);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setWrap(columns);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(0, 0.001);
}

} // namespace trainscope
