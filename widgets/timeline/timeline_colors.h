#pragma once
// The timeline's palette: a stable colour per colour key (task id, span name, thread) and fixed
// colours for states, so "awaiting" looks the same on every task row.

#include "query/draw_list.h"

#include <QColor>

namespace weft::ui {

struct TimelinePalette {
    QColor background{0xfa, 0xfa, 0xfa};
    QColor row_alternate{0xf1, 0xf3, 0xf5};
    QColor row_separator{0xdd, 0xdf, 0xe3};
    QColor header_background{0xe9, 0xeb, 0xee};
    QColor header_text{0x20, 0x24, 0x2a};
    QColor header_dim_text{0x5f, 0x66, 0x70};
    QColor axis_background{0xe2, 0xe5, 0xe9};
    QColor axis_text{0x30, 0x34, 0x3a};
    QColor grid{0x00, 0x00, 0x00, 0x18};
    QColor fold{0x8c, 0x93, 0x9c};
    QColor blocking{0xd6, 0x3a, 0x3a};
    QColor lag{0xf0, 0x8c, 0x1e};
    QColor scheduled{0xe9, 0xc4, 0x4a};
    QColor awaiting{0xa9, 0xbb, 0xcf};
    QColor migration{0xb0, 0x2d, 0xb8};
    QColor selection{0x10, 0x10, 0x10};
    QColor hover_line{0x1e, 0x6f, 0xd9, 0xa0};
    QColor ruler_fill{0x1e, 0x6f, 0xd9, 0x30};
    QColor ruler_edge{0x1e, 0x6f, 0xd9};
    QColor arrow{0x22, 0x55, 0xaa};
    QColor sample{0x2e, 0x7d, 0x6e};
    QColor flow{0x45, 0x68, 0xa0, 0xa8};        // every flow in view: light, so lanes stay readable
    QColor flow_strong{0x12, 0x3f, 0x8c};       // the flows of the selected item
    QColor global_line{0x7b, 0x3f, 0xa0, 0x50}; // a global instant, across every row
    QColor failed{0xd3, 0x2f, 0x2f};            // the end of a task that raised
    QColor cancelled{0xe8, 0x86, 0x10};         // the end of a task that was cancelled
    QColor match{0xff, 0xb3, 0x00};             // a match of Find: outline and axis tick
};

// The dark set: the same roles for a dark window background.
TimelinePalette dark_timeline_palette();

// The palette in use: the light set, or the dark one while the application's window colour is
// dark (follow_application_palette() decides; TimelineView calls it when the palette changes).
const TimelinePalette& timeline_palette();
void follow_application_palette();
bool timeline_palette_is_dark();

// A saturated, readable colour for a key (never 0); the same key always gives the same colour.
QColor color_for_key(uint32_t key);
// The colour of an event-loop lag of `ms` milliseconds: pale under a millisecond, the palette's lag
// colour at ~30 ms, deep red from a second on (a log scale: a heat strip at any zoom).
QColor lag_heat(double ms);
// The fill of a mark: its key's colour, or the kind's fixed colour, or the fold grey.
QColor mark_fill(const DrawMark& mark);
// `base` blended toward the background by how little of a fold its items cover (coverage in [0, 1]).
QColor coverage_shade(const QColor& base, float coverage);
// Black or white, whichever reads better on `fill`.
QColor text_on(const QColor& fill);

} // namespace weft::ui
