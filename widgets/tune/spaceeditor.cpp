#include "widgets/tune/spaceeditor.h"

#include "core/jobs/jobspec.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QVBoxLayout>

namespace trainscope {

namespace {

template <typename Enum> QStringList wordsOf(const std::vector<EnumWord<Enum>> &words) {
    QStringList out;
    for (const EnumWord<Enum> &w : words)
        out << w.word;
    return out;
}
const QStringList kOrders = {"unordered", "ordered"};
// Spec paths worth tuning, offered in the name column (any other path may be typed).
const QStringList kCommonPaths = {
    "optimizer.learning_rate", "model.hidden",           "model.dropout",          "optimizer.type",
    "training.batch_size",     "optimizer.weight_decay", "optimizer.momentum",     "model.type",
    "model.embedding_dim",     "training.epochs",        "pipeline.shuffle_buffer"};

Param numberParam(const std::string &name, ParamKind kind, double min, double max, double step,
                  Scale scale = Scale::Linear) {
    Param p;
    p.name = name;
    p.kind = kind;
    p.min = min;
    p.max = max;
    p.step = step;
    p.scale = scale;
    return p;
}

Param choiceParam(const std::string &name, std::vector<ParamValue> choices, bool ordered) {
    Param p;
    p.name = name;
    p.kind = ParamKind::Choice;
    p.choices = std::move(choices);
    p.ordered = ordered;
    return p;
}

// A sensible range for a common spec path (a linear 0..1 float for any other).
Param presetParam(const QString &name) {
    const std::string n = name.toStdString();
    if (name == "optimizer.learning_rate")
        return numberParam(n, ParamKind::Float, 1e-4, 1e-2, 0, Scale::Log);
    if (name == "model.hidden") return numberParam(n, ParamKind::Int, 64, 512, 64);
    if (name == "model.dropout") return numberParam(n, ParamKind::Float, 0, 0.5, 0.1);
    if (name == "optimizer.type")
        return choiceParam(n, {std::string("adam"), std::string("sgd"), std::string("adamw")},
                           false);
    if (name == "training.batch_size")
        return choiceParam(n, {int64_t(32), int64_t(64), int64_t(128), int64_t(256)}, true);
    if (name == "optimizer.weight_decay")
        return numberParam(n, ParamKind::Float, 1e-6, 1e-2, 0, Scale::Log);
    if (name == "optimizer.momentum") return numberParam(n, ParamKind::Float, 0.5, 0.99, 0);
    if (name == "model.type")
        return choiceParam(n, {std::string("mlp"), std::string("cnn")}, false);
    if (name == "model.embedding_dim")
        return numberParam(n, ParamKind::Int, 16, 256, 0, Scale::Log);
    if (name == "training.epochs") return numberParam(n, ParamKind::Int, 1, 20, 1);
    if (name == "pipeline.shuffle_buffer") return numberParam(n, ParamKind::Int, 0, 60000, 1000);
    if (name == "training.label_smoothing") return numberParam(n, ParamKind::Float, 0, 0.2, 0.05);
    if (name == "optimizer.clip_norm")
        return numberParam(n, ParamKind::Float, 0.1, 10, 0, Scale::Log);
    // A layer's fields ("model.layers.2.units"), by the field.
    if (name.startsWith("model.layers.")) {
        const QString leaf = name.section('.', -1);
        if (leaf == "type")
            return choiceParam(n, {std::string("conv1d"), std::string("lstm"), std::string("gru")},
                               false);
        if (leaf == "units" || leaf == "filters" || leaf == "dim")
            return numberParam(n, ParamKind::Int, 16, 256, 16);
        if (leaf == "kernel") return choiceParam(n, {int64_t(3), int64_t(5), int64_t(7)}, true);
        if (leaf == "rate") return numberParam(n, ParamKind::Float, 0, 0.5, 0.1);
        if (leaf == "size") return choiceParam(n, {int64_t(2), int64_t(3)}, true);
        if (leaf == "times") return numberParam(n, ParamKind::Int, 0, 3, 1);
        if (leaf == "activation")
            return choiceParam(n, {std::string("relu"), std::string("tanh"), std::string("gelu")},
                               false);
        if (leaf == "bidirectional") {
            Param p;
            p.name = n;
            p.kind = ParamKind::Boolean;
            return p;
        }
    }
    return numberParam(n, ParamKind::Float, 0, 1, 0);
}

ParamValue parseValue(QString text) {
    text = text.trimmed();
    if (text.size() >= 2 && text.startsWith('"') && text.endsWith('"'))
        return text.mid(1, text.size() - 2).toStdString(); // quoted: a string even if "1"
    if (text == "true") return true;
    if (text == "false") return false;
    bool ok = false;
    const qlonglong i = text.toLongLong(&ok);
    if (ok) return int64_t(i);
    const double d = QLocale::c().toDouble(text, &ok);
    if (ok) return d;
    return text.toStdString();
}

// "64, 128" -> ints; "0.1, 1" -> doubles (mixed numbers become doubles, so values compare
// equal to what the core decodes); anything else -> strings, booleans.
std::vector<ParamValue> parseList(const QString &text) {
    std::vector<ParamValue> out;
    bool anyDouble = false, allNumbers = true;
    for (const QString &part : text.split(',', Qt::SkipEmptyParts)) {
        if (part.trimmed().isEmpty()) continue;
        out.push_back(parseValue(part));
        anyDouble |= std::holds_alternative<double>(out.back());
        allNumbers &= std::holds_alternative<double>(out.back()) ||
                      std::holds_alternative<int64_t>(out.back());
    }
    if (anyDouble && allNumbers)
        for (ParamValue &v : out)
            if (auto *i = std::get_if<int64_t>(&v)) v = double(*i);
    return out;
}

// Strings that would read back as numbers or booleans are quoted.
QString valueText(const ParamValue &v) {
    const QString text = QString::fromStdString(paramText(v));
    if (std::holds_alternative<std::string>(v) &&
        !std::holds_alternative<std::string>(parseValue(text)))
        return QString::fromStdString(paramJson(v));
    return text;
}

QString listText(const std::vector<ParamValue> &values) {
    QStringList parts;
    for (const ParamValue &v : values)
        parts << valueText(v);
    return parts.join(", ");
}

// A condition value typed as its parent's values are, so the core's comparison matches.
ParamValue coerce(const Param *parent, const QString &text) {
    ParamValue v = parseValue(text);
    if (!parent) return v;
    switch (parent->kind) {
    case ParamKind::Choice:
    case ParamKind::Fixed: {
        const std::vector<ParamValue> &values = parent->kind == ParamKind::Choice
                                                    ? parent->choices
                                                    : std::vector<ParamValue>{parent->fixed};
        for (const ParamValue &c : values)
            if (paramText(c) == paramText(v) || valueText(c) == text.trimmed()) return c;
        return v;
    }
    case ParamKind::Int:
        if (auto *d = std::get_if<double>(&v)) return int64_t(*d);
        return v;
    case ParamKind::Float:
        if (auto *i = std::get_if<int64_t>(&v)) return double(*i);
        return v;
    case ParamKind::Boolean:
        return v;
    }
    return v;
}

QString conditionText(const std::vector<Condition> &conditions) {
    QStringList parts;
    for (const Condition &c : conditions)
        parts << QString::fromStdString(c.parent) + " = " + listText(c.values);
    return parts.join("; ");
}

QVariant toVariant(const ParamValue &v) {
    if (auto *b = std::get_if<bool>(&v)) return *b;
    if (auto *i = std::get_if<int64_t>(&v)) return qlonglong(*i);
    if (auto *d = std::get_if<double>(&v)) return *d;
    return QString::fromStdString(std::get<std::string>(v));
}

std::optional<ParamValue> fromVariant(const QVariant &v) {
    switch (v.typeId()) {
    case QMetaType::Bool:
        return v.toBool();
    case QMetaType::LongLong:
        return int64_t(v.toLongLong());
    case QMetaType::Double:
        return v.toDouble();
    case QMetaType::QString:
        return v.toString().toStdString();
    default:
        return std::nullopt;
    }
}

QComboBox *comboAt(const QTableWidget *table, int row, int column) {
    return qobject_cast<QComboBox *>(table->cellWidget(row, column));
}

QString cellText(const QTableWidget *table, int row, int column) {
    if (QComboBox *c = comboAt(table, row, column)) return c->currentText().trimmed();
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text().trimmed() : QString();
}

ParamKind kindFromText(const QString &text) {
    for (const EnumWord<ParamKind> &w : paramKindWords())
        if (text == w.word) return w.value;
    return ParamKind::Float;
}

QString kindText(ParamKind kind) {
    return paramKindWord(kind);
}

QString number(double v) {
    return QString::number(v, 'g', 12);
}

} // namespace

SpaceEditor::SpaceEditor(QWidget *parent)
    : QGroupBox("Search space", parent)
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_paths(kCommonPaths) {
    m_table->setObjectName("space");
    m_table->setHorizontalHeaderLabels(
        {"Parameter", "Type", "Min", "Max", "Step", "Sampling", "Values", "Active when"});
    m_table->horizontalHeaderItem(ValuesColumn)
        ->setToolTip("choice: a comma list (\"quoted\" for text that looks like a number); "
                     "fixed: the value");
    m_table->horizontalHeaderItem(ConditionColumn)
        ->setToolTip("parent = value[, value…]; several joined by ';' must all hold");
    m_table->horizontalHeaderItem(StepColumn)->setToolTip("empty or 0: continuous");
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    m_table->setColumnWidth(NameColumn, 190);
    for (int c : {MinColumn, MaxColumn, StepColumn})
        m_table->setColumnWidth(c, 70);
    m_table->setColumnWidth(ValuesColumn, 140);

    auto button = [&](const QString &text, const QString &name) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setAutoDefault(false);
        return b;
    };
    auto *add = button("Add", "addParam");
    auto *remove = button("Remove", "removeParam");
    auto *up = button("Up", "moveUp");
    auto *down = button("Down", "moveDown");
    connect(add, &QPushButton::clicked, this, [this] {
        QString name = "param";
        for (const QString &path : m_paths) {
            bool used = false;
            for (int r = 0; r < m_table->rowCount(); ++r)
                used |= cellText(m_table, r, NameColumn) == path;
            if (!used) {
                name = path;
                break;
            }
        }
        const int row = addParam(presetParam(name));
        applyPreset(row, name); // adds a condition where one is usual
        m_table->selectRow(row);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0) removeRow(m_table->currentRow());
    });
    connect(up, &QPushButton::clicked, this, [this] { moveRow(m_table->currentRow(), -1); });
    connect(down, &QPushButton::clicked, this, [this] { moveRow(m_table->currentRow(), +1); });
    auto *row = new QHBoxLayout;
    for (QPushButton *b : {add, remove, up, down})
        row->addWidget(b);
    row->addStretch(1);
    row->addWidget(new QLabel("A parameter may depend on an earlier one (\"Active when\").", this));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addLayout(row);
}

int SpaceEditor::rowOfWidget(const QWidget *w, int column) const {
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->cellWidget(r, column) == w) return r;
    return -1;
}

int SpaceEditor::addParam(const Param &p) {
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    auto *name = new QComboBox(m_table);
    name->setEditable(true);
    name->addItems(m_paths);
    name->setCurrentText(QString::fromStdString(p.name));
    name->setToolTip("A job-spec path (any name for a command's placeholders)");
    auto *type = new QComboBox(m_table);
    type->addItems(wordsOf(paramKindWords()));
    auto *sampling = new QComboBox(m_table);
    m_table->setCellWidget(row, NameColumn, name);
    m_table->setCellWidget(row, TypeColumn, type);
    m_table->setCellWidget(row, SamplingColumn, sampling);
    for (int c : {MinColumn, MaxColumn, StepColumn, ValuesColumn, ConditionColumn})
        m_table->setItem(row, c, new QTableWidgetItem);

    connect(type, &QComboBox::currentTextChanged, this,
            [this, type] { updateRow(rowOfWidget(type, TypeColumn)); });
    // Picking a common path from the list fills in its usual range.
    connect(name, &QComboBox::activated, this,
            [this, name] { applyPreset(rowOfWidget(name, NameColumn), name->currentText()); });

    const bool numeric = p.kind == ParamKind::Int || p.kind == ParamKind::Float;
    type->setCurrentText(kindText(p.kind));
    updateRow(row); // the sampling items for the kind
    if (numeric) {
        m_table->item(row, MinColumn)->setText(number(p.min));
        m_table->item(row, MaxColumn)->setText(number(p.max));
        m_table->item(row, StepColumn)->setText(p.step > 0 ? number(p.step) : QString());
        sampling->setCurrentIndex(int(p.scale));
    } else if (p.kind == ParamKind::Choice) {
        m_table->item(row, ValuesColumn)->setText(listText(p.choices));
        sampling->setCurrentIndex(p.ordered ? 1 : 0);
    } else if (p.kind == ParamKind::Fixed) {
        m_table->item(row, ValuesColumn)->setText(valueText(p.fixed));
    }
    m_table->item(row, ConditionColumn)->setText(conditionText(p.conditions));
    // Not edited here, but kept so that setSpec then spec() loses nothing.
    if (p.defaultValue)
        m_table->item(row, ValuesColumn)->setData(Qt::UserRole, toVariant(*p.defaultValue));
    return row;
}

void SpaceEditor::updateRow(int row) {
    if (row < 0) return;
    const ParamKind kind = kindFromText(cellText(m_table, row, TypeColumn));
    const bool numeric = kind == ParamKind::Int || kind == ParamKind::Float;
    QComboBox *sampling = comboAt(m_table, row, SamplingColumn);
    const QString was = sampling->currentText();
    const QSignalBlocker block(sampling);
    sampling->clear();
    if (numeric)
        sampling->addItems(wordsOf(scaleWords()));
    else if (kind == ParamKind::Choice)
        sampling->addItems(kOrders);
    sampling->setEnabled(numeric || kind == ParamKind::Choice);
    if (sampling->findText(was) >= 0) sampling->setCurrentText(was);
    auto enable = [&](int column, bool on) {
        QTableWidgetItem *item = m_table->item(row, column);
        if (!item) return;
        item->setFlags(on ? Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable
                          : Qt::ItemIsSelectable);
    };
    enable(MinColumn, numeric);
    enable(MaxColumn, numeric);
    enable(StepColumn, numeric);
    enable(ValuesColumn, kind == ParamKind::Choice || kind == ParamKind::Fixed);
}

void SpaceEditor::applyPreset(int row, const QString &name) {
    if (row < 0) return;
    Param p = presetParam(name);
    // Momentum only means something for SGD: conditional on an earlier optimizer.type.
    if (name == "optimizer.momentum")
        for (int r = 0; r < row; ++r)
            if (cellText(m_table, r, NameColumn) == "optimizer.type")
                p.conditions.push_back({"optimizer.type", {std::string("sgd")}});
    // A layer's field where an earlier row chooses the layer's type: active for the types
    // chosen there that have the field ("units" for lstm and gru, "filters" for conv1d).
    const QString layer = name.section('.', 0, -2), leaf = name.section('.', -1);
    if (name.startsWith("model.layers.") && leaf != "type")
        for (int r = 0; r < row; ++r)
            if (cellText(m_table, r, NameColumn) == layer + ".type") {
                std::vector<ParamValue> having;
                for (const ParamValue &v : parseList(cellText(m_table, r, ValuesColumn))) {
                    const auto &fields = layerFields(paramText(v));
                    if (std::find(fields.begin(), fields.end(), leaf.toStdString()) != fields.end())
                        having.push_back(v);
                }
                if (!having.empty())
                    p.conditions.push_back({(layer + ".type").toStdString(), having});
            }
    comboAt(m_table, row, TypeColumn)->setCurrentText(kindText(p.kind));
    updateRow(row);
    const bool numeric = p.kind == ParamKind::Int || p.kind == ParamKind::Float;
    m_table->item(row, MinColumn)->setText(numeric ? number(p.min) : QString());
    m_table->item(row, MaxColumn)->setText(numeric ? number(p.max) : QString());
    m_table->item(row, StepColumn)->setText(numeric && p.step > 0 ? number(p.step) : QString());
    m_table->item(row, ValuesColumn)
        ->setText(p.kind == ParamKind::Choice ? listText(p.choices) : QString());
    comboAt(m_table, row, SamplingColumn)
        ->setCurrentIndex(numeric     ? int(p.scale)
                          : p.ordered ? 1
                                      : 0);
    if (!p.conditions.empty())
        m_table->item(row, ConditionColumn)->setText(conditionText(p.conditions));
}

void SpaceEditor::removeRow(int row) {
    if (row >= 0 && row < m_table->rowCount()) m_table->removeRow(row);
}

void SpaceEditor::moveRow(int row, int delta) {
    const int to = row + delta;
    if (row < 0 || to < 0 || row >= m_table->rowCount() || to >= m_table->rowCount()) return;
    // Swap the rows' contents; the cell widgets stay where they are.
    auto swapText = [&](int column) {
        if (QComboBox *a = comboAt(m_table, row, column)) {
            QComboBox *b = comboAt(m_table, to, column);
            const QString ta = a->currentText(), tb = b->currentText();
            a->setCurrentText(tb);
            b->setCurrentText(ta);
            return;
        }
        QTableWidgetItem *a = m_table->takeItem(row, column);
        QTableWidgetItem *b = m_table->takeItem(to, column);
        m_table->setItem(row, column, b);
        m_table->setItem(to, column, a);
    };
    const QString samplingFrom = cellText(m_table, row, SamplingColumn);
    const QString samplingTo = cellText(m_table, to, SamplingColumn);
    for (int c :
         {NameColumn, TypeColumn, MinColumn, MaxColumn, StepColumn, ValuesColumn, ConditionColumn})
        swapText(c);
    updateRow(row);
    updateRow(to);
    comboAt(m_table, row, SamplingColumn)->setCurrentText(samplingTo);
    comboAt(m_table, to, SamplingColumn)->setCurrentText(samplingFrom);
    m_table->selectRow(to);
}

Param SpaceEditor::paramAt(int row, const std::vector<Param> &earlier) const {
    Param p;
    p.name = cellText(m_table, row, NameColumn).toStdString();
    const std::string where =
        "space" + (p.name.empty() ? "[" + std::to_string(row) + "]" : "." + p.name);
    if (p.name.empty()) throw SpecError(where + ".name", "must not be empty");
    p.kind = kindFromText(cellText(m_table, row, TypeColumn));
    const QString sampling = cellText(m_table, row, SamplingColumn);
    auto readNumber = [&](int column, const char *field, bool required) -> double {
        const QString text = cellText(m_table, row, column);
        if (text.isEmpty()) {
            if (required) throw SpecError(where + "." + field, "needs a number");
            return 0;
        }
        bool ok = false;
        const double v = QLocale::c().toDouble(text, &ok);
        if (!ok) throw SpecError(where + "." + field, "not a number: " + text.toStdString());
        return v;
    };
    switch (p.kind) {
    case ParamKind::Int:
    case ParamKind::Float:
        p.min = readNumber(MinColumn, "min", true);
        p.max = readNumber(MaxColumn, "max", true);
        p.step = readNumber(StepColumn, "step", false);
        p.scale = Scale::Linear;
        for (const EnumWord<Scale> &w : scaleWords())
            if (sampling == w.word) p.scale = w.value;
        break;
    case ParamKind::Choice:
        p.choices = parseList(cellText(m_table, row, ValuesColumn));
        p.ordered = sampling == "ordered";
        break;
    case ParamKind::Fixed: {
        const QString text = cellText(m_table, row, ValuesColumn);
        if (text.isEmpty()) throw SpecError(where + ".value", "a fixed parameter needs a value");
        p.fixed = parseValue(text);
        break;
    }
    case ParamKind::Boolean:
        break;
    }
    for (const QString &part :
         cellText(m_table, row, ConditionColumn).split(';', Qt::SkipEmptyParts)) {
        if (part.trimmed().isEmpty()) continue;
        const int eq = part.indexOf('=');
        if (eq < 0)
            throw SpecError(where + ".conditions", "write \"parent = value[, value…]\", not \"" +
                                                       part.trimmed().toStdString() + "\"");
        Condition c;
        c.parent = part.left(eq).trimmed().toStdString();
        const Param *parent = nullptr;
        for (const Param &e : earlier)
            if (e.name == c.parent) parent = &e;
        for (const QString &v : part.mid(eq + 1).split(',', Qt::SkipEmptyParts))
            if (!v.trimmed().isEmpty()) c.values.push_back(coerce(parent, v));
        p.conditions.push_back(std::move(c));
    }
    if (const QTableWidgetItem *item = m_table->item(row, ValuesColumn))
        p.defaultValue = fromVariant(item->data(Qt::UserRole));
    return p;
}

Param SpaceEditor::preset(const QString &name) {
    return presetParam(name);
}

QStringList SpaceEditor::commonPaths() {
    return kCommonPaths;
}

void SpaceEditor::setPaths(const QStringList &paths) {
    m_paths = paths;
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (QComboBox *name = comboAt(m_table, r, NameColumn)) {
            const QString current = name->currentText();
            const QSignalBlocker block(name);
            name->clear();
            name->addItems(m_paths);
            name->setCurrentText(current);
        }
}

void SpaceEditor::setParams(const std::vector<Param> &params) {
    m_table->setRowCount(0);
    for (const Param &p : params)
        addParam(p);
}

std::vector<Param> SpaceEditor::params() const {
    std::vector<Param> params;
    for (int r = 0; r < m_table->rowCount(); ++r)
        params.push_back(paramAt(r, params));
    return params;
}

bool SpaceEditor::selectField(const QString &field) {
    // "space.model.hidden.min" or "space[2].when": the parameter's row.
    int best = -1, bestLength = -1;
    const QRegularExpressionMatch index = QRegularExpression("^space\\[(\\d+)\\]").match(field);
    if (index.hasMatch()) {
        best = index.captured(1).toInt(); // from 0, as the core counts
    } else if (field.startsWith("space.")) {
        const QString rest = field.mid(6);
        for (int r = 0; r < m_table->rowCount(); ++r) {
            const QString param = cellText(m_table, r, NameColumn);
            if ((rest == param || rest.startsWith(param + ".")) && param.size() > bestLength) {
                best = r;
                bestLength = int(param.size());
            }
        }
    }
    if (best < 0 || best >= m_table->rowCount()) return false;
    m_table->selectRow(best);
    m_table->scrollToItem(m_table->item(best, ValuesColumn));
    m_table->setFocus();
    return true;
}

} // namespace trainscope
