#include "widgets/profile/tracestatsview.h"

#include "core/profile/kernelstats.h"
#include "core/profile/stepanalysis.h"
#include "widgets/profile/kernelstatsmodel.h"
#include "widgets/profile/opstatsmodel.h"
#include "widgets/profile/sectionparts.h"
#include "widgets/profile/statstable.h"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

namespace trainscope {

TraceStatsView::TraceStatsView(QWidget *parent)
    : QWidget(parent)
    , m_ops(new OpStatsModel(this))
    , m_kernels(new KernelStatsModel(this))
    , m_opTable(new StatsTable(this))
    , m_kernelTable(new StatsTable(this))
    , m_kernelNote(new QLabel(this)) {
    m_opTable->setObjectName("operatorStats");
    m_opTable->setSourceModel(m_ops, OpStatsModel::NameColumn, OpStatsModel::SortRole);
    m_opTable->sortByColumn(OpStatsModel::SelfColumn, Qt::DescendingOrder);
    m_opTable->setPlaceholderText("Filter operators");
    m_opTable->setExportFileName("operators.csv");
    m_kernelTable->setObjectName("kernelStats");
    m_kernelTable->setSourceModel(m_kernels, KernelStatsModel::NameColumn,
                                  KernelStatsModel::SortRole);
    m_kernelTable->sortByColumn(KernelStatsModel::TotalColumn, Qt::DescendingOrder);
    m_kernelTable->setPlaceholderText("Filter kernels");
    m_kernelTable->setExportFileName("kernels.csv");
    m_kernelNote->setObjectName("kernelNote");
    m_kernelNote->setWordWrap(true);
    m_kernelNote->setStyleSheet("color: #616161;");

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(titledBox("Operators (host)", m_opTable));
    split->addWidget(titledBox("GPU kernels", m_kernelTable, nullptr, m_kernelNote));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
    setTrace(nullptr);
}

void TraceStatsView::setTrace(std::shared_ptr<const TraceFile> trace) {
    m_ops->setData(trace ? operatorStats(trace->events) : std::vector<OpStats>{});
    const std::vector<KernelStats> kernels =
        trace ? kernelStats(trace->events) : std::vector<KernelStats>{};
    m_kernels->setData(kernels);
    QString note;
    if (!trace)
        note = "No trace yet.";
    else if (kernels.empty())
        note = "No GPU kernels in this trace" +
               (trace->deviceInfo.note.empty()
                    ? QString(".")
                    : ": " + QString::fromStdString(trace->deviceInfo.note) + ".");
    m_kernelNote->setText(note);
    m_kernelNote->setVisible(!note.isEmpty());
}

QString TraceStatsView::kernelNote() const {
    return m_kernelNote->isHidden() ? QString() : m_kernelNote->text();
}

} // namespace trainscope
