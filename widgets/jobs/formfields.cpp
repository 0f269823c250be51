#include "widgets/jobs/formfields.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSpinBox>

namespace trainscope::formfields {

QWidget *name(QWidget *w, const QString &field, const QString &hint) {
    w->setObjectName(field);
    w->setToolTip(hint.isEmpty() ? field : field + ": " + hint);
    return w;
}

QSpinBox *intSpin(QWidget *parent, const QString &field, int min, int max, const QString &special,
                  const QString &hint) {
    auto *s = named(new QSpinBox(parent), field, hint);
    s->setRange(min, max);
    s->setSpecialValueText(special);
    s->setAccelerated(true);
    return s;
}

QDoubleSpinBox *doubleSpin(QWidget *parent, const QString &field, double min, double max,
                           int decimals, const QString &hint) {
    auto *s = named(new QDoubleSpinBox(parent), field, hint);
    s->setDecimals(decimals);
    s->setRange(min, max);
    // Steps scale with the value (0.001 steps by 0.0001), which suits rates spanning decades.
    s->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    return s;
}

QComboBox *choices(QWidget *parent, const QString &field, const QStringList &items) {
    auto *c = named(new QComboBox(parent), field);
    c->addItems(items);
    return c;
}

QLineEdit *intList(QWidget *parent, const QString &field, const QString &hint) {
    auto *e = named(new QLineEdit(parent), field, hint);
    e->setValidator(new QRegularExpressionValidator(QRegularExpression("[0-9,\\s]*"), e));
    e->setPlaceholderText("e.g. 512, 256");
    return e;
}

QGroupBox *group(const QString &title, QWidget *parent, QFormLayout *&form) {
    auto *box = new QGroupBox(title, parent);
    form = new QFormLayout(box);
    return box;
}

void select(QComboBox *combo, const std::string &value) {
    const QString text = QString::fromStdString(value);
    if (combo->findText(text) < 0) combo->addItem(text);
    combo->setCurrentText(text);
}

std::string text(const QComboBox *combo) {
    return combo->currentText().toStdString();
}

QStringList toStringList(const std::vector<std::string> &items) {
    QStringList out;
    for (const std::string &item : items)
        out << QString::fromStdString(item);
    return out;
}

QString joinInts(const std::vector<int> &values) {
    QStringList parts;
    for (int v : values)
        parts << QString::number(v);
    return parts.join(", ");
}

std::vector<int> parseInts(const QString &text) {
    std::vector<int> out;
    for (const QString &part : text.split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int v = part.toInt(&ok);
        out.push_back(ok ? v : 0);
    }
    return out;
}

} // namespace trainscope::formfields
