// The Images tab: a card per image tag and run (every sample of a step, a step slider), with
// brightness, contrast and actual size or fit for all of them.
#pragma once

#include "widgets/dashboard/tagcardsview.h"
#include "widgets/images/imagecard.h"

class QCheckBox;
class QSlider;

namespace trainscope {

class ImagesView : public TagCardsView {
    Q_OBJECT
public:
    explicit ImagesView(QWidget *parent = nullptr);

    void setAdjust(const ImageAdjust &adjust);
    const ImageAdjust &adjust() const { return m_adjust; }
    ImageCard *imageCard(const QString &tag, const QString &run) const;

protected:
    bool shows(const TagData &tag) const override;
    QWidget *createContent(const QString &tag, const QString &run) override;
    void updateContent(QWidget *content, const TagData &tag, const RunData &run,
                       const QColor &color) override;

private:
    void adjustFromControls();

    ImageAdjust m_adjust;
    QSlider *m_brightness, *m_contrast;
    QCheckBox *m_actualSize;
};

} // namespace trainscope
