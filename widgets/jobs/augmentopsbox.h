// One list of image operations in the job form (preprocess or augment): a checkbox and an
// amount for each op (resize: a size), as AugmentOp describes them.
#pragma once

#include "core/jobs/jobspec.h"

#include <QGroupBox>
#include <QVector>

class QCheckBox;
class QDoubleSpinBox;
class QLineEdit;

namespace trainscope {

class AugmentOpsBox : public QGroupBox {
    Q_OBJECT
public:
    // `field` is the spec's field ("pipeline.augment"): the box's objectName, and the prefix of
    // its children's ("pipeline.augment.crop", "pipeline.augment.crop.amount").
    AugmentOpsBox(const QString &title, const QString &field, QWidget *parent = nullptr);

    // Each op appears at most once (the last of duplicates wins); the spec's order is kept.
    void setOps(const std::vector<AugmentOp> &ops);
    std::vector<AugmentOp> ops() const;

    static const QStringList &opNames(); // flip, crop, noise, blur, central_crop, ...

private:
    struct Row {
        QCheckBox *enabled;
        QDoubleSpinBox *amount;
        QLineEdit *size; // resize only
    };
    QVector<Row> m_rows; // by opNames()
    QStringList m_order; // the order the last setOps() gave
};

} // namespace trainscope
