#include "widgets/jobs/augmentopsbox.h"

#include "widgets/jobs/formfields.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLineEdit>

namespace trainscope {

const QStringList &AugmentOpsBox::opNames() {
    static const QStringList names = {"flip",         "crop",     "noise",      "blur",
                                      "central_crop", "contrast", "brightness", "saturation",
                                      "hue",          "resize"};
    return names;
}

AugmentOpsBox::AugmentOpsBox(const QString &title, const QString &field, QWidget *parent)
    : QGroupBox(title, parent) {
    setObjectName(field);
    // What "amount" means for each op (core/jobs/jobspec.h).
    static const char *const meaning[] = {"unused",
                                          "padding in pixels",
                                          "standard deviation of the noise",
                                          "radius in pixels",
                                          "share of height and width kept",
                                          "factor (augment: up to this far from 1)",
                                          "added (augment: up to this much either way)",
                                          "factor (augment: up to this far from 1; RGB)",
                                          "turns of hue (augment: up to this much either way; RGB)",
                                          ""};
    auto *grid = new QGridLayout(this);
    for (int i = 0; i < opNames().size(); ++i) {
        const QString op = opNames()[i];
        Row row{new QCheckBox(op, this), new QDoubleSpinBox(this), nullptr};
        row.enabled->setObjectName(field + "." + op);
        row.amount->setObjectName(field + "." + op + ".amount");
        row.amount->setRange(0, 100);
        row.amount->setDecimals(2);
        const bool fraction = op == "noise" || op == "central_crop" || op == "contrast" ||
                              op == "brightness" || op == "saturation" || op == "hue";
        row.amount->setSingleStep(fraction ? 0.05 : 1);
        row.amount->setToolTip(QString("%1 amount: %2").arg(op, meaning[i]));
        row.amount->setEnabled(false);
        if (op == "resize") { // a size, not an amount
            row.size = formfields::intList(this, field + ".resize.size", "height, width");
            row.size->setEnabled(false);
            connect(row.enabled, &QCheckBox::toggled, row.size, &QWidget::setEnabled);
        }
        if (op == "flip" || op == "resize") // the hidden spin still carries the spec's value
            row.amount->hide();
        else
            connect(row.enabled, &QCheckBox::toggled, row.amount, &QWidget::setEnabled);
        grid->addWidget(row.enabled, i, 0);
        grid->addWidget(row.size ? static_cast<QWidget *>(row.size) : row.amount, i, 1);
        m_rows.append(row);
    }
    grid->setColumnStretch(1, 1);
}

void AugmentOpsBox::setOps(const std::vector<AugmentOp> &ops) {
    m_order.clear();
    for (const Row &row : m_rows) {
        row.enabled->setChecked(false);
        row.amount->setValue(0);
        if (row.size) row.size->clear();
    }
    for (const AugmentOp &op : ops) {
        const int i = int(opNames().indexOf(QString::fromStdString(op.op)));
        if (i < 0) continue; // the spec parser rejects unknown ops; nothing to show
        m_rows[i].enabled->setChecked(true);
        m_rows[i].amount->setValue(op.amount);
        if (m_rows[i].size) m_rows[i].size->setText(formfields::joinInts(op.size));
        m_order.removeAll(opNames()[i]);
        m_order.append(opNames()[i]);
    }
}

std::vector<AugmentOp> AugmentOpsBox::ops() const {
    QStringList order = m_order;
    for (const QString &op : opNames())
        if (!order.contains(op)) order.append(op);
    std::vector<AugmentOp> out;
    for (const QString &op : order) {
        const Row &row = m_rows[opNames().indexOf(op)];
        if (!row.enabled->isChecked()) continue;
        out.push_back({op.toStdString(), row.amount->value(), {}});
        if (row.size) {
            out.back().size = formfields::parseInts(row.size->text());
            out.back().amount = 0;
        }
    }
    return out;
}

} // namespace trainscope
