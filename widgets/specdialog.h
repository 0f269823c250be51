// The base of the spec forms (New job, New sweep): OK checks the spec in core, and a SpecError
// shows "field: reason" in red and takes the user to the field's editor (editors are named
// after their fields, see formfields.h). Subclasses say what to check and how to show a field.
#pragma once

#include "core/jobs/specerror.h"
#include "widgets/background.h"

#include <QDialog>
#include <functional>
#include <optional>
#include <string>

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

signals:
    void loadFinished(bool ok); // a loadFile() was applied (true) or its error shown (false)

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

    // Reads and parses the file at `path` off the GUI thread (`parse` throws SpecError or any
    // std::exception), then applies the value here; a failure is shown at its field (or at
    // `field` when given), prefixed by the path.
    // The latest load wins; loadFinished says when it is over.
    template <typename Value>
    void loadFile(const QString &path, std::function<Value(const std::string &)> parse,
                  std::function<void(const Value &)> apply, const QString &field = {}) {
        struct Loaded {
            std::optional<Value> value;
            QString field, message;
        };
        m_loads.run(
            [path, parse] {
                Loaded r;
                try {
                    r.value = parse(path.toStdString());
                } catch (const SpecError &e) {
                    r.field = QString::fromStdString(e.field());
                    r.message = QString::fromStdString(e.what());
                } catch (const std::exception &e) {
                    r.message = path + ": " + QString::fromStdString(e.what());
                }
                return r;
            },
            [this, apply, field](const Loaded &r) {
                if (r.value) {
                    apply(*r.value);
                    showError({}, {});
                } else {
                    showError(field.isEmpty() ? r.field : field, r.message);
                }
                emit loadFinished(r.value.has_value());
            });
    }

private:
    QLabel *m_error;
    Background m_loads{this};
};

} // namespace trainscope
