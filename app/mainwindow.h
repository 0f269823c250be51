// The main window: the run list on the left (checkboxes, colours, regex filter), the
// dashboards in tabs, live updates from the logdir, and problems in the status bar.
#pragma once

#include <QColor>
#include <QMainWindow>
#include <QMap>
#include <QStringList>

class QLabel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QTabWidget;
class QToolButton;

namespace trainscope {

class LogdirWatcher;
class RunListModel;
class ScalarsView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void openLogdir(const QString &logdir);
    bool selectTab(const QString &name); // by title, case-insensitive
    void setRunFilter(const QString &regex);

    bool isLoaded() const; // the logdir's first read has been merged
    RunListModel *runModel() const { return m_runModel; }
    ScalarsView *scalarsView() const { return m_scalars; }
    QStringList problems() const { return m_problems; }
    QMap<QString, QColor> visibleRuns() const;

signals:
    void loaded();

private:
    void onRunsChanged(const QStringList &runs);
    void onProblems(const QStringList &messages);
    void updateVisibleRuns();
    void updateStatus();
    void chooseLogdir();
    void showProblems();

    LogdirWatcher *m_watcher = nullptr;
    RunListModel *m_runModel;
    QSortFilterProxyModel *m_runProxy;
    QLineEdit *m_runFilter;
    QListView *m_runList;
    QTabWidget *m_tabs;
    ScalarsView *m_scalars;
    QLabel *m_status;
    QToolButton *m_problemsButton;
    QStringList m_problems;
};

} // namespace trainscope
