#pragma once
// The shapes of the timeline that are more than a filled rectangle: arrows (spawns and flows),
// point marks (instants, samples) and counter steps. Pure drawing from pixel geometry.

#include "query/draw_list.h"

#include <QColor>
#include <QPointF>
#include <QRect>

class QPainter;
class QPainterPath;

namespace weft::ui {

// From a parent task's row down to a spawned task: leaves vertically, enters horizontally.
void paint_spawn_arrow(QPainter& p, QPointF from, QPointF to, const QColor& colour);

// The curve of a flow arrow (without its head), for painting and for finding the arrow under the
// pointer.
QPainterPath flow_arrow_path(QPointF from, QPointF to);

// A flow from one point of the trace to another: a curve leaving and entering horizontally (an
// arc above the row when both ends share it), a dot at its start and a head at its end. `count`
// > 1 (flows folded into these pixels) thickens it.
void paint_flow_arrow(QPainter& p, QPointF from, QPointF to, const QColor& colour, bool strong, uint32_t count);

// The box a point mark covers inside its row: where it is painted, outlined and hit.
QRect point_mark_rect(const DrawMark& mark, const QRect& row, int left);
// An instant: a small downward triangle at its time (a rounded bar for a fold).
void paint_instant(QPainter& p, const DrawMark& mark, const QRect& row, int left, const QColor& fill);
// A sample: a tick in the lower half of the row (a band for a fold).
void paint_sample(QPainter& p, const DrawMark& mark, const QRect& row, int left, const QColor& fill);

// The y of a normalised counter value in a row (1 at the top, 0 near the bottom).
double counter_y(const QRect& row, float value);
// The fill under a counter's steps and the colour of their edges, for the track's colour.
struct CounterColors {
    QColor area;
    QColor edge;
    explicit CounterColors(const QColor& track);
};
// A counter step: the area under its value, its top edge, a riser from `previous_y` (the step to
// its left, or NaN) and, for a fold, the range of the folded values as a vertical bar.
void paint_counter_step(QPainter& p, const DrawMark& mark, const QRect& row, int left, const CounterColors& colors,
                        double previous_y);

} // namespace weft::ui
