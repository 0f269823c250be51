#include "widgets/specdialog.h"

#include <QLabel>
#include <QRegularExpression>

namespace trainscope {

SpecDialog::SpecDialog(QWidget *parent)
    : QDialog(parent)
    , m_error(new QLabel(this)) {
    m_error->setObjectName("error");
    m_error->setStyleSheet("color: #c62828;");
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
}

bool SpecDialog::validate() {
    try {
        check();
        showError({}, {});
        return true;
    } catch (const SpecError &e) {
        showError(QString::fromStdString(e.field()), QString::fromStdString(e.what()));
    } catch (const std::exception &e) {
        showError({}, QString::fromStdString(e.what()));
    }
    return false;
}

QString SpecDialog::errorText() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

void SpecDialog::accept() {
    if (validate()) QDialog::accept();
}

void SpecDialog::showError(const QString &field, const QString &message) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    QString name = field.mid(field.lastIndexOf(": ") + 1).trimmed();
    if (name.isEmpty() || showField(name)) return;
    name.remove(QRegularExpression("\\[\\d+\\]"));
    for (; !name.isEmpty(); name.truncate(std::max<qsizetype>(name.lastIndexOf('.'), 0)))
        if (auto *editor = findChild<QWidget *>(name)) {
            reveal(editor);
            editor->setFocus();
            break;
        }
}

} // namespace trainscope
