#include "widgets/format.h"

#include <QDir>
#include <QSaveFile>
#include <cmath>

namespace trainscope {

QString formatDuration(double seconds) {
    if (!(seconds >= 0)) return {};
    if (seconds < 60) return QString("%1 s").arg(seconds, 0, 'f', 1);
    const qint64 s = qint64(std::llround(seconds));
    if (s < 3600) return QString("%1m %2s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
    return QString("%1h %2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'));
}

QString formatNs(int64_t ns) {
    const double v = double(ns);
    const double a = std::abs(v);
    if (a < 1e3) return QString("%1 ns").arg(ns);
    if (a < 1e6) return QString("%1 µs").arg(v / 1e3, 0, 'f', a < 1e4 ? 2 : 1);
    if (a < 1e9) return QString("%1 ms").arg(v / 1e6, 0, 'f', a < 1e7 ? 3 : 2);
    return QString("%1 s").arg(v / 1e9, 0, 'f', 3);
}

QString formatMs(int64_t ns) {
    return QString::number(double(ns) / 1e6, 'f', 3);
}

std::pair<QString, double> byteUnitFor(double bytes) {
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double size = 1;
    int unit = 0;
    while (unit < 4 && std::abs(bytes) >= 1024 * size) {
        size *= 1024;
        ++unit;
    }
    return {QString::fromLatin1(units[unit]), size};
}

QString formatBytes(double bytes) {
    const auto [unit, size] = byteUnitFor(bytes);
    if (size == 1) return QString("%1 B").arg(qint64(bytes));
    return QString("%1 %2").arg(bytes / size, 0, 'f', 2).arg(unit);
}

QString csvField(const QString &text) {
    static const QString special = QStringLiteral(",\"\r\n");
    bool quote = false;
    for (QChar c : text)
        if (special.contains(c)) {
            quote = true;
            break;
        }
    if (!quote) return text;
    QString out = text;
    out.replace('"', QStringLiteral("\"\""));
    return '"' + out + '"';
}

QString csvLine(const QStringList &fields) {
    QStringList quoted;
    for (const QString &f : fields)
        quoted << csvField(f);
    return quoted.join(',') + '\n';
}

bool saveFile(const QString &path, const QByteArray &bytes, QString *error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QString("Cannot write %1: %2")
                         .arg(QDir::toNativeSeparators(path), file.errorString());
        file.cancelWriting();
        return false;
    }
    return true;
}

} // namespace trainscope
