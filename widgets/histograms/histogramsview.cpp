#include "widgets/histograms/histogramsview.h"

#include "core/events/rundata.h"
#include "widgets/dashboard/tagcard.h"
#include "widgets/histograms/distributionchart.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>

namespace trainscope {

HistogramsView::HistogramsView(QWidget *parent)
    : TagCardsView("No histograms in the selected runs.", parent)
    , m_modeBox(new QComboBox(this)) {
    m_modeBox->addItems({"Offset", "Overlay"});
    m_modeBox->setToolTip("Offset: a ridge per step, the newest in front. Overlay: every step on "
                          "one baseline.");
    connect(m_modeBox, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int i) { setMode(HistogramMode(i)); });
    controls()->insertWidget(0, new QLabel("Histogram mode", this));
    controls()->insertWidget(1, m_modeBox);
}

void HistogramsView::setMode(HistogramMode mode) {
    m_mode = mode;
    if (m_modeBox->currentIndex() != int(mode)) m_modeBox->setCurrentIndex(int(mode));
    for (TagCard *card : allCards())
        static_cast<HistogramChart *>(card->content())->setMode(mode);
}

HistogramChart *HistogramsView::chart(const QString &tag, const QString &run) const {
    TagCard *c = card(tag, run);
    return c ? static_cast<HistogramChart *>(c->content()) : nullptr;
}

bool HistogramsView::shows(const TagData &tag) const {
    return tag.kind == TagKind::Histogram;
}

QWidget *HistogramsView::createContent(const QString &, const QString &) {
    auto *chart = new HistogramChart;
    chart->setMode(m_mode);
    return chart;
}

void HistogramsView::updateContent(QWidget *content, const TagData &tag, const RunData &,
                                   const QColor &color) {
    auto *chart = static_cast<HistogramChart *>(content);
    chart->setHistograms(&tag.histograms, color);
}

DistributionsView::DistributionsView(QWidget *parent)
    : TagCardsView("No histograms in the selected runs.", parent) {
    auto *legend = new QLabel("Bands: min–max, 6.68–93.32 %, 15.87–84.13 %, 30.85–69.15 %; "
                              "line: median",
                              this);
    legend->setStyleSheet("color: #666;");
    controls()->insertWidget(0, legend);
}

DistributionChart *DistributionsView::chart(const QString &tag, const QString &run) const {
    TagCard *c = card(tag, run);
    return c ? static_cast<DistributionChart *>(c->content()) : nullptr;
}

bool DistributionsView::shows(const TagData &tag) const {
    return tag.kind == TagKind::Histogram;
}

QWidget *DistributionsView::createContent(const QString &, const QString &) {
    return new DistributionChart;
}

void DistributionsView::updateContent(QWidget *content, const TagData &tag, const RunData &,
                                      const QColor &color) {
    static_cast<DistributionChart *>(content)->setHistograms(&tag.histograms, color);
}

} // namespace trainscope
