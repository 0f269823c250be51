#include "widgets/images/imagecard.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <memory>

namespace trainscope {
namespace {

using Encoded = std::vector<std::string>;

QList<QImage> decodeAll(const Encoded &encoded) {
    QList<QImage> out;
    for (const std::string &bytes : encoded) {
        QImage image = QImage::fromData(reinterpret_cast<const uchar *>(bytes.data()),
                                        int(std::min<size_t>(bytes.size(), INT32_MAX)));
        out << (image.isNull() ? QImage() : image.convertToFormat(QImage::Format_ARGB32));
    }
    return out;
}

} // namespace

QImage adjustImage(const QImage &image, const ImageAdjust &a) {
    if (image.isNull() || (a.brightness == 1 && a.contrast == 1)) return image;
    uchar lut[256];
    for (int v = 0; v < 256; ++v) {
        const double x = ((v / 255.0) * a.brightness - 0.5) * a.contrast + 0.5;
        lut[v] = uchar(std::clamp(int(std::lround(x * 255)), 0, 255));
    }
    QImage out = image.convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < out.height(); ++y) {
        auto *row = reinterpret_cast<QRgb *>(out.scanLine(y));
        for (int x = 0; x < out.width(); ++x)
            row[x] =
                qRgba(lut[qRed(row[x])], lut[qGreen(row[x])], lut[qBlue(row[x])], qAlpha(row[x]));
    }
    return out;
}

ImageCard::ImageCard(QWidget *parent)
    : QWidget(parent)
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_stepLabel(new QLabel(this))
    , m_samples(new QHBoxLayout) {
    m_slider->setRange(0, 0);
    connect(m_slider, &QSlider::valueChanged, this, [this](int index) {
        m_followNewest = index == m_slider->maximum();
        request(index);
    });
    m_samples->setSpacing(4);
    m_samples->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stepLabel);
    layout->addWidget(m_slider);
    layout->addLayout(m_samples, 1);
    setMinimumSize(200, 120);
}

void ImageCard::setImages(const std::vector<Stamped<ImageValue>> *data) {
    m_data = data;
    m_byStep.clear();
    if (data)
        for (size_t i = 0; i < data->size(); ++i)
            m_byStep[(*data)[i].step].push_back(i);
    for (auto &[step, indices] : m_byStep)
        std::stable_sort(indices.begin(), indices.end(), [&](size_t a, size_t b) {
            return (*data)[a].value.sample < (*data)[b].value.sample;
        });
    m_steps.clear();
    for (const auto &entry : m_byStep)
        m_steps.push_back(entry.first);
    m_decoded.clear(); // a step may have gained samples
    const QSignalBlocker block(m_slider);
    const int last = std::max(0, int(m_steps.size()) - 1);
    const int current = m_followNewest ? last : std::min(m_slider->value(), last);
    m_slider->setRange(0, last);
    m_slider->setValue(current);
    request(current);
}

void ImageCard::setAdjust(const ImageAdjust &adjust) {
    if (adjust == m_adjust) return;
    m_adjust = adjust;
    if (auto *images = m_decoded.object(m_shownStep)) show(m_shownStep, *images);
}

int64_t ImageCard::currentStep() const {
    const int i = m_slider->value();
    return i < int(m_steps.size()) ? m_steps[size_t(i)] : -1;
}

void ImageCard::setStepIndex(int index) {
    m_slider->setValue(index);
}

int ImageCard::stepIndex() const {
    return m_slider->value();
}

QString ImageCard::stepText() const {
    return m_stepLabel->text();
}

QList<QSize> ImageCard::shownSizes() const {
    QList<QSize> out;
    for (QLabel *label : m_sampleLabels)
        out << label->pixmap().size();
    return out;
}

void ImageCard::request(int index) {
    if (index < 0 || index >= int(m_steps.size())) {
        m_stepLabel->setText("No images");
        return;
    }
    const int64_t step = m_steps[size_t(index)];
    m_stepLabel->setText(
        QString("step %1  (%2 of %3)").arg(step).arg(index + 1).arg(m_steps.size()));
    if (const Decoded *images = m_decoded.object(step)) {
        show(step, *images);
        decodeAhead(index);
        return;
    }
    Encoded encoded;
    for (size_t i : m_byStep[step])
        encoded.push_back((*m_data)[i].value.encoded);
    m_decode.run([encoded = std::move(encoded)] { return decodeAll(encoded); },
                 [this, step, index](const Decoded &images) {
                     m_decoded.insert(step, new Decoded(images));
                     if (step == currentStep()) show(step, images);
                     decodeAhead(index);
                 });
}

void ImageCard::decodeAhead(int index) {
    // The neighbours of the step shown, so that the slider's next move finds them decoded.
    Encoded encoded;
    std::vector<int64_t> steps;
    for (int i : {index + 1, index - 1, index + 2, index - 2}) {
        if (i < 0 || i >= int(m_steps.size()) || m_decoded.contains(m_steps[size_t(i)])) continue;
        steps.push_back(m_steps[size_t(i)]);
    }
    if (steps.empty()) return;
    std::vector<Encoded> batches;
    for (int64_t step : steps) {
        Encoded batch;
        for (size_t i : m_byStep[step])
            batch.push_back((*m_data)[i].value.encoded);
        batches.push_back(std::move(batch));
    }
    m_ahead.run(
        [batches = std::move(batches)] {
            QList<Decoded> out;
            for (const Encoded &batch : batches)
                out << decodeAll(batch);
            return out;
        },
        [this, steps](const QList<Decoded> &decoded) {
            for (size_t i = 0; i < steps.size(); ++i)
                if (!m_decoded.contains(steps[i]))
                    m_decoded.insert(steps[i], new Decoded(decoded[int(i)]));
        });
}

void ImageCard::resizeEvent(QResizeEvent *event) {
    QWidget::resizeEvent(event);
    if (!m_adjust.fit) return;
    if (const Decoded *images = m_decoded.object(m_shownStep)) show(m_shownStep, *images);
}

void ImageCard::show(int64_t step, const Decoded &images) {
    while (m_sampleLabels.size() < images.size()) {
        auto *label = new QLabel(this);
        label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        m_samples->insertWidget(m_sampleLabels.size(), label);
        m_sampleLabels << label;
    }
    const int fitWidth =
        std::max(32, (width() - 4 * int(images.size())) / std::max<int>(1, int(images.size())));
    for (int i = 0; i < m_sampleLabels.size(); ++i) {
        QLabel *label = m_sampleLabels[i];
        if (i >= images.size()) {
            label->hide();
            continue;
        }
        if (images[i].isNull()) {
            label->setPixmap({});
            label->setText("(not an image)");
        } else {
            QImage shown = adjustImage(images[i], m_adjust);
            if (m_adjust.fit && shown.width() != fitWidth)
                // Small images (MNIST digits, confusion matrices) stay crisp: nearest pixels.
                shown = shown.scaledToWidth(fitWidth, shown.width() < fitWidth
                                                          ? Qt::FastTransformation
                                                          : Qt::SmoothTransformation);
            label->setPixmap(QPixmap::fromImage(shown));
            label->setToolTip(
                QString("sample %1: %2×%3").arg(i).arg(images[i].width()).arg(images[i].height()));
        }
        label->show();
    }
    m_shownStep = step;
    emit stepShown(step);
}

} // namespace trainscope
