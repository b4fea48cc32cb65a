#pragma once
// Flows as arrows on the timeline. Where an end is drawn:
//   - bound to a thread span: on that span's row (its thread, its depth);
//   - bound to an async span: on the span's own row when its task is expanded, else on the task's
//     row, else on the row of the nearest ancestor task that has one;
//   - otherwise, or when the above has no row: on the thread's first row, else (its process
//     collapsed) on the process's row.
// The x of an end is its time; ends far outside the view are pulled in to a little beyond its
// edges, which keeps the arrow's direction and keeps the painter's coordinates small.

#include "query/draw_list.h"
#include "query/flows.h"

#include <span>

namespace weft {

// The row an end of a flow is drawn on, or -1 when nothing of its thread has a row.
int flow_end_row(const Model& model, const LaneLayout& layout, const FlowEnd& end);

// Appends an arrow for each of `flows` (indices into Model::flows) whose ends both have a row.
// `strong`: the flows of the selected item.
void add_flow_arrows(const Model& model, const LaneLayout& layout, const ViewMapping& view,
                     std::span<const uint32_t> flows, bool strong, DrawList& out);

struct VisibleFlowOptions {
    size_t max_arrows = 250;   // more are counted in DrawList::flows_omitted
    size_t max_visits = 4000;  // candidates looked at per frame, beyond which the window is sampled
                               // evenly; 0: look at every one
};

// Appends arrows for the flows with an end inside the view's time range on one of the rows
// [first_row, last_row). Flows whose ends land on the same rows and the same pixels fold into one
// arrow with a count, so a dense stretch costs per pixel, not per flow.
void add_visible_flow_arrows(const Model& model, const LaneLayout& layout, const ViewMapping& view,
                             const FlowIndex& index, size_t first_row, size_t last_row, DrawList& out,
                             const VisibleFlowOptions& options = {});

} // namespace weft
