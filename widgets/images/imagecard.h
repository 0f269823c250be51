// One image tag of one run: a slider over its steps (following the newest until moved) and
// every sample of the step side by side, decoded off the GUI thread and cached, shown at their
// own size or fitted to the card, with the view's brightness and contrast.
#pragma once

#include "core/events/rundata.h"
#include "widgets/background.h"

#include <QCache>
#include <QImage>
#include <QList>
#include <QWidget>
#include <map>
#include <vector>

class QHBoxLayout;
class QLabel;
class QSlider;

namespace trainscope {

struct ImageAdjust {
    double brightness = 1; // 0..2, multiplies each channel
    double contrast = 1;   // 0..3, spreads each channel around mid-grey
    bool fit = true;       // scale to the card's width; false: actual size
    bool operator==(const ImageAdjust &o) const {
        return brightness == o.brightness && contrast == o.contrast && fit == o.fit;
    }
};

// Brightness and contrast through a lookup table: cheap for any image size.
QImage adjustImage(const QImage &image, const ImageAdjust &adjust);

class ImageCard : public QWidget {
    Q_OBJECT
public:
    explicit ImageCard(QWidget *parent = nullptr);

    // `data` is owned by the index and outlives the card; call again when it grew.
    void setImages(const std::vector<Stamped<ImageValue>> *data);
    void setAdjust(const ImageAdjust &adjust);

    int stepCount() const { return int(m_steps.size()); }
    int64_t currentStep() const;
    void setStepIndex(int index);
    int stepIndex() const;
    // What is on screen: the step whose images are shown (-1: none yet) and their sizes.
    int64_t shownStep() const { return m_shownStep; }
    QList<QSize> shownSizes() const;
    QString stepText() const;

signals:
    void stepShown(qint64 step); // the images of a step are on screen

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    using Decoded = QList<QImage>;
    void request(int index);
    void show(int64_t step, const Decoded &images);
    void decodeAhead(int index);

    const std::vector<Stamped<ImageValue>> *m_data = nullptr;
    std::vector<int64_t> m_steps;                    // sorted
    std::map<int64_t, std::vector<size_t>> m_byStep; // data indices, by sample
    QCache<qint64, Decoded> m_decoded{96};           // by step
    ImageAdjust m_adjust;
    int64_t m_shownStep = -1;
    bool m_followNewest = true;
    Background m_decode{this};
    Background m_ahead{this};

    QSlider *m_slider;
    QLabel *m_stepLabel;
    QHBoxLayout *m_samples;
    QList<QLabel *> m_sampleLabels;
};

} // namespace trainscope
