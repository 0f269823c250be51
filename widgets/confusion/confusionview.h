// The Confusion tab: per job, every epoch's confusion matrix as a heatmap, an epoch slider
// over the matrices received (following the newest), counts or row shares, and the accuracy.
#pragma once

#include "core/events/eventvalues.h"
#include "core/jobs/observer.h"

#include <QMap>
#include <QWidget>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;

namespace trainscope {

class ConfusionHeatmap;

// A confusion_matrix tensor from disk ([k, k] counts, true class by row) as job `jobId`'s
// matrix of `epoch`; the classes are named by number. Nothing when it is not square.
std::optional<ConfusionMatrix> confusionFromTensor(const TensorValue &tensor, int jobId, int epoch);

class ConfusionView : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionView(QWidget *parent = nullptr);

    // Lists a job in the selector (renames it if known); the first job becomes current.
    void addJob(int id, const QString &name);
    // Keeps `matrix` under its job and epoch (an epoch sent again is replaced). When the
    // slider was on the newest epoch it moves to this one. Malformed matrices are ignored.
    void addMatrix(const ConfusionMatrix &matrix);
    void setJob(int jobId);
    int currentJob() const { return m_job; } // -1 when no job is listed
    void clear();

    void setNormalized(bool on); // row shares instead of counts
    bool normalized() const;
    int matrixCount() const;        // of the current job
    void setMatrixIndex(int index); // 0 = the first epoch received
    int matrixIndex() const;
    const ConfusionMatrix *currentMatrix() const; // nullptr when none
    double accuracy() const;                      // of the current matrix; 0 when none
    QString epochText() const;
    QString accuracyText() const;
    ConfusionHeatmap *heatmap() const { return m_heatmap; }

private:
    void ensureJob(int jobId);
    void sync(); // slider range, matrix shown and labels, from the current job and index

    QMap<int, QMap<int, ConfusionMatrix>> m_matrices; // job -> epoch -> matrix
    int m_job = -1;

    QComboBox *m_jobCombo;
    QCheckBox *m_normalize;
    QSlider *m_slider;
    QLabel *m_epoch;
    QLabel *m_accuracy;
    ConfusionHeatmap *m_heatmap;
};

} // namespace trainscope
