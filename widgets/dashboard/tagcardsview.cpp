#include "widgets/dashboard/tagcardsview.h"

#include "core/events/logdirindex.h"
#include "widgets/dashboard/chartsection.h"
#include "widgets/dashboard/tagcard.h"
#include "widgets/names.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScrollArea>
#include <QVBoxLayout>

namespace trainscope {

TagCardsView::TagCardsView(const QString &emptyText, QWidget *parent)
    : Dashboard(parent)
    , m_controls(new QHBoxLayout)
    , m_tagFilterEdit(new QLineEdit(this))
    , m_emptyHint(new QLabel(emptyText, this)) {
    m_tagFilterEdit->setPlaceholderText("Filter tags (regex)");
    m_tagFilterEdit->setClearButtonEnabled(true);
    m_tagFilterEdit->setMaximumWidth(320);
    connect(m_tagFilterEdit, &QLineEdit::textChanged, this, [this](const QString &regex) {
        setTagFilter(regex);
        emit tagFilterChanged(regex);
    });
    m_controls->addStretch(1);
    m_controls->addWidget(m_tagFilterEdit);

    auto *container = new QWidget;
    m_sectionsLayout = new QVBoxLayout(container);
    m_sectionsLayout->addWidget(m_emptyHint);
    m_sectionsLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(container);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_controls);
    layout->addWidget(scroll, 1);
}

void TagCardsView::setIndex(const LogdirIndex *index) {
    m_index = index;
    qDeleteAll(m_cards); // their contents point into the old index
    m_cards.clear();
    sync({});
}

void TagCardsView::setVisibleRuns(const QMap<QString, QColor> &runs) {
    m_visible = runs;
    sync({});
}

void TagCardsView::runsChanged(const QStringList &runs) {
    QSet<QString> dirty;
    for (const QString &r : runs)
        if (m_visible.contains(r)) dirty.insert(r);
    if (!dirty.isEmpty()) sync(dirty);
}

void TagCardsView::setTagFilter(const QString &regex) {
    m_tagFilter = regex;
    if (m_tagFilterEdit->text() != regex) {
        const QSignalBlocker block(m_tagFilterEdit);
        m_tagFilterEdit->setText(regex);
    }
    layoutCards();
}

QList<TagCard *> TagCardsView::cards() const {
    const QRegularExpression re(m_tagFilter, QRegularExpression::CaseInsensitiveOption);
    QList<TagCard *> out;
    for (auto it = m_cards.begin(); it != m_cards.end(); ++it)
        if (!re.isValid() || re.match(displayName(it.key().first)).hasMatch()) out << it.value();
    return out;
}

TagCard *TagCardsView::card(const QString &tag, const QString &run) const {
    return m_cards.value({tag, run});
}

void TagCardsView::sync(const QSet<QString> &dirtyRuns) {
    QMap<Key, const TagData *> wanted;
    QMap<QString, const RunData *> runs;
    if (m_index)
        for (auto it = m_visible.begin(); it != m_visible.end(); ++it)
            if (const RunData *run = m_index->run(toName(it.key()))) {
                runs[it.key()] = run;
                for (const auto &[name, tag] : run->tags)
                    if (shows(tag)) wanted[{fromName(name), it.key()}] = &tag;
            }
    for (auto it = m_cards.begin(); it != m_cards.end();) {
        if (wanted.contains(it.key())) {
            ++it;
        } else {
            delete it.value();
            it = m_cards.erase(it);
        }
    }
    for (auto it = wanted.begin(); it != wanted.end(); ++it) {
        const auto &[tag, run] = it.key();
        TagCard *&card = m_cards[it.key()];
        const bool fresh = !card;
        if (fresh) {
            card = new TagCard(tag, run, createContent(tag, run), this);
            card->hide();
        }
        const QColor color = m_visible.value(run);
        card->setColor(color);
        if (fresh || dirtyRuns.contains(run))
            updateContent(card->content(), *it.value(), *runs.value(run), color);
    }
    layoutCards();
}

void TagCardsView::layoutCards() {
    const QList<TagCard *> shown = cards();
    QMap<QString, QList<QWidget *>> byGroup;
    for (auto it = m_cards.begin(); it != m_cards.end(); ++it) {
        byGroup[groupOf(it.key().first)];
        it.value()->hide();
    }
    for (TagCard *card : shown)
        byGroup[groupOf(card->tag())] << card;
    for (auto it = m_sections.begin(); it != m_sections.end();) {
        if (byGroup.contains(it.key())) {
            ++it;
        } else {
            delete it.value();
            it = m_sections.erase(it);
        }
    }
    int position = 1; // after the empty-state hint
    for (auto it = byGroup.begin(); it != byGroup.end(); ++it, ++position) {
        ChartSection *&section = m_sections[it.key()];
        if (!section) section = new ChartSection(it.key(), this);
        m_sectionsLayout->insertWidget(position, section);
        section->setCharts(it.value(), columns());
        section->setVisible(!it.value().isEmpty());
        for (QWidget *card : it.value())
            card->show();
    }
    m_emptyHint->setVisible(m_cards.isEmpty());
}

} // namespace trainscope
