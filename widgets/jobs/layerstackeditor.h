// The layers of a "sequential" model in the job form: a tree of layers (a repeat block holds
// its own), buttons to add, nest, remove and move them, and beside it the selected layer's
// type and the fields that type reads (layerFields), named "layer.<field>".
#pragma once

#include "core/jobs/modelspec.h"

#include <QGroupBox>

class QComboBox;
class QFormLayout;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace trainscope {

class LayerStackEditor : public QGroupBox {
    Q_OBJECT
public:
    explicit LayerStackEditor(QWidget *parent = nullptr);

    void setLayers(const std::vector<LayerSpec> &layers);
    const std::vector<LayerSpec> &layers() const { return m_layers; }

    // A layer by its place, {2} or {1, 0} (the first layer inside the second's block).
    void select(const std::vector<int> &path);
    std::vector<int> selected() const;
    void addLayer(const std::string &type);  // after the selection, at its level
    void addInside(const std::string &type); // into the selected repeat block
    void removeSelected();
    void moveSelected(int delta);
    // Selects the layer of "model.layers.1.layers.0.units" and focuses its editor; false when
    // the field names no layer here.
    bool showField(const QString &field);

signals:
    void changed();

private:
    LayerSpec *at(const std::vector<int> &path);
    std::vector<LayerSpec> *listOf(const std::vector<int> &path); // the list holding it
    void rebuild(const std::vector<int> &select);
    void fillItems(QTreeWidgetItem *parent, const std::vector<LayerSpec> &layers,
                   std::vector<int> path);
    void showEditors(); // for the selected layer
    void setType(const std::string &type);

    std::vector<LayerSpec> m_layers;
    QTreeWidget *m_tree;
    QComboBox *m_type;
    QWidget *m_fields;
    QFormLayout *m_fieldsForm;
    QPushButton *m_addInside, *m_remove, *m_up, *m_down;
};

} // namespace trainscope
