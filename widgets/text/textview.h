// The Text tab: a card per text tag (plugin "text") and run, a step slider, the step's text
// rendered as Markdown (GitHub tables too). A 1-D or 2-D string tensor is shown as a table,
// as TensorBoard does.
#pragma once

#include "core/events/eventvalues.h"
#include "core/events/rundata.h"
#include "widgets/dashboard/tagcardsview.h"

class QLabel;
class QSlider;
class QTextBrowser;

namespace trainscope {

// The Markdown for one text summary: the string itself, or a table of a tensor's strings
// (its first kMaxTableRows rows, then how many more there are).
constexpr size_t kMaxTableRows = 1000;
QString textMarkdown(const TensorValue &value);

class TextCard : public QWidget {
    Q_OBJECT
public:
    explicit TextCard(QWidget *parent = nullptr);
    // Serialized tensors, owned by the index.
    void setTexts(const std::vector<Stamped<std::string>> *data);
    int stepCount() const { return int(m_order.size()); }
    void setStepIndex(int index);
    QString markdown() const { return m_markdown; } // of the step shown
    QTextBrowser *browser() const { return m_browser; }

private:
    void showIndex(int index);

    const std::vector<Stamped<std::string>> *m_data = nullptr;
    std::vector<size_t> m_order; // data indices by step
    bool m_followNewest = true;
    QString m_markdown;
    QSlider *m_slider;
    QLabel *m_stepLabel;
    QTextBrowser *m_browser;
};

class TextView : public TagCardsView {
    Q_OBJECT
public:
    explicit TextView(QWidget *parent = nullptr);
    TextCard *textCard(const QString &tag, const QString &run) const;

protected:
    bool shows(const TagData &tag) const override;
    QWidget *createContent(const QString &tag, const QString &run) override;
    void updateContent(QWidget *content, const TagData &tag, const RunData &run,
                       const QColor &color) override;
    int columns() const override { return 2; }
};

} // namespace trainscope
