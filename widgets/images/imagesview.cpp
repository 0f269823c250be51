#include "widgets/images/imagesview.h"

#include "core/events/rundata.h"
#include "widgets/dashboard/tagcard.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>

namespace trainscope {

ImagesView::ImagesView(QWidget *parent)
    : TagCardsView("No images in the selected runs.", parent)
    , m_brightness(new QSlider(Qt::Horizontal, this))
    , m_contrast(new QSlider(Qt::Horizontal, this))
    , m_actualSize(new QCheckBox("Actual size", this)) {
    m_brightness->setRange(0, 200); // percent
    m_brightness->setValue(100);
    m_contrast->setRange(0, 300);
    m_contrast->setValue(100);
    for (QSlider *s : {m_brightness, m_contrast}) {
        s->setMaximumWidth(140);
        connect(s, &QSlider::valueChanged, this, &ImagesView::adjustFromControls);
    }
    connect(m_actualSize, &QCheckBox::toggled, this, &ImagesView::adjustFromControls);
    auto *reset = new QPushButton("Reset", this);
    connect(reset, &QPushButton::clicked, this, [this] { setAdjust({}); });
    int at = 0;
    controls()->insertWidget(at++, new QLabel("Brightness", this));
    controls()->insertWidget(at++, m_brightness);
    controls()->insertWidget(at++, new QLabel("Contrast", this));
    controls()->insertWidget(at++, m_contrast);
    controls()->insertWidget(at++, reset);
    controls()->insertWidget(at++, m_actualSize);
}

void ImagesView::adjustFromControls() {
    setAdjust(
        {m_brightness->value() / 100.0, m_contrast->value() / 100.0, !m_actualSize->isChecked()});
}

void ImagesView::setAdjust(const ImageAdjust &adjust) {
    m_adjust = adjust;
    {
        const QSignalBlocker b1(m_brightness), b2(m_contrast), b3(m_actualSize);
        m_brightness->setValue(int(std::lround(adjust.brightness * 100)));
        m_contrast->setValue(int(std::lround(adjust.contrast * 100)));
        m_actualSize->setChecked(!adjust.fit);
    }
    for (TagCard *card : allCards())
        static_cast<ImageCard *>(card->content())->setAdjust(adjust);
}

ImageCard *ImagesView::imageCard(const QString &tag, const QString &run) const {
    TagCard *c = card(tag, run);
    return c ? static_cast<ImageCard *>(c->content()) : nullptr;
}

bool ImagesView::shows(const TagData &tag) const {
    return tag.kind == TagKind::Image;
}

QWidget *ImagesView::createContent(const QString &, const QString &) {
    auto *card = new ImageCard;
    card->setAdjust(m_adjust);
    return card;
}

void ImagesView::updateContent(QWidget *content, const TagData &tag, const RunData &,
                               const QColor &) {
    static_cast<ImageCard *>(content)->setImages(&tag.images);
}

} // namespace trainscope
