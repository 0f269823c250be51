#include "widgets/dashboard/tagcard.h"

#include "widgets/names.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace trainscope {

TagCard::TagCard(const QString &tag, const QString &run, QWidget *content, QWidget *parent)
    : QFrame(parent)
    , m_tag(tag)
    , m_run(run)
    , m_content(content)
    , m_swatch(new QLabel(this))
    , m_runLabel(new QLabel(this)) {
    setFrameShape(QFrame::StyledPanel);
    auto *title = new QLabel(displayName(tag), this);
    title->setStyleSheet("font-weight: 600;");
    title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_swatch->setFixedSize(10, 10);
    m_runLabel->setToolTip(displayName(run));
    m_runLabel->setMinimumWidth(40);
    m_runLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *runRow = new QHBoxLayout;
    runRow->setSpacing(4);
    runRow->addWidget(m_swatch);
    runRow->addWidget(m_runLabel, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(2);
    layout->addWidget(title);
    layout->addLayout(runRow);
    layout->addWidget(content, 1);
    elideRunName();
}

void TagCard::setColor(const QColor &color) {
    m_swatch->setStyleSheet(QString("background: %1; border-radius: 5px;").arg(color.name()));
}

QString TagCard::shownRunName() const {
    return m_runLabel->text();
}

void TagCard::resizeEvent(QResizeEvent *event) {
    QFrame::resizeEvent(event);
    elideRunName();
}

void TagCard::elideRunName() {
    // The ends of a run name tell runs apart (a date, a trial number): keep both.
    const int width = std::max(40, this->width() - 30);
    m_runLabel->setText(
        m_runLabel->fontMetrics().elidedText(displayName(m_run), Qt::ElideMiddle, width));
}

} // namespace trainscope
