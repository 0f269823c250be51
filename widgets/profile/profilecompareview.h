// The Profile tab's Compare section: a baseline and a candidate (two jobs, two profile windows
// of a run, imported traces) side by side — the mean step's breakdown as stacked bars with the
// change per category, both verdicts, the pipeline's stages, operators and kernels joined by
// name, memory peaks, and the two timelines stacked and aligned at a step the user picks.
#pragma once

#include "core/profile/profilediff.h"
#include "core/profile/tracefile.h"
#include "widgets/background.h"

#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

class QAbstractItemModel;
class QComboBox;
class QLabel;
class QSpinBox;
class QTabWidget;

namespace trainscope {

class BreakdownBars;
class CategoryDiffModel;
class MemoryDiffModel;
class NameDiffModel;
class StageDiffModel;
class StatsTable;
class TraceView;

class ProfileCompareView : public QWidget {
    Q_OBJECT
public:
    // `choices`: the Profile tab's list of jobs and saved profiles (an id in Qt::UserRole),
    // shared so both selectors list what the Job selector lists.
    explicit ProfileCompareView(QAbstractItemModel *choices, QWidget *parent = nullptr);

    // Selects the two sides (by id) and asks for their profiles (sidesChanged).
    void setSides(int baseline, int candidate);
    void clear(); // nothing picked, nothing shown (the Profile tab was cleared)
    int baseline() const;
    int candidate() const;
    // A side's profile, answering sidesChanged (and again when it grows); ignored for ids no
    // longer selected. The diff is computed off the GUI thread once both sides are here.
    void setProfile(int id, const ProfileSummary &summary, std::shared_ptr<const TraceFile> trace);
    // Why a side has no profile yet ("reading …"), or never will (`final`: "cannot open …").
    void setWaiting(int id, const QString &why, bool final = false);
    // Two sides are picked and their diff is still to come (reading or computing).
    bool busy() const;

    // Shows the k-th profiled step (0-based) of each side at the left of its timeline, both at
    // one time scale; panning or zooming one then moves the other alike.
    void alignAtStep(int step);

    const std::optional<ProfileDiff> &diff() const { return m_diff; }
    QString headlineText() const; // mean step and verdicts, as shown
    BreakdownBars *bars() const { return m_bars; }
    CategoryDiffModel *categoryModel() const { return m_categories; }
    StageDiffModel *stageModel() const { return m_stages; }
    NameDiffModel *operatorModel() const { return m_operators; }
    NameDiffModel *kernelModel() const { return m_kernels; }
    MemoryDiffModel *memoryModel() const { return m_memory; }
    StatsTable *operatorTable() const { return m_operatorTable; }
    TraceView *timeline(int side) const { return m_timelines[side]; }
    QTabWidget *parts() const { return m_parts; }
    bool selectPart(const QString &title); // "Summary", "Operators", "Kernels", "Timelines"

signals:
    void sidesChanged(int baseline, int candidate);
    void diffShown(); // a new diff is on screen (tests wait for it)

private:
    struct Side {
        int id = -1;
        std::optional<ProfileSummary> summary;
        std::shared_ptr<const TraceFile> trace;
        std::vector<int64_t> stepStartsNs, stepEndsNs; // the trace's steps, in time order
    };
    struct Computed;
    void selectionChanged();
    void compute();
    void show(const Computed &computed);
    void clearShown(const QString &why);
    void followRange(int from, double t0, double t1);
    QString labelOf(int id) const;

    QAbstractItemModel *m_choices;
    Side m_sides[2];
    std::optional<ProfileDiff> m_diff;
    Background m_worker{this};
    double m_alignOffsetNs = 0; // candidate time minus baseline time at the aligned step
    bool m_aligned = false, m_following = false;
    bool m_stuck = false; // a side cannot be read: no diff will come
    int m_alignStep = 0;

    QComboBox *m_pick[2];
    QLabel *m_headline;
    QTabWidget *m_parts;
    BreakdownBars *m_bars;
    CategoryDiffModel *m_categories;
    StageDiffModel *m_stages;
    MemoryDiffModel *m_memory;
    NameDiffModel *m_operators, *m_kernels;
    StatsTable *m_operatorTable, *m_kernelTable;
    QSpinBox *m_stepPick;
    TraceView *m_timelines[2];
};

} // namespace trainscope
