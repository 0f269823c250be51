// ScalarChart's exports: the chart as PNG or SVG, its shown curves' points as CSV.
#include "widgets/scalars/scalarchart.h"

#include "core/events/scalarseries.h"
#include "widgets/format.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace trainscope {

bool ScalarChart::exportPng(const QString &path) {
    replotNow();
    return m_plot->savePng(path, 0, 0, 2.0);
}

bool ScalarChart::exportSvg(const QString &path) {
    replotNow();
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(m_plot->size());
    svg.setViewBox(m_plot->rect());
    svg.setTitle(m_tag);
    svg.setDescription("Trainscope chart");
    QCPPainter painter;
    if (!painter.begin(&svg)) return false;
    m_plot->toPainter(&painter, m_plot->width(), m_plot->height());
    painter.end();
    return QFileInfo(path).size() > 0;
}

bool ScalarChart::exportCsv(const QString &path) const {
    QString out = csvLine({"run", "step", "wall_time", "value", "smoothed"});
    for (auto it = m_curves.begin(); it != m_curves.end(); ++it) {
        const Curve &c = *it;
        if (!c.shown) continue;
        for (size_t k = 0; k < c.raw.size(); ++k) {
            const size_t i = c.order.empty() ? k : c.order[k];
            out += csvLine({it.key(), QString::number(c.source.series->step(i)),
                            QString::number(c.source.series->wallTime(i), 'f', 6),
                            QString::number(double(c.raw.y()[k]), 'g', 9),
                            QString::number(double(c.smoothed.y()[k]), 'g', 9)});
        }
    }
    return saveFile(path, out.toUtf8());
}

void ScalarChart::showExportMenu() {
    QMenu menu(this);
    const QString base = QString(m_tag).replace('/', '_');
    menu.addAction("Chart as PNG…", this, [this, base] {
        const QString f =
            QFileDialog::getSaveFileName(this, "Export PNG", base + ".png", "PNG (*.png)");
        if (!f.isEmpty()) exportPng(f);
    });
    menu.addAction("Chart as SVG…", this, [this, base] {
        const QString f =
            QFileDialog::getSaveFileName(this, "Export SVG", base + ".svg", "SVG (*.svg)");
        if (!f.isEmpty()) exportSvg(f);
    });
    menu.addAction("Data as CSV…", this, [this, base] {
        const QString f =
            QFileDialog::getSaveFileName(this, "Export CSV", base + ".csv", "CSV (*.csv)");
        if (!f.isEmpty()) exportCsv(f);
    });
    menu.exec(QCursor::pos());
}

} // namespace trainscope
