// The base of the spec forms (New job, New sweep): OK checks the spec in core, and a SpecError
// shows "field: reason" in red and takes the user to the field's editor (editors are named
// after their fields, see formfields.h). Subclasses say what to check and how to show a field.
#pragma once

#include <QDialog>
#include <functional>

class QLabel;

namespace trainscope {

class SpecDialog : public QDialog {
    Q_OBJECT
public:
    // Checks the spec as edited: on failure shows the error, focuses the field and returns false.
    bool validate();
    QString errorText() const;

public slots:
    void accept() override; // only when validate() passes

protected:
    explicit SpecDialog(QWidget *parent);
    QLabel *errorLabel() const { return m_error; } // the subclass places it in its layout

    virtual void check() const = 0; // throws SpecError naming the field
    // Shows an editor the generic search cannot (a table row); true when it did.
    virtual bool showField(const QString &) { return false; }
    // Makes a found editor visible (its tab) before it gets the focus.
    virtual void reveal(QWidget *) {}

    // `message` in red (none: hidden); for "FILE: a.b[2].c" the editor of a.b.c, a.b or a.
    void showError(const QString &field, const QString &message);
    // Runs `action`; a SpecError is shown at its field (or at `field` when given), any other
    // failure as `context` + its message. Returns whether it succeeded.
    bool attempt(const std::function<void()> &action, const QString &context = {},
                 const QString &field = {});

private:
    QLabel *m_error;
};

} // namespace trainscope
