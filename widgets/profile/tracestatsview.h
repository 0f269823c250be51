// The Profile tab's "Operators & kernels" section: every operator and every GPU kernel of a
// trace with calls, total, mean, min, max and share (kernels with their launch configuration),
// each table sortable, filterable and exportable to CSV.
#pragma once

#include "core/profile/tracefile.h"

#include <QWidget>
#include <memory>

class QLabel;

namespace trainscope {

class KernelStatsModel;
class OpStatsModel;
class StatsTable;

class TraceStatsView : public QWidget {
    Q_OBJECT
public:
    explicit TraceStatsView(QWidget *parent = nullptr);

    void setTrace(std::shared_ptr<const TraceFile> trace); // nullptr clears
    void clear() { setTrace(nullptr); }

    StatsTable *operatorTable() const { return m_opTable; }
    StatsTable *kernelTable() const { return m_kernelTable; }
    OpStatsModel *operatorModel() const { return m_ops; }
    KernelStatsModel *kernelModel() const { return m_kernels; }
    QString kernelNote() const; // why the kernel table is empty, when it is

private:
    OpStatsModel *m_ops;
    KernelStatsModel *m_kernels;
    StatsTable *m_opTable;
    StatsTable *m_kernelTable;
    QLabel *m_kernelNote;
};

} // namespace trainscope
