#pragma once
// The column left of the lanes: process, thread and task names, indented like the task tree, with
// an expand/collapse arrow on rows that have one.

#include "model/model.h"
#include "query/draw_list.h"
#include "query/lane_layout.h"

#include <QRect>
#include <QString>

class QPainter;

namespace weft::ui {

// The text of a row's header, e.g. "main (event loop)", "fetch_user  ×1204", "spans 0".
QString lane_header_text(const Model& model, const LaneLayout& layout, const LaneRow& row);
// The header's tooltip: its text, and for counters their range.
QString lane_header_tooltip(const Model& model, const LaneLayout& layout, const LaneRow& row);
// The clickable arrow of a row whose header starts at `row_rect` (in the header's coordinates).
QRect lane_header_arrow(const LaneRow& row, const QRect& row_rect);

// Paints the headers of the rows `list` was built for, with `scroll_y` pixels scrolled off the top
// (pinned rows stay put).
void paint_lane_headers(QPainter& painter, const QRect& rect, const Model& model, const LaneLayout& layout,
                        const DrawList& list, int scroll_y, int selected_row, int hovered_row);

} // namespace weft::ui
