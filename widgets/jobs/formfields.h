// Small builders for the job form's editors: each editor is named after its spec field, so
// an error naming the field finds its widget, and the tooltip shows what `--set` calls it.
#pragma once

#include <QString>
#include <QStringList>
#include <string>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLineEdit;
class QSpinBox;
class QWidget;

namespace trainscope::formfields {

// Sets objectName to `field` and the tooltip to "field: hint".
QWidget *name(QWidget *w, const QString &field, const QString &hint = {});
template <typename W> W *named(W *w, const QString &field, const QString &hint = {}) {
    name(w, field, hint);
    return w;
}

// `special` is shown instead of the minimum (e.g. "autotune" for 0).
QSpinBox *intSpin(QWidget *parent, const QString &field, int min, int max,
                  const QString &special = {}, const QString &hint = {});
QDoubleSpinBox *doubleSpin(QWidget *parent, const QString &field, double min, double max,
                           int decimals, const QString &hint = {});
QComboBox *choices(QWidget *parent, const QString &field, const QStringList &items);
// A comma-separated list of positive integers ("512, 256").
QLineEdit *intList(QWidget *parent, const QString &field, const QString &hint);
// A titled box with a form layout in it.
QGroupBox *group(const QString &title, QWidget *parent, QFormLayout *&form);

// Selects `value`, adding it first when it is not an item (the parser then rejects it).
void select(QComboBox *combo, const std::string &value);
std::string text(const QComboBox *combo);

QStringList toStringList(const std::vector<std::string> &items);
QString joinInts(const std::vector<int> &values);
// "512, 256" -> {512, 256}; a number too large to read becomes 0, which the parser rejects
// with the field's name.
std::vector<int> parseInts(const QString &text);

} // namespace trainscope::formfields
