// The frame of the Histograms, Distributions, Images and Text tabs: one card per tag and run,
// for the tags of one kind in the visible runs, grouped by the tag's prefix in collapsible
// sections, with the tab's settings and the tag filter above them. Subclasses say which tags
// they show and make and refresh the cards' contents.
#pragma once

#include "widgets/dashboard/dashboard.h"

#include <QPair>
#include <QSet>

class QHBoxLayout;
class QLabel;
class QLineEdit;
class QVBoxLayout;

namespace trainscope {

class ChartSection;
class TagCard;
struct RunData;
struct TagData;

class TagCardsView : public Dashboard {
    Q_OBJECT
public:
    void setIndex(const LogdirIndex *index) override;
    void setVisibleRuns(const QMap<QString, QColor> &runs) override;
    void runsChanged(const QStringList &runs) override;
    void setTagFilter(const QString &regex) override;

    // The cards the filter lets through, sorted by tag then run.
    QList<TagCard *> cards() const;
    TagCard *card(const QString &tag, const QString &run) const;
    QList<TagCard *> allCards() const { return m_cards.values(); } // filtered out or not

protected:
    TagCardsView(const QString &emptyText, QWidget *parent);

    // Where subclasses put their settings (left of the tag filter).
    QHBoxLayout *controls() const { return m_controls; }
    const LogdirIndex *index() const { return m_index; }

    virtual bool shows(const TagData &tag) const = 0;
    virtual QWidget *createContent(const QString &tag, const QString &run) = 0;
    // The card's data (owned by the index) is new or grew.
    virtual void updateContent(QWidget *content, const TagData &tag, const RunData &run,
                               const QColor &color) = 0;
    virtual int columns() const { return 3; }

private:
    using Key = QPair<QString, QString>; // tag, run
    void sync(const QSet<QString> &dirtyRuns);
    void layoutCards();

    const LogdirIndex *m_index = nullptr;
    QMap<QString, QColor> m_visible;
    QMap<Key, TagCard *> m_cards;
    QMap<QString, ChartSection *> m_sections; // by group
    QString m_tagFilter;

    QHBoxLayout *m_controls;
    QLineEdit *m_tagFilterEdit;
    QVBoxLayout *m_sectionsLayout;
    QLabel *m_emptyHint;
};

} // namespace trainscope
