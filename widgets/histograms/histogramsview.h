// The Histograms tab (a ridge chart per tag and run, offset or overlay) and the Distributions
// tab (the same histograms as percentile bands over steps).
#pragma once

#include "widgets/dashboard/tagcardsview.h"
#include "widgets/histograms/histogramchart.h"

class QComboBox;

namespace trainscope {

class HistogramsView : public TagCardsView {
    Q_OBJECT
public:
    explicit HistogramsView(QWidget *parent = nullptr);

    void setMode(HistogramMode mode);
    HistogramMode mode() const { return m_mode; }
    HistogramChart *chart(const QString &tag, const QString &run) const;

protected:
    bool shows(const TagData &tag) const override;
    QWidget *createContent(const QString &tag, const QString &run) override;
    void updateContent(QWidget *content, const TagData &tag, const RunData &run,
                       const QColor &color) override;

private:
    HistogramMode m_mode = HistogramMode::Offset;
    QComboBox *m_modeBox;
};

class DistributionChart;

class DistributionsView : public TagCardsView {
    Q_OBJECT
public:
    explicit DistributionsView(QWidget *parent = nullptr);
    DistributionChart *chart(const QString &tag, const QString &run) const;

protected:
    bool shows(const TagData &tag) const override;
    QWidget *createContent(const QString &tag, const QString &run) override;
    void updateContent(QWidget *content, const TagData &tag, const RunData &run,
                       const QColor &color) override;
};

} // namespace trainscope
