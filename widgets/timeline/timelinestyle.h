// How the trace timeline looks and reads: a stable colour per event category (GPU work apart
// from host work), ruler labels in ns/µs/ms/s, and the ruler's 1-2-5 tick steps.
#pragma once

#include <QColor>
#include <QString>
#include <cstdint>
#include <string>

namespace trainscope {

// The fill for events of `category`: fixed for the categories Trainscope and PyTorch write,
// derived from the name for any other (so a category keeps its colour between runs).
QColor categoryColor(const std::string &category);
// Black or white, whichever reads better on `fill`.
QColor textColorOn(const QColor &fill);

// The smallest 1, 2 or 5 x 10^k ns step of at least `minimumNs`.
double niceTickStep(double minimumNs);
// A ruler label for `ns` (relative to the trace start) when ticks are `stepNs` apart: in the
// largest unit at most ten steps wide, with the decimals the step needs ("1.5 ms", "40 µs").
QString formatTick(double ns, double stepNs);

} // namespace trainscope
