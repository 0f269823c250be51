// Run colours, shared by the run list and every chart (a group is coloured by its name too).
#pragma once

#include <QColor>
#include <QString>

namespace trainscope {

// A run's colour, from its name alone: the same live and reopened, in any logdir, at any run
// count. One of kRunHues hues spaced evenly round the wheel, in one of three lightness bands
// that stay readable on white and never drift to black.
constexpr int kRunHues = 36, kRunLightnessBands = 3;
QColor runColor(const QString &name);

} // namespace trainscope
