// A card for one tag of one run: the tag, the run's colour and name (elided in the middle, the
// full name in a tooltip) above a view of the data.
#pragma once

#include <QColor>
#include <QFrame>

class QLabel;

namespace trainscope {

class TagCard : public QFrame {
    Q_OBJECT
public:
    TagCard(const QString &tag, const QString &run, QWidget *content, QWidget *parent = nullptr);

    QString tag() const { return m_tag; }
    QString run() const { return m_run; }
    QWidget *content() const { return m_content; }
    void setColor(const QColor &color);
    QString shownRunName() const; // as elided for the card's width

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void elideRunName();

    QString m_tag, m_run;
    QWidget *m_content;
    QLabel *m_swatch, *m_runLabel;
};

} // namespace trainscope
