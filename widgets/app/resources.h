#pragma once
// resources/weft.qrc (icons) is compiled into the static weft_widgets library, whose resources are
// not registered by themselves: the viewer's main() and MainWindow call this first (once is enough).

namespace weft::ui {

void registerResources();

} // namespace weft::ui
