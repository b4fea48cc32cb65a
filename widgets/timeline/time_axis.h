#pragma once
// The time axis above the lanes: adaptive 1-2-5 ticks with labels from ns to s, the grid lines they
// imply across the lanes, and the measured range of the ruler.

#include "model/ids.h"
#include "query/axis_ticks.h"
#include "query/view_mapping.h"

#include <QRect>
#include <QString>

class QPainter;

namespace weft::ui {

// Label of a major tick. Deep in a long trace absolute labels grow long ("3200000050 ns"), so the
// first tick carries the absolute time and the others an offset from it ("+20 ns").
QString tick_label(const ViewMapping& view, const AxisTicks& ticks, size_t major_index);

// Paints the axis into `rect` (x of rect.left() is x = 0 of `view`).
void paint_time_axis(QPainter& painter, const QRect& rect, const ViewMapping& view, const AxisTicks& ticks,
                     Time hover_time);
// Faint vertical lines at the ticks over the lanes.
void paint_time_grid(QPainter& painter, const QRect& rect, const ViewMapping& view, const AxisTicks& ticks);
// The ruler: a shaded band [begin, end] over `lanes` with its duration printed in the axis.
void paint_ruler(QPainter& painter, const QRect& axis, const QRect& lanes, const ViewMapping& view, Time begin,
                 Time end);

} // namespace weft::ui
