// What every tab that shows a logdir's data does: read from the index, follow the run list's
// selection and colours, refresh the runs that grew, and share one tag filter.
#pragma once

#include <QColor>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QWidget>

namespace trainscope {

class LogdirIndex;

class Dashboard : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    // The index to read; it must outlive its use here (setIndex(nullptr) first).
    virtual void setIndex(const LogdirIndex *index) = 0;
    // Which runs to show, in which colours.
    virtual void setVisibleRuns(const QMap<QString, QColor> &runs) = 0;
    // These runs' data grew on disk.
    virtual void runsChanged(const QStringList &runs) = 0;
    virtual void setTagFilter(const QString &regex) = 0;

    // A tag's group: its prefix before the first '/'.
    static QString groupOf(const QString &tag);

signals:
    void tagFilterChanged(const QString &regex); // the user edited this tab's filter
};

} // namespace trainscope
