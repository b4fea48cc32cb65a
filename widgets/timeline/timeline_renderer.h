#pragma once
// Replays a DrawList with QPainter. Knows nothing about the model: geometry comes from the draw
// list and the lane layout, so what is painted is exactly what the core query decided.

#include "query/draw_list.h"
#include "query/lane_layout.h"
#include "query/selection.h"

#include <QRect>
#include <cstdint>
#include <vector>

class QPainter;

namespace weft::ui {

struct RenderState {
    QRect lanes;       // where x = 0 and row y = scroll_y land
    int scroll_y = 0;
    Selection selection;
    int hovered_row = -1;
    // Matches of Find, as selection_key() values, sorted: their marks are outlined.
    const std::vector<uint64_t>* highlights = nullptr;
};

// A selection as one sortable number, for sets of them.
inline uint64_t selection_key(Selection s) {
    return (uint64_t{static_cast<uint8_t>(s.kind)} << 32) | s.index;
}

// Paints rows [list.first_row, list.last_row): stripes, marks, labels, folds, selection, arrows.
void paint_draw_list(QPainter& painter, const DrawList& list, const LaneLayout& layout, const RenderState& state);

} // namespace weft::ui
