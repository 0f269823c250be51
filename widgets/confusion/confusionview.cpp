#include "widgets/confusion/confusionview.h"

#include "widgets/confusion/confusionheatmap.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

#include <cmath>

namespace trainscope {

ConfusionView::ConfusionView(QWidget *parent)
    : QWidget(parent)
    , m_jobCombo(new QComboBox(this))
    , m_normalize(new QCheckBox("Row-normalised", this))
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_epoch(new QLabel(this))
    , m_accuracy(new QLabel(this))
    , m_heatmap(new ConfusionHeatmap(this)) {
    m_jobCombo->setObjectName("job");
    m_jobCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_jobCombo->setMinimumContentsLength(12);
    connect(m_jobCombo, &QComboBox::activated, this,
            [this](int index) { setJob(m_jobCombo->itemData(index).toInt()); });
    m_normalize->setObjectName("normalize");
    m_normalize->setToolTip("Show each true class's row as shares of that class: the diagonal "
                            "is then each class's recall");
    connect(m_normalize, &QCheckBox::toggled, m_heatmap, &ConfusionHeatmap::setNormalized);
    m_slider->setObjectName("epochSlider");
    m_slider->setRange(0, 0);
    m_slider->setPageStep(1);
    m_slider->setTickPosition(QSlider::TicksBelow);
    connect(m_slider, &QSlider::valueChanged, this, [this] { sync(); });
    m_epoch->setObjectName("epoch");
    m_epoch->setMinimumWidth(m_epoch->fontMetrics().horizontalAdvance("epoch 9999 (99/99)"));
    m_accuracy->setObjectName("accuracy");
    m_accuracy->setStyleSheet("font-weight: 600;");

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel("Job", this));
    bar->addWidget(m_jobCombo);
    bar->addSpacing(12);
    bar->addWidget(m_normalize);
    bar->addStretch(1);
    bar->addWidget(m_accuracy);
    auto *epochs = new QHBoxLayout;
    epochs->addWidget(new QLabel("Epoch", this));
    epochs->addWidget(m_slider, 1);
    epochs->addWidget(m_epoch);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(epochs);
    layout->addWidget(m_heatmap, 1);
    sync();
}

void ConfusionView::ensureJob(int jobId) {
    if (m_matrices.contains(jobId)) return;
    m_matrices.insert(jobId, {});
    m_jobCombo->addItem(QString("job %1").arg(jobId), jobId);
    if (m_job < 0) setJob(jobId);
}

std::optional<ConfusionMatrix> confusionFromTensor(const TensorValue &t, int jobId, int epoch) {
    if (t.shape.size() != 2 || t.shape[0] != t.shape[1] || t.shape[0] <= 0 || t.shape[0] > 4096 ||
        t.values.size() != size_t(t.shape[0] * t.shape[1]))
        return std::nullopt;
    ConfusionMatrix m;
    m.jobId = jobId;
    m.epoch = epoch;
    for (int64_t c = 0; c < t.shape[0]; ++c)
        m.classNames.push_back(std::to_string(c));
    for (double v : t.values)
        m.counts.push_back(std::isfinite(v) && v >= 0 ? int64_t(v) : 0);
    return m;
}

void ConfusionView::addJob(int id, const QString &name) {
    ensureJob(id);
    m_jobCombo->setItemText(m_jobCombo->findData(id), name);
}

void ConfusionView::addMatrix(const ConfusionMatrix &matrix) {
    if (!isWellFormed(matrix)) return;
    ensureJob(matrix.jobId);
    const bool followNewest = matrix.jobId == m_job && m_slider->value() >= matrixCount() - 1;
    m_matrices[matrix.jobId].insert(matrix.epoch, matrix);
    if (matrix.jobId != m_job) return;
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, std::max(0, matrixCount() - 1));
    if (followNewest)
        m_slider->setValue(
            int(std::distance(m_matrices[m_job].begin(), m_matrices[m_job].find(matrix.epoch))));
    sync();
}

void ConfusionView::setJob(int jobId) {
    if (!m_matrices.contains(jobId)) return;
    m_job = jobId;
    m_jobCombo->setCurrentIndex(m_jobCombo->findData(jobId));
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, std::max(0, matrixCount() - 1));
    m_slider->setValue(m_slider->maximum()); // the newest epoch
    sync();
}

void ConfusionView::clear() {
    m_matrices.clear();
    m_job = -1;
    m_jobCombo->clear();
    sync();
}

void ConfusionView::setNormalized(bool on) {
    m_normalize->setChecked(on);
}

bool ConfusionView::normalized() const {
    return m_heatmap->normalized();
}

int ConfusionView::matrixCount() const {
    return m_job < 0 ? 0 : int(m_matrices.value(m_job).size());
}

void ConfusionView::setMatrixIndex(int index) {
    m_slider->setValue(index);
}

int ConfusionView::matrixIndex() const {
    return m_slider->value();
}

const ConfusionMatrix *ConfusionView::currentMatrix() const {
    auto job = m_matrices.constFind(m_job);
    if (job == m_matrices.constEnd() || job->isEmpty()) return nullptr;
    const int index = std::clamp(m_slider->value(), 0, int(job->size()) - 1);
    return &*std::next(job->constBegin(), index);
}

double ConfusionView::accuracy() const {
    const ConfusionMatrix *m = currentMatrix();
    return m ? diagonalAccuracy(*m) : 0;
}

QString ConfusionView::epochText() const {
    return m_epoch->text();
}

QString ConfusionView::accuracyText() const {
    return m_accuracy->text();
}

void ConfusionView::sync() {
    m_slider->setRange(0, std::max(0, matrixCount() - 1));
    m_slider->setEnabled(matrixCount() > 1);
    const ConfusionMatrix *m = currentMatrix();
    m_heatmap->setMatrix(m);
    if (!m) {
        m_epoch->setText("no epochs yet");
        m_accuracy->clear();
        return;
    }
    m_epoch->setText(
        QString("epoch %1 (%2/%3)").arg(m->epoch).arg(m_slider->value() + 1).arg(matrixCount()));
    int64_t total = 0, diagonal = 0;
    for (int i = 0; i < m->classes(); ++i)
        for (int j = 0; j < m->classes(); ++j) {
            total += m->at(i, j);
            if (i == j) diagonal += m->at(i, j);
        }
    m_accuracy->setText(QString("accuracy %1% (%2 of %3)")
                            .arg(100 * diagonalAccuracy(*m), 0, 'f', 1)
                            .arg(diagonal)
                            .arg(total));
}

} // namespace trainscope
