#include "core/jobs/jobspec.h"
#include "core/tune/searchspace.h"

#include <QtTest>
#include <cmath>
#include <set>

using namespace trainscope;

namespace {

Param floatParam(const std::string &name, double min, double max, Scale scale = Scale::Linear,
                 double step = 0) {
    Param p;
    p.name = name;
    p.kind = ParamKind::Float;
    p.min = min;
    p.max = max;
    p.scale = scale;
    p.step = step;
    return p;
}

Param intParam(const std::string &name, double min, double max, double step = 0,
               Scale scale = Scale::Linear) {
    Param p = floatParam(name, min, max, scale, step);
    p.kind = ParamKind::Int;
    return p;
}

Param choiceParam(const std::string &name, std::vector<ParamValue> values, bool ordered = false) {
    Param p;
    p.name = name;
    p.kind = ParamKind::Choice;
    p.choices = std::move(values);
    p.ordered = ordered;
    return p;
}

Param boolParam(const std::string &name) {
    Param p;
    p.name = name;
    p.kind = ParamKind::Boolean;
    return p;
}

Param fixedParam(const std::string &name, ParamValue value) {
    Param p;
    p.name = name;
    p.kind = ParamKind::Fixed;
    p.fixed = std::move(value);
    return p;
}

Param when(Param p, const std::string &parent, std::vector<ParamValue> values) {
    p.conditions.push_back({parent, std::move(values)});
    return p;
}

std::string errorOf(std::vector<Param> params) {
    try {
        SearchSpace s(std::move(params));
    } catch (const SpecError &e) {
        return e.what();
    }
    return "no error";
}

const ParamValue kAdam = std::string("adam"), kSgd = std::string("sgd");

// optimizer.type, momentum (only with sgd), hidden, cache, batch size, learning rate, width.
SearchSpace mixedSpace() {
    return SearchSpace({choiceParam("optimizer.type", {kAdam, kSgd}),
                        when(floatParam("optimizer.momentum", 0.5, 0.9, Scale::Linear, 0.2),
                             "optimizer.type", {kSgd}),
                        intParam("model.hidden", 64, 192, 64), boolParam("pipeline.cache"),
                        fixedParam("training.batch_size", int64_t(128)),
                        floatParam("optimizer.learning_rate", 1e-4, 1e-2, Scale::Log),
                        choiceParam("width", {int64_t(8), int64_t(16), int64_t(32)}, true)});
}

} // namespace

class TestSearchSpace : public QObject {
    Q_OBJECT

private slots:
    void valueText() {
        QCOMPARE(paramJson(ParamValue(0.001)), std::string("0.001"));
        QCOMPARE(paramJson(ParamValue(int64_t(256))), std::string("256"));
        QCOMPARE(paramJson(ParamValue(true)), std::string("true"));
        QCOMPARE(paramJson(kAdam), std::string("\"adam\""));
        QCOMPARE(paramText(kAdam), std::string("adam"));
        QCOMPARE(paramText(ParamValue(1e-5)), std::string("1e-05"));
    }

    void badSpacesNameTheParameter() {
        QCOMPARE(errorOf({floatParam("model.dropout", 0.6, 0.5)}),
                 std::string("space.model.dropout: min (0.6) > max (0.5)"));
        QCOMPARE(errorOf({floatParam("optimizer.learning_rate", 0, 0.1, Scale::Log)}),
                 std::string("space.optimizer.learning_rate: log sampling needs min > 0"));
        QCOMPARE(errorOf({floatParam("x", -1, 1, Scale::ReverseLog)}),
                 std::string("space.x: reverse_log sampling needs min > 0"));
        QCOMPARE(errorOf({choiceParam("optimizer.type", {})}),
                 std::string("space.optimizer.type: no choices"));
        QCOMPARE(errorOf({choiceParam("t", {kAdam, kAdam})}),
                 std::string("space.t: choice \"adam\" listed twice"));
        QCOMPARE(errorOf({intParam("n", 1, 10), intParam("n", 1, 5)}),
                 std::string("space.n: declared twice"));
        QCOMPARE(errorOf({intParam("n", 1.5, 10)}),
                 std::string("space.n: an Int's min, max and step must be whole numbers"));
        QCOMPARE(errorOf({intParam("n", 1, 10, -2)}), std::string("space.n: step must be > 0"));
        QCOMPARE(errorOf({when(floatParam("m", 0, 1), "optimizer.type", {kSgd})}),
                 std::string("space.m: condition on 'optimizer.type', which is not a parameter "
                             "declared before it"));
        QCOMPARE(errorOf({when(floatParam("m", 0, 1), "optimizer.type", {kSgd}),
                          choiceParam("optimizer.type", {kAdam, kSgd})}),
                 std::string("space.m: its condition's parent 'optimizer.type' must be declared "
                             "before it"));
        QCOMPARE(errorOf({choiceParam("t", {kAdam, kSgd}),
                          when(floatParam("m", 0, 1), "t", {std::string("rmsprop")})}),
                 std::string("space.m: condition value \"rmsprop\" is not a value of 't'"));
        QCOMPARE(errorOf({choiceParam("t", {kAdam}), when(floatParam("m", 0, 1), "t", {})}),
                 std::string("space.m: condition on 't' lists no values"));
        Param d = floatParam("d", 0, 0.5, Scale::Linear, 0.1);
        d.defaultValue = 0.25; // off the steps
        QCOMPARE(errorOf({d}), std::string("space.d: default 0.25 is not a value of it"));
        d.defaultValue = 0.2;
        QCOMPARE(errorOf({d}), std::string("no error"));
        QCOMPARE(errorOf({floatParam("z", 3, 3)}), std::string("no error")); // min == max is fine
    }

    void samplingStaysInRangeAndScale() {
        const SearchSpace space({floatParam("lr", 1e-4, 1e-2, Scale::Log),
                                 floatParam("rev", 1, 100, Scale::ReverseLog),
                                 floatParam("lin", 0, 10), intParam("hidden", 64, 512, 64),
                                 floatParam("dropout", 0, 0.5, Scale::Linear, 0.1),
                                 intParam("ilog", 1, 1024, 0, Scale::Log)});
        std::mt19937_64 rng(7);
        const int n = 4000;
        int lrLow = 0, revHigh = 0, linLow = 0, ilogLow = 0;
        std::map<int64_t, int> hidden;
        std::set<double> dropouts;
        for (int i = 0; i < n; ++i) {
            const Assignment a = space.sample(rng);
            QCOMPARE(a.size(), size_t(6));
            const double lr = std::get<double>(a.at("lr"));
            QVERIFY(lr >= 1e-4 && lr <= 1e-2);
            lrLow += lr < 1e-3; // the log midpoint: half the draws
            const double rev = std::get<double>(a.at("rev"));
            QVERIFY(rev >= 1 && rev <= 100);
            revHigh += rev > 91; // 101 - 100^0.5: reverse-log's midpoint, dense near max
            const double lin = std::get<double>(a.at("lin"));
            QVERIFY(lin >= 0 && lin <= 10);
            linLow += lin < 1;
            const int64_t h = std::get<int64_t>(a.at("hidden"));
            QVERIFY(h >= 64 && h <= 512 && h % 64 == 0);
            ++hidden[h];
            dropouts.insert(std::get<double>(a.at("dropout")));
            const int64_t il = std::get<int64_t>(a.at("ilog"));
            QVERIFY(il >= 1 && il <= 1024);
            ilogLow += il <= 32;
        }
        QVERIFY2(std::abs(lrLow - n / 2) < n / 20, qPrintable(QString::number(lrLow)));
        QVERIFY2(std::abs(revHigh - n / 2) < n / 20, qPrintable(QString::number(revHigh)));
        QVERIFY2(std::abs(linLow - n / 10) < n / 40, qPrintable(QString::number(linLow)));
        QVERIFY2(std::abs(ilogLow - n / 2) < n / 20, qPrintable(QString::number(ilogLow)));
        QCOMPARE(hidden.size(), size_t(8)); // 64, 128, ..., 512, each about 1/8
        for (const auto &[value, count] : hidden)
            QVERIFY2(std::abs(count - n / 8) < n / 32, qPrintable(QString::number(value)));
        QCOMPARE(dropouts, (std::set<double>{0, 0.1, 0.2, 0.3, 0.4, 0.5})); // clean decimals
    }

    void samplingIsReproducible() {
        const SearchSpace space = mixedSpace();
        std::mt19937_64 a(42), b(42), c(43);
        bool differs = false;
        for (int i = 0; i < 20; ++i) {
            const Assignment x = space.sample(a), y = space.sample(b), z = space.sample(c);
            QCOMPARE(space.key(x), space.key(y));
            differs |= space.key(x) != space.key(z);
        }
        QVERIFY(differs);
    }

    void conditionalsOnlyWhenActive() {
        const SearchSpace space = mixedSpace();
        std::mt19937_64 rng(1);
        int sgd = 0;
        for (int i = 0; i < 400; ++i) {
            const Assignment a = space.sample(rng);
            const bool isSgd = a.at("optimizer.type") == kSgd;
            sgd += isSgd;
            QCOMPARE(a.count("optimizer.momentum"), size_t(isSgd ? 1 : 0));
            QCOMPARE(std::get<int64_t>(a.at("training.batch_size")), int64_t(128));
        }
        QVERIFY(sgd > 150 && sgd < 250);

        const Param *momentum = space.find("optimizer.momentum");
        QVERIFY(momentum);
        QVERIFY(space.active(*momentum, {{"optimizer.type", kSgd}}));
        QVERIFY(!space.active(*momentum, {{"optimizer.type", kAdam}}));
        QVERIFY(!space.active(*momentum, {}));
        QVERIFY(!space.find("nothing"));

        // Chains: a grandchild is inactive when its parent is.
        const SearchSpace chain({boolParam("a"), when(boolParam("b"), "a", {true}),
                                 when(intParam("c", 1, 3), "b", {true})});
        QVERIFY(!chain.active(*chain.find("c"), {{"a", false}}));
        QVERIFY(chain.active(*chain.find("c"), {{"a", true}, {"b", true}}));
        // Numbers match across int and float.
        const SearchSpace numeric(
            {choiceParam("w", {int64_t(1), int64_t(2)}), when(boolParam("x"), "w", {2.0})});
        QVERIFY(numeric.active(*numeric.find("x"), {{"w", int64_t(2)}}));
    }

    void gridSizeAndOrder() {
        SearchSpace space({choiceParam("optimizer.type", {kAdam, kSgd}),
                           when(floatParam("optimizer.momentum", 0.5, 0.9, Scale::Linear, 0.2),
                                "optimizer.type", {kSgd}),
                           intParam("model.hidden", 64, 192, 64), boolParam("pipeline.cache"),
                           fixedParam("training.batch_size", int64_t(128))});
        const std::vector<Assignment> grid = space.grid();
        QCOMPARE(grid.size(), size_t(2 * 3 + 3 * 3 * 2)); // adam: 3 x 2; sgd: 3 x 3 x 2
        const Assignment first = {{"optimizer.type", kAdam},
                                  {"model.hidden", int64_t(64)},
                                  {"pipeline.cache", false},
                                  {"training.batch_size", int64_t(128)}};
        QCOMPARE(space.key(grid[0]), space.key(first));
        QCOMPARE(grid[1].at("pipeline.cache"), ParamValue(true));
        QCOMPARE(grid[2].at("model.hidden"), ParamValue(int64_t(128)));
        QCOMPARE(grid[6].at("optimizer.type"), kSgd);
        QCOMPARE(grid[6].at("optimizer.momentum"), ParamValue(0.5));
        QCOMPARE(grid[12].at("optimizer.momentum"), ParamValue(0.7));
        QCOMPARE(grid.back().at("optimizer.momentum"), ParamValue(0.9));
        QCOMPARE(grid.back().at("model.hidden"), ParamValue(int64_t(192)));
        std::set<std::string> keys;
        for (const Assignment &a : grid)
            keys.insert(space.key(a));
        QCOMPARE(keys.size(), grid.size());

        // Int steps stop at the last value within max.
        QCOMPARE(SearchSpace({intParam("n", 1, 10, 4)}).grid().size(), size_t(3)); // 1, 5, 9
        try {
            SearchSpace({intParam("n", 1, 2), floatParam("lr", 1e-4, 1e-2, Scale::Log)}).grid();
            QFAIL("expected a SpecError");
        } catch (const SpecError &e) {
            QCOMPARE(e.field(), std::string("space.lr"));
        }
        QCOMPARE(SearchSpace().grid().size(), size_t(1)); // the empty configuration
    }

    void encodeLayout() {
        const SearchSpace space = mixedSpace();
        // type one-hot (2), momentum, hidden, cache, learning rate, width (ordered): no batch.
        QCOMPARE(space.dimensions(), size_t(7));
        const Assignment adam = {
            {"optimizer.type", kAdam},         {"model.hidden", int64_t(128)},
            {"pipeline.cache", true},          {"training.batch_size", int64_t(128)},
            {"optimizer.learning_rate", 1e-3}, {"width", int64_t(32)}};
        const std::vector<double> x = space.encode(adam);
        QCOMPARE(x.size(), size_t(7));
        QCOMPARE(x[0], 1.0);
        QCOMPARE(x[1], 0.0);
        QCOMPARE(x[2], 0.0); // momentum inactive
        QCOMPARE(x[3], 0.5); // 128 in [64, 192]
        QCOMPARE(x[4], 1.0);
        QVERIFY(std::abs(x[5] - 0.5) < 1e-12); // 1e-3 is the log midpoint
        QCOMPARE(x[6], 1.0);
        Assignment sgd = adam;
        sgd["optimizer.type"] = kSgd;
        sgd["optimizer.momentum"] = 0.7;
        sgd["width"] = int64_t(16);
        const std::vector<double> y = space.encode(sgd);
        QCOMPARE(y[0], 0.0);
        QCOMPARE(y[1], 1.0);
        QVERIFY(std::abs(y[2] - 0.5) < 1e-12);
        QCOMPARE(y[6], 0.5);
        QVERIFY_THROWS_EXCEPTION(SpecError,
                                 space.encode({{"optimizer.type", std::string("rmsprop")}}));
    }

    void decodeRoundTripsEncode() {
        // Every configuration of a discrete space, conditionals included: exact.
        const SearchSpace discrete(
            {choiceParam("optimizer.type", {kAdam, kSgd}),
             when(floatParam("m", 0.5, 0.9, Scale::Linear, 0.1), "optimizer.type", {kSgd}),
             intParam("hidden", 16, 256, 16, Scale::Log),
             floatParam("rev", 0.1, 0.9, Scale::ReverseLog, 0.2), boolParam("b"),
             fixedParam("f", std::string("x")),
             choiceParam("w", {int64_t(8), int64_t(16), int64_t(32)}, true)});
        const auto grid = discrete.grid();
        QCOMPARE(grid.size(), size_t((1 + 5) * 16 * 5 * 2 * 3)); // adam, or sgd x 5 momenta
        for (const Assignment &a : grid)
            QCOMPARE(discrete.key(discrete.decode(discrete.encode(a))), discrete.key(a));
        for (const Assignment &a : grid) // and the values themselves, not just their keys
            if (discrete.decode(discrete.encode(a)) != a) QFAIL(discrete.key(a).c_str());
        // Continuous floats: equal to within rounding.
        const SearchSpace space = mixedSpace();
        std::mt19937_64 rng(3);
        for (int i = 0; i < 500; ++i) {
            const Assignment a = space.sample(rng), b = space.decode(space.encode(a));
            QCOMPARE(space.key(b), space.key(a));
            QCOMPARE(b.size(), a.size());
            const double lr = std::get<double>(a.at("optimizer.learning_rate"));
            QVERIFY(std::abs(std::get<double>(b.at("optimizer.learning_rate")) - lr) < 1e-12 * lr);
        }
    }

    void decodeSnapsClampsAndApplies() {
        const SearchSpace space = mixedSpace();
        // type: sgd wins the one-hot; momentum 0.6 -> 0.5 + 0.24 snaps to 0.7; hidden 0.4 ->
        // 115.2 snaps to 128; cache 0.49 -> false; lr below 0 clamps to min; width 0.8 -> 32.
        Assignment a = space.decode({0.2, 0.7, 0.6, 0.4, 0.49, -3, 0.8});
        QCOMPARE(a.at("optimizer.type"), kSgd);
        QCOMPARE(a.at("optimizer.momentum"), ParamValue(0.7));
        QCOMPARE(a.at("model.hidden"), ParamValue(int64_t(128)));
        QCOMPARE(a.at("pipeline.cache"), ParamValue(false));
        QCOMPARE(a.at("optimizer.learning_rate"), ParamValue(1e-4));
        QCOMPARE(a.at("width"), ParamValue(int64_t(32)));
        QCOMPARE(a.at("training.batch_size"), ParamValue(int64_t(128)));
        // adam wins: momentum's coordinate is ignored; above 1 clamps to max.
        a = space.decode({0.9, 0.1, 0.9, 7, 1, 2, 0.2});
        QCOMPARE(a.at("optimizer.type"), kAdam);
        QCOMPARE(a.count("optimizer.momentum"), size_t(0));
        QCOMPARE(a.at("model.hidden"), ParamValue(int64_t(192)));
        QCOMPARE(a.at("optimizer.learning_rate"), ParamValue(1e-2));
        QCOMPARE(a.at("width"), ParamValue(int64_t(8)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, space.decode({0.5}));
    }

    void summaryLikeKerasTuner() {
        Param dropout = floatParam("model.dropout", 0, 0.5, Scale::Linear, 0.1);
        dropout.defaultValue = 0.2;
        const SearchSpace space(
            {floatParam("optimizer.learning_rate", 1e-4, 1e-2, Scale::Log),
             intParam("model.hidden", 64, 512, 64), dropout,
             choiceParam("optimizer.type", {kAdam, kSgd}),
             when(floatParam("optimizer.momentum", 0.5, 0.99), "optimizer.type", {kSgd}),
             fixedParam("training.batch_size", int64_t(128)), boolParam("pipeline.pin_memory")});
        QCOMPARE(
            space.summary(),
            std::string(
                "Search space summary\n"
                "Default search space size: 7\n"
                "optimizer.learning_rate (Float)\n"
                "{'default': 0.0001, 'conditions': [], 'min_value': 0.0001, 'max_value': 0.01, "
                "'step': None, 'sampling': 'log'}\n"
                "model.hidden (Int)\n"
                "{'default': 64, 'conditions': [], 'min_value': 64, 'max_value': 512, 'step': 64, "
                "'sampling': 'linear'}\n"
                "model.dropout (Float)\n"
                "{'default': 0.2, 'conditions': [], 'min_value': 0.0, 'max_value': 0.5, 'step': "
                "0.1, 'sampling': 'linear'}\n"
                "optimizer.type (Choice)\n"
                "{'default': 'adam', 'conditions': [], 'values': ['adam', 'sgd'], 'ordered': "
                "False}\n"
                "optimizer.momentum (Float)\n"
                "{'default': 0.5, 'conditions': [{'class_name': 'Parent', 'config': {'name': "
                "'optimizer.type', 'values': ['sgd']}}], 'min_value': 0.5, 'max_value': 0.99, "
                "'step': None, 'sampling': 'linear'}\n"
                "training.batch_size (Fixed)\n"
                "{'conditions': [], 'value': 128}\n"
                "pipeline.pin_memory (Boolean)\n"
                "{'default': False, 'conditions': []}\n"));
    }

    void keyIsStable() {
        const SearchSpace space = mixedSpace();
        const Assignment a = {{"optimizer.type", kAdam},
                              {"model.hidden", int64_t(128)},
                              {"optimizer.learning_rate", 0.001}};
        QCOMPARE(
            space.key(a),
            std::string(
                R"({"model.hidden":128,"optimizer.learning_rate":0.001,"optimizer.type":"adam"})"));
        Assignment b = a;
        b["model.hidden"] = 128.0;                          // read back from JSON as a float
        b["optimizer.learning_rate"] = 0.001 * (1 + 1e-15); // a rounding error
        QCOMPARE(space.key(b), space.key(a));
        b["optimizer.learning_rate"] = 0.0011;
        QVERIFY(space.key(b) != space.key(a));
        b = a;
        b["pipeline.cache"] = false;
        QVERIFY(space.key(b) != space.key(a));
    }
};

QTEST_GUILESS_MAIN(TestSearchSpace)
#include "tst_searchspace.moc"
