#include "widgets/confusion/confusionheatmap.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace trainscope {
namespace {

constexpr int kTitle = 18; // room for an axis title
constexpr int kGap = 6;    // between names and the grid

QString className(const ConfusionMatrix &m, int i) {
    return QString::fromStdString(m.classNames[size_t(i)]);
}

} // namespace

bool isWellFormed(const ConfusionMatrix &matrix) {
    return matrix.counts.size() == size_t(matrix.classes()) * size_t(matrix.classes());
}

double rowNormalized(const ConfusionMatrix &matrix, int trueClass, int predicted) {
    int64_t row = 0;
    for (int p = 0; p < matrix.classes(); ++p)
        row += matrix.at(trueClass, p);
    return row > 0 ? double(matrix.at(trueClass, predicted)) / double(row) : 0.0;
}

double diagonalAccuracy(const ConfusionMatrix &matrix) {
    int64_t total = 0, diagonal = 0;
    for (int t = 0; t < matrix.classes(); ++t)
        for (int p = 0; p < matrix.classes(); ++p) {
            total += matrix.at(t, p);
            if (t == p) diagonal += matrix.at(t, p);
        }
    return total > 0 ? double(diagonal) / double(total) : 0.0;
}

ConfusionHeatmap::ConfusionHeatmap(QWidget *parent)
    : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ConfusionHeatmap::setMatrix(const ConfusionMatrix *matrix) {
    m_matrix = matrix && isWellFormed(*matrix) && matrix->classes() > 0 ? matrix : nullptr;
    m_maxCount = 0;
    if (m_matrix)
        for (int64_t c : m_matrix->counts)
            m_maxCount = std::max(m_maxCount, double(c));
    layoutCells();
    update();
}

void ConfusionHeatmap::setNormalized(bool on) {
    m_normalized = on;
    update();
}

double ConfusionHeatmap::value(int trueClass, int predicted) const {
    if (!m_matrix) return 0;
    return m_normalized ? rowNormalized(*m_matrix, trueClass, predicted)
                        : double(m_matrix->at(trueClass, predicted));
}

QString ConfusionHeatmap::cellText(int trueClass, int predicted) const {
    if (!m_matrix) return {};
    if (m_normalized) return QString::number(100 * value(trueClass, predicted), 'f', 0) + "%";
    return QString::number(m_matrix->at(trueClass, predicted));
}

void ConfusionHeatmap::resizeEvent(QResizeEvent *event) {
    QWidget::resizeEvent(event);
    layoutCells();
}

void ConfusionHeatmap::layoutCells() {
    if (!m_matrix) return;
    const int n = m_matrix->classes();
    const QFontMetrics fm(font());
    int rowNames = 0;
    for (int i = 0; i < n; ++i)
        rowNames = std::max(rowNames, fm.horizontalAdvance(className(*m_matrix, i)));
    m_rowNamesWidth = rowNames;
    const int left = kTitle + rowNames + kGap;
    // First try names written across; if one is wider than a cell, stand them upright.
    auto cellFor = [&](int bottom) {
        return std::clamp(std::min((width() - left - 8) / n, (height() - bottom - 16) / n), 4, 120);
    };
    m_columnNamesHeight = fm.height();
    m_cell = cellFor(kTitle + m_columnNamesHeight + kGap);
    m_verticalColumnNames = rowNames > m_cell - 4;
    if (m_verticalColumnNames) {
        m_columnNamesHeight = rowNames; // the same names: the widest one is as tall
        m_cell = cellFor(kTitle + m_columnNamesHeight + kGap);
    }
    // Centred in the widget, names and titles included.
    const int gridWidth = left + n * m_cell;
    const int gridHeight = n * m_cell + kGap + m_columnNamesHeight + kTitle;
    m_origin = QPoint(std::max(0, (width() - gridWidth) / 2) + left,
                      std::max(8, (height() - gridHeight) / 2));
}

QRect ConfusionHeatmap::cellRect(int trueClass, int predicted) const {
    return QRect(m_origin.x() + predicted * m_cell, m_origin.y() + trueClass * m_cell, m_cell,
                 m_cell);
}

QColor ConfusionHeatmap::cellColor(double t) const {
    // White to a deep blue; readable in print and for the common colour-vision deficiencies.
    const QColor lo(247, 251, 255), hi(8, 48, 107);
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(float(lo.redF() + t * (hi.redF() - lo.redF())),
                            float(lo.greenF() + t * (hi.greenF() - lo.greenF())),
                            float(lo.blueF() + t * (hi.blueF() - lo.blueF())));
}

void ConfusionHeatmap::paintEvent(QPaintEvent *) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (!m_matrix) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, "No confusion matrix yet: one comes after each epoch.");
        return;
    }
    const int n = m_matrix->classes();
    const QFontMetrics fm(font());
    int widestCount = 0;
    for (int t = 0; t < n; ++t)
        for (int c = 0; c < n; ++c)
            widestCount = std::max(widestCount, fm.horizontalAdvance(cellText(t, c)));
    const bool writeValues = widestCount + 4 <= m_cell && fm.height() <= m_cell;
    for (int t = 0; t < n; ++t)
        for (int c = 0; c < n; ++c) {
            const QRect r = cellRect(t, c);
            const double shade =
                m_normalized ? value(t, c) : (m_maxCount > 0 ? value(t, c) / m_maxCount : 0);
            p.fillRect(r, cellColor(shade));
            if (!writeValues) continue;
            p.setPen(shade > 0.5 ? Qt::white : QColor(33, 33, 33));
            p.drawText(r, Qt::AlignCenter, cellText(t, c));
        }
    // The diagonal, outlined: where the right answers are.
    p.setPen(QPen(QColor(255, 152, 0), 1.5));
    for (int i = 0; i < n; ++i)
        p.drawRect(cellRect(i, i).adjusted(1, 1, -1, -1));

    const QRect grid(m_origin, QSize(n * m_cell, n * m_cell));
    p.setPen(palette().color(QPalette::Text));
    p.drawRect(grid.adjusted(0, 0, -1, -1));
    for (int i = 0; i < n; ++i) {
        const QString name = className(*m_matrix, i);
        p.drawText(QRect(grid.left() - kGap - 400, cellRect(i, 0).top(), 400, m_cell),
                   Qt::AlignRight | Qt::AlignVCenter, name);
        const QRect column = cellRect(0, i);
        if (m_verticalColumnNames) {
            p.save();
            p.translate(column.center().x(), grid.bottom() + kGap);
            p.rotate(-90); // reads bottom to top, ending at the grid
            p.drawText(
                QRect(-m_columnNamesHeight, -fm.height() / 2, m_columnNamesHeight, fm.height()),
                Qt::AlignRight | Qt::AlignVCenter, name);
            p.restore();
        } else {
            p.drawText(QRect(column.left() - 20, grid.bottom() + kGap, m_cell + 40, fm.height()),
                       Qt::AlignHCenter | Qt::AlignTop, name);
        }
    }
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    const int titleY = grid.bottom() + kGap + m_columnNamesHeight + 2;
    p.drawText(QRect(grid.left(), titleY, grid.width(), kTitle), Qt::AlignCenter, "predicted");
    p.save();
    p.translate(grid.left() - kGap - m_rowNamesWidth - kTitle / 2, grid.center().y());
    p.rotate(-90);
    p.drawText(QRect(-grid.height() / 2, -kTitle / 2, grid.height(), kTitle), Qt::AlignCenter,
               "true");
    p.restore();
}

QString ConfusionHeatmap::toolTipAt(const QPoint &pos) const {
    if (!m_matrix || m_cell <= 0) return {};
    const int n = m_matrix->classes();
    const int c = (pos.x() - m_origin.x()) / m_cell, t = (pos.y() - m_origin.y()) / m_cell;
    if (pos.x() < m_origin.x() || pos.y() < m_origin.y() || c >= n || t >= n) return {};
    return QString("true %1, predicted %2: %3 (%4% of %1)")
        .arg(className(*m_matrix, t), className(*m_matrix, c))
        .arg(m_matrix->at(t, c))
        .arg(100 * rowNormalized(*m_matrix, t, c), 0, 'f', 1);
}

bool ConfusionHeatmap::event(QEvent *event) {
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace trainscope
