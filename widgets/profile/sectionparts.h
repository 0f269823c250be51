// The pieces the Profile tab's sections are built from, so each reads alike: a titled box, a
// read-only table of statistics, and a chart's legend in a row of its own above the plot.
#pragma once

#include <QString>

class QAbstractItemModel;
class QCustomPlot;
class QTableView;
class QWidget;

namespace trainscope {

// `content` under a bold title; `beside` (a filter box) at the title's right, `note` between
// the title and the content.
QWidget *titledBox(const QString &title, QWidget *content, QWidget *beside = nullptr,
                   QWidget *note = nullptr);

// Rows selected whole, never edited, alternating colours; the first column takes the spare
// width, the others fit their contents.
QTableView *statsTableView(QAbstractItemModel *model, QWidget *parent);

// The legend moved out of the axis rect into a row above it, `columns` entries a row: inside,
// it covers bars and labels.
void putLegendAbove(QCustomPlot *plot, int columns);

} // namespace trainscope
