#include "widgets/timeline/timelinestyle.h"

#include <QHash>
#include <cmath>

namespace trainscope {

QColor categoryColor(const std::string &category) {
    // Host work in greens, blues and warm tones; GPU work in indigo, brown and slate.
    static const QHash<QString, QColor> fixed = {
        {"step", QColor("#9e9e9e")},
        {"input", QColor("#ef6c00")},
        {"h2d", QColor("#8e24aa")},
        {"d2h", QColor("#ad1457")},
        {"host_compute", QColor("#1e88e5")},
        {"cpu_op", QColor("#43a047")},
        {"user_annotation", QColor("#00897b")},
        {"python_function", QColor("#f9a825")},
        {"cuda_runtime", QColor("#e53935")},
        {"cuda_driver", QColor("#c0ca33")},
        {"kernel", QColor("#3949ab")},
        {"gpu_memcpy", QColor("#6d4c41")},
        {"gpu_memset", QColor("#546e7a")},
        {"cuda_sync", QColor("#d81b60")},
    };
    const QString name = QString::fromStdString(category);
    auto it = fixed.constFind(name);
    if (it != fixed.constEnd()) return *it;
    uint hash = 2166136261u; // FNV-1a: stable across runs, unlike qHash's seed
    for (unsigned char c : category)
        hash = (hash ^ c) * 16777619u;
    return QColor::fromHsv(int(hash % 360), 110 + int((hash >> 9) % 60),
                           170 + int((hash >> 17) % 50));
}

QColor textColorOn(const QColor &fill) {
    const double luma = 0.299 * fill.redF() + 0.587 * fill.greenF() + 0.114 * fill.blueF();
    return luma > 0.6 ? QColor(20, 20, 20) : QColor(255, 255, 255);
}

double niceTickStep(double minimumNs) {
    if (!(minimumNs > 1)) return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(minimumNs)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= minimumNs * (1 - 1e-9)) return m * magnitude;
    return 10 * magnitude;
}

QString formatTick(double ns, double stepNs) {
    static const struct {
        double ns;
        const char *name;
    } units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}};
    for (const auto &unit : units) {
        if (unit.ns > stepNs * 10 && unit.ns > 1) continue;
        const double step = stepNs / unit.ns;
        const int decimals = step >= 1 ? 0 : int(std::ceil(-std::log10(step) - 1e-9));
        double value = ns / unit.ns;
        if (std::abs(value) < 0.5 * step) value = 0; // no "-0.0"
        return QString("%1 %2").arg(value, 0, 'f', decimals).arg(QString::fromUtf8(unit.name));
    }
    return QString::number(ns);
}

} // namespace trainscope
