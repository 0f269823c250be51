// The GUI entry point: the main window on a logdir, the demo, or an offscreen screenshot.
#pragma once

namespace trainscope {

int runGui(int argc, char **argv);

} // namespace trainscope
