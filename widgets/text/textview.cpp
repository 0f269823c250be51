#include "widgets/text/textview.h"

#include "core/events/eventdecoder.h"
#include "widgets/dashboard/tagcard.h"
#include "widgets/names.h"

#include <QLabel>
#include <QSlider>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>
#include <numeric>

namespace trainscope {
namespace {

QString cell(const std::string &s) {
    // A table cell is one line; a '|' would end it.
    return fromName(s).replace('\n', "<br>").replace('|', "\\|");
}

} // namespace

QString textMarkdown(const TensorValue &t) {
    if (t.strings.empty()) return {};
    if (t.shape.empty() || t.strings.size() == 1) return fromName(t.strings.front());
    const size_t columns = t.shape.size() >= 2 && t.shape[1] > 0 ? size_t(t.shape[1]) : 1;
    if (columns == 0 || t.strings.size() % columns != 0) return fromName(t.strings.front());
    // TensorBoard draws tensors as headerless tables; Markdown needs a header row, so the
    // header is the columns' numbers.
    QString md = "|";
    for (size_t c = 0; c < columns; ++c)
        md += QString(" %1 |").arg(c);
    md += "\n|" + QString(" --- |").repeated(int(columns)) + "\n";
    const size_t rows = t.strings.size() / columns, shown = std::min(rows, kMaxTableRows);
    for (size_t r = 0; r < shown; ++r) {
        md += "|";
        for (size_t c = 0; c < columns; ++c)
            md += " " + cell(t.strings[r * columns + c]) + " |";
        md += "\n";
    }
    if (shown < rows) md += QString("\n… %1 more rows not shown\n").arg(rows - shown);
    return md;
}

TextCard::TextCard(QWidget *parent)
    : QWidget(parent)
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_stepLabel(new QLabel(this))
    , m_browser(new QTextBrowser(this)) {
    m_browser->setOpenExternalLinks(true);
    m_browser->setMinimumHeight(120);
    connect(m_slider, &QSlider::valueChanged, this, [this](int index) {
        m_followNewest = index == m_slider->maximum();
        showIndex(index);
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stepLabel);
    layout->addWidget(m_slider);
    layout->addWidget(m_browser, 1);
}

void TextCard::setTexts(const std::vector<Stamped<std::string>> *data) {
    m_data = data;
    m_order.resize(data ? data->size() : 0);
    std::iota(m_order.begin(), m_order.end(), size_t(0));
    std::stable_sort(m_order.begin(), m_order.end(),
                     [&](size_t a, size_t b) { return (*data)[a].step < (*data)[b].step; });
    const QSignalBlocker block(m_slider);
    const int last = std::max(0, int(m_order.size()) - 1);
    const int current = m_followNewest ? last : std::min(m_slider->value(), last);
    m_slider->setRange(0, last);
    m_slider->setValue(current);
    m_slider->setVisible(m_order.size() > 1);
    showIndex(current);
}

void TextCard::setStepIndex(int index) {
    m_slider->setValue(index);
}

void TextCard::showIndex(int index) {
    if (index < 0 || index >= int(m_order.size())) {
        m_stepLabel->setText("No text");
        m_markdown.clear();
        m_browser->clear();
        return;
    }
    const auto &entry = (*m_data)[m_order[size_t(index)]];
    m_stepLabel->setText(
        QString("step %1  (%2 of %3)").arg(entry.step).arg(index + 1).arg(m_order.size()));
    const std::optional<TensorValue> tensor = decodeTensor(entry.value);
    m_markdown = tensor ? textMarkdown(*tensor) : QString("*(not a readable tensor)*");
    m_browser->setMarkdown(m_markdown);
}

TextView::TextView(QWidget *parent)
    : TagCardsView("No text summaries in the selected runs.", parent) {}

TextCard *TextView::textCard(const QString &tag, const QString &run) const {
    TagCard *c = card(tag, run);
    return c ? static_cast<TextCard *>(c->content()) : nullptr;
}

bool TextView::shows(const TagData &tag) const {
    return tag.kind == TagKind::Tensor && tag.plugin == "text";
}

QWidget *TextView::createContent(const QString &, const QString &) {
    return new TextCard;
}

void TextView::updateContent(QWidget *content, const TagData &tag, const RunData &,
                             const QColor &) {
    static_cast<TextCard *>(content)->setTexts(&tag.tensors);
}

} // namespace trainscope
