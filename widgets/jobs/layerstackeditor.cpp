#include "widgets/jobs/layerstackeditor.h"

#include "widgets/jobs/formfields.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace trainscope {

using namespace formfields;

namespace {

constexpr int kPathRole = Qt::UserRole;

QVariant pathVariant(const std::vector<int> &path) {
    QVariantList list;
    for (int i : path)
        list << i;
    return list;
}

std::vector<int> pathOf(const QTreeWidgetItem *item) {
    std::vector<int> path;
    if (item)
        for (const QVariant &v : item->data(0, kPathRole).toList())
            path.push_back(v.toInt());
    return path;
}

// "3  lstm(64, bidirectional)", "1  repeat 2x": a layer's line in the tree.
QString itemText(int index, const LayerSpec &layer) {
    if (layer.type == "repeat") return QString("%1  repeat %2x").arg(index).arg(layer.times);
    return QString("%1  %2").arg(index).arg(QString::fromStdString(layersText({layer})));
}

const char *label(const std::string &field) {
    static const std::map<std::string, const char *> labels = {
        {"units", "Units"},
        {"activation", "Activation"},
        {"rate", "Rate"},
        {"filters", "Filters"},
        {"kernel", "Kernel"},
        {"stride", "Stride"},
        {"padding", "Padding"},
        {"size", "Window"},
        {"dim", "Dimensions"},
        {"bidirectional", "Bidirectional"},
        {"return_sequences", "Return sequences"},
        {"times", "Times"}};
    const auto it = labels.find(field);
    return it == labels.end() ? "" : it->second;
}

} // namespace

LayerStackEditor::LayerStackEditor(QWidget *parent)
    : QGroupBox("Layers", parent)
    , m_tree(named(new QTreeWidget(this), "model.layers", "the stack, first layer on top"))
    , m_type(choices(this, "layer.type", toStringList(layerTypes())))
    , m_fields(new QWidget(this))
    , m_fieldsForm(new QFormLayout(m_fields)) {
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(true);
    m_tree->setMinimumWidth(260);
    auto button = [&](const QString &text, const QString &name) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setAutoDefault(false);
        return b;
    };
    auto *add = button("Add", "layers.add");
    m_addInside = button("Add inside", "layers.addInside");
    m_remove = button("Remove", "layers.remove");
    m_up = button("Up", "layers.up");
    m_down = button("Down", "layers.down");
    connect(add, &QPushButton::clicked, this, [this] { addLayer(text(m_type)); });
    connect(m_addInside, &QPushButton::clicked, this, [this] { addInside("dense"); });
    connect(m_remove, &QPushButton::clicked, this, &LayerStackEditor::removeSelected);
    connect(m_up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveSelected(1); });
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this] { showEditors(); });
    connect(m_type, &QComboBox::activated, this, [this] { setType(text(m_type)); });

    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {add, m_addInside, m_remove, m_up, m_down})
        buttons->addWidget(b);
    buttons->addStretch(1);
    auto *editors = new QFormLayout;
    editors->addRow("Type", m_type);
    editors->addRow(m_fields);
    m_fieldsForm->setContentsMargins(0, 0, 0, 0);
    auto *panes = new QHBoxLayout;
    panes->addWidget(m_tree, 3);
    panes->addLayout(editors, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(panes);
    layout->addLayout(buttons);
    rebuild({});
}

void LayerStackEditor::setLayers(const std::vector<LayerSpec> &layers) {
    m_layers = layers;
    rebuild(m_layers.empty() ? std::vector<int>{} : std::vector<int>{0});
}

LayerSpec *LayerStackEditor::at(const std::vector<int> &path) {
    std::vector<LayerSpec> *list = &m_layers;
    LayerSpec *layer = nullptr;
    for (int i : path) {
        if (!list || i < 0 || size_t(i) >= list->size()) return nullptr;
        layer = &(*list)[size_t(i)];
        list = &layer->layers;
    }
    return layer;
}

std::vector<LayerSpec> *LayerStackEditor::listOf(const std::vector<int> &path) {
    if (path.size() <= 1) return &m_layers;
    LayerSpec *parent = at(std::vector<int>(path.begin(), path.end() - 1));
    return parent ? &parent->layers : nullptr;
}

void LayerStackEditor::fillItems(QTreeWidgetItem *parent, const std::vector<LayerSpec> &layers,
                                 std::vector<int> path) {
    for (size_t i = 0; i < layers.size(); ++i) {
        path.push_back(int(i));
        const LayerSpec &l = layers[i];
        auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
        item->setText(0, itemText(int(i), l));
        item->setData(0, kPathRole, pathVariant(path));
        fillItems(item, l.layers, path);
        path.pop_back();
    }
}

void LayerStackEditor::rebuild(const std::vector<int> &select) {
    {
        const QSignalBlocker block(m_tree);
        m_tree->clear();
        fillItems(nullptr, m_layers, {});
        m_tree->expandAll();
    }
    this->select(select);
    showEditors();
}

void LayerStackEditor::select(const std::vector<int> &path) {
    QTreeWidgetItem *item = nullptr;
    for (int i : path) {
        QTreeWidgetItem *next = item ? item->child(i) : m_tree->topLevelItem(i);
        if (!next) break;
        item = next;
    }
    m_tree->setCurrentItem(item);
}

std::vector<int> LayerStackEditor::selected() const {
    return pathOf(m_tree->currentItem());
}

void LayerStackEditor::addLayer(const std::string &type) {
    std::vector<int> path = selected();
    std::vector<LayerSpec> *list = path.empty() ? &m_layers : listOf(path);
    const int index = path.empty() ? int(m_layers.size()) : path.back() + 1;
    list->insert(list->begin() + index, defaultLayer(type));
    if (path.empty())
        path = {index};
    else
        path.back() = index;
    rebuild(path);
    emit changed();
}

void LayerStackEditor::addInside(const std::string &type) {
    std::vector<int> path = selected();
    LayerSpec *block = at(path);
    if (!block || block->type != "repeat") return;
    block->layers.push_back(defaultLayer(type));
    path.push_back(int(block->layers.size()) - 1);
    rebuild(path);
    emit changed();
}

void LayerStackEditor::removeSelected() {
    std::vector<int> path = selected();
    if (path.empty()) return;
    std::vector<LayerSpec> *list = listOf(path);
    list->erase(list->begin() + path.back());
    if (path.back() >= int(list->size())) --path.back();
    if (path.back() < 0) path.pop_back();
    rebuild(path);
    emit changed();
}

void LayerStackEditor::moveSelected(int delta) {
    std::vector<int> path = selected();
    if (path.empty()) return;
    std::vector<LayerSpec> *list = listOf(path);
    const int to = path.back() + delta;
    if (to < 0 || to >= int(list->size())) return;
    std::swap((*list)[size_t(path.back())], (*list)[size_t(to)]);
    path.back() = to;
    rebuild(path);
    emit changed();
}

void LayerStackEditor::setType(const std::string &type) {
    LayerSpec *l = at(selected());
    if (!l || l->type == type) return;
    // Like --set model.layers.N.type: the fields both types read are kept.
    LayerSpec fresh = defaultLayer(type);
    auto keeps = [&](const char *f) { return layerReads(type, f) && layerReads(l->type, f); };
    if (keeps("units")) fresh.units = l->units;
    if (keeps("activation")) fresh.activation = l->activation;
    if (keeps("filters")) fresh.filters = l->filters;
    if (keeps("kernel")) fresh.kernel = l->kernel;
    if (keeps("stride")) fresh.stride = l->stride;
    if (keeps("padding")) fresh.padding = l->padding;
    if (keeps("bidirectional")) fresh.bidirectional = l->bidirectional;
    if (keeps("return_sequences")) fresh.returnSequences = l->returnSequences;
    *l = fresh;
    rebuild(selected());
    emit changed();
}

void LayerStackEditor::showEditors() {
    while (m_fieldsForm->rowCount() > 0)
        m_fieldsForm->removeRow(0); // deletes the editors
    const std::vector<int> path = selected();
    LayerSpec *l = at(path);
    m_type->setEnabled(l);
    m_remove->setEnabled(l);
    m_up->setEnabled(l && path.back() > 0);
    m_down->setEnabled(l && size_t(path.back()) + 1 < listOf(path)->size());
    m_addInside->setEnabled(l && l->type == "repeat");
    if (!l) return;
    formfields::select(m_type, l->type);
    // Edits write straight into the layer; the tree's line follows.
    auto edited = [this, path] {
        if (QTreeWidgetItem *item = m_tree->currentItem())
            if (const LayerSpec *layer = at(path)) item->setText(0, itemText(path.back(), *layer));
        emit changed();
    };
    for (const std::string &field : layerFields(l->type)) {
        if (field == "type" || field == "layers") continue;
        const QString name = QString::fromStdString("layer." + field);
        QWidget *editor = nullptr;
        auto intEditor = [&](int LayerSpec::*member, int min, int max,
                             const QString &special = {}) {
            auto *s = intSpin(m_fields, name, min, max, special);
            s->setValue(l->*member);
            connect(s, &QSpinBox::valueChanged, this, [this, path, member, edited](int v) {
                if (LayerSpec *layer = at(path)) layer->*member = v;
                edited();
            });
            editor = s;
        };
        const bool pool = l->type == "max_pool" || l->type == "avg_pool";
        if (field == "units")
            intEditor(&LayerSpec::units, l->type == "dense" ? 0 : 1, 65536,
                      l->type == "dense" ? "classes" : "");
        if (field == "filters") intEditor(&LayerSpec::filters, 1, 65536);
        if (field == "kernel") intEditor(&LayerSpec::kernel, 1, 1024);
        if (field == "stride")
            intEditor(&LayerSpec::stride, pool ? 0 : 1, 1024, pool ? "= window" : "");
        if (field == "padding") intEditor(&LayerSpec::padding, -1, 1024, "same");
        if (field == "size") intEditor(&LayerSpec::size, 1, 1024);
        if (field == "dim") intEditor(&LayerSpec::dim, 1, 65536);
        if (field == "times") intEditor(&LayerSpec::times, 0, 1000);
        if (field == "rate") {
            auto *s = doubleSpin(m_fields, name, 0, 0.95, 3);
            s->setValue(l->rate);
            connect(s, &QDoubleSpinBox::valueChanged, this, [this, path, edited](double v) {
                if (LayerSpec *layer = at(path)) layer->rate = v;
                edited();
            });
            editor = s;
        }
        if (field == "activation") {
            auto *c = choices(m_fields, name, toStringList(activationNames()));
            formfields::select(c, l->activation);
            connect(c, &QComboBox::currentTextChanged, this,
                    [this, path, edited](const QString &t) {
                        if (LayerSpec *layer = at(path)) layer->activation = t.toStdString();
                        edited();
                    });
            editor = c;
        }
        if (field == "bidirectional" || field == "return_sequences") {
            const bool bidirectional = field == "bidirectional";
            auto *c = named(new QCheckBox(m_fields), name);
            c->setChecked(bidirectional ? l->bidirectional : l->returnSequences);
            connect(c, &QCheckBox::toggled, this, [this, path, bidirectional, edited](bool on) {
                if (LayerSpec *layer = at(path))
                    (bidirectional ? layer->bidirectional : layer->returnSequences) = on;
                edited();
            });
            editor = c;
        }
        if (editor) m_fieldsForm->addRow(label(field), editor);
    }
}

bool LayerStackEditor::showField(const QString &field) {
    if (!field.startsWith("model.layers.")) return false;
    std::vector<int> path;
    QString leaf;
    const QStringList parts = field.mid(QString("model.").size()).split('.');
    for (int i = 0; i < parts.size(); ++i) {
        bool number = false;
        const int index = parts[i].toInt(&number);
        if (parts[i] == "layers" && i + 1 < parts.size()) continue;
        if (number) {
            path.push_back(index);
        } else {
            leaf = parts[i];
            break;
        }
    }
    if (!at(path)) return false;
    select(path);
    QWidget *editor = leaf == "type" ? static_cast<QWidget *>(m_type)
                                     : m_fields->findChild<QWidget *>("layer." + leaf);
    (editor ? editor : static_cast<QWidget *>(m_tree))->setFocus();
    return true;
}

} // namespace trainscope
