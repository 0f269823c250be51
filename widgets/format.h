// How the views write numbers, durations, sizes and CSV: one spelling for each, so a duration
// reads the same in the trial table and a chart's tooltip, and every export is written alike.
#pragma once

#include <QString>
#include <QStringList>
#include <cstdint>
#include <utility>

class QByteArray;

namespace trainscope {

// "12.3 s", "4m 05s", "1h 02m"; empty for a negative or unknown duration.
QString formatDuration(double seconds);
// "850 ns", "12.4 µs", "3.25 ms", "1.500 s".
QString formatNs(int64_t ns);
// Milliseconds with three decimals and no unit, for table columns headed "ms".
QString formatMs(int64_t ns);
// "512 B", "1.50 KiB", "3.00 MiB", "1.25 GiB" (powers of 1024).
QString formatBytes(double bytes);
// The unit a chart whose largest value is `bytes` reads best in: its name and size in bytes.
std::pair<QString, double> byteUnitFor(double bytes);

// One CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break.
QString csvField(const QString &text);
// The fields joined by commas, each as csvField writes it, and a newline.
QString csvLine(const QStringList &fields);
// `bytes` written to a temporary file beside `path`, flushed and renamed over it (QSaveFile):
// on failure `error` (when given) names the path and the reason, and nothing at `path` changes.
bool saveFile(const QString &path, const QByteArray &bytes, QString *error = nullptr);

} // namespace trainscope
