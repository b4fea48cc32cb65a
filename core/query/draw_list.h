#pragma once
// The timeline's draw list: plain marks in pixels that a painter replays as they are. Built by
// build_draw_list() from the model, the lane layout and the view mapping; holds no pointers except
// labels, which view the model's strings (keep the model alive while painting).

#include "model/model.h"
#include "query/counter_index.h"
#include "query/lane_layout.h"
#include "query/lod_fold.h"
#include "query/selection.h"
#include "query/view_mapping.h"

#include <string_view>
#include <vector>

namespace weft {

enum class MarkKind : uint8_t {
    RunSlice,      // a thread's run slice, coloured by task
    ThreadSpan,    // coloured by name
    Blocking,
    Lag,           // an event-loop lag sample: [time - lag, time]
    TaskLifetime,  // created -> completed (or trace end), drawn as a thin line under the segments
    TaskScheduled, // ready, not running
    TaskAwaiting,
    TaskRunning,   // colour_key: the task; aux: the thread it ran on
    Migration,     // a zero-width marker where a task's next slice runs on another thread
    AsyncSpan,     // also, on the row of a task that never ran on a thread, its top-level spans
    Instant,       // a point in time (x0 == x1 unless folded); colour_key: its name
    Sample,        // a sampled stack of the thread, a point in time
    Counter,       // a step of a counter track: value_lo/value_hi/value, normalised to the track
    TaskFold,      // tasks of a packed row too narrow to draw apart (count > 1), or one task too
                   // narrow to show its states (count 1, in its colour); aux: as on TaskLifetime
};

// How a task ended, on its lifetime mark (DrawMark::aux): failures are marked on the timeline.
inline constexpr uint32_t kEndedFailed = 1;
inline constexpr uint32_t kEndedCancelled = 2;
inline constexpr uint32_t kEndedMask = 3;
// Also on a lifetime or a fold: a task spawned below it (at any depth, and not shown because the
// task is collapsed or packed) failed. Failures deep in a tree show from the top.
inline constexpr uint32_t kInnerFailed = 4;

struct DrawMark {
    float x0 = 0;  // pixels in the view, clamped to a little outside [0, width]
    float x1 = 0;
    uint32_t row = 0;
    MarkKind kind = MarkKind::RunSlice;
    bool unfinished = false;
    uint32_t color_key = 0;  // 0: the kind's own colour
    uint32_t count = 1;      // > 1: a fold of `count` narrow items; selection names the first
    uint32_t aux = 0;        // TaskRunning: thread index + 1 when the task migrated, else 0;
                             // TaskLifetime, TaskFold: how the task ended (kEndedFailed,
                             // kEndedCancelled, or 0; for a fold the worst of its tasks), plus
                             // kInnerFailed
    Time begin = 0;          // the item's (or fold's) time range, for tooltips
    Time end = 0;
    Selection selection;
    std::string_view label;
    // Counter: the lowest and highest value of the step's samples and the value holding at its
    // end, each mapped to [0, 1] over the track's [min, max]; NaN where a sample has no value.
    // Lag: `value` is the longest lag among the samples the mark holds, in milliseconds.
    // A fold of intervals (runs, spans, blocking, tasks): `value` is the share of its time they
    // cover, in [0, 1], which the painter shows as the fold's depth of colour.
    float value_lo = 0;
    float value_hi = 0;
    float value = 0;

    bool folded() const { return count > 1; }
};

enum class ArrowKind : uint8_t {
    Spawn, // from a parent task to a task it spawned
    Flow,  // a flow of the trace (query/flow_arrows.h)
};

// An arrow between two rows.
struct DrawArrow {
    uint32_t from_row = 0;
    uint32_t to_row = 0;
    float from_x = 0;
    float to_x = 0;
    ArrowKind kind = ArrowKind::Spawn;
    bool strong = false; // Flow: a flow of the selected item, drawn stronger than the others
    uint32_t count = 1;  // Flow: > 1 when several flows share these pixels
    uint32_t flow = 0;   // Flow: the (first) flow's index into Model::flows
};

struct DrawList {
    std::vector<DrawMark> marks;       // grouped by row, rows ascending; within a row in paint order
    std::vector<Range> row_marks;      // per row of the layout: its marks; empty outside the built rows
    std::vector<DrawArrow> arrows;     // in paint order: spawn arrows, other flows, selected flows
    std::vector<DrawMark> global_marks; // the global instants, for lines across every row (row unused)
    size_t flows_omitted = 0;          // flows with an end in view that were not drawn (over the cap)
    size_t pinned_rows = 0;            // rows [0, pinned_rows) are built too: they never scroll
    size_t first_row = 0;
    size_t last_row = 0;               // exclusive

    // Calls f(row) for each built row: the pinned ones, then [first_row, last_row).
    template <class F> void for_each_row(F&& f) const {
        for (size_t r = 0; r < pinned_rows && r < first_row; ++r)
            f(r);
        for (size_t r = first_row; r < last_row; ++r)
            f(r);
    }

    void clear();
    // The mark under x on `row` (the one painted last), within `slack_px`; nullptr if none.
    const DrawMark* mark_at(size_t row, double x, double slack_px = 1.0) const;
};

struct DrawOptions {
    LodOptions lod;
    bool labels = true;
    bool global_lines = true;                  // fill DrawList::global_marks
    const CounterIndex* counters = nullptr;    // makes folding counters cost per pixel; may be null
    // Threads building rows: 2 splits the rows between the caller and one more thread. The marks
    // are the same either way.
    unsigned workers = 1;
};

// A task that never ran on a thread and is known from its async spans alone (imported traces make
// tasks of top-level async slices): its run-time figures mean nothing, and the timeline shows its
// top-level spans on its row instead of a "scheduled" bar.
inline bool task_known_from_spans_only(const Task& t) {
    return t.slices.empty() && t.awaits.empty() && !t.spans.empty();
}

// Builds the marks of rows [first_row, last_row) of `layout` for `view`, and of its pinned rows. Cost: O(rows
// x pixels x log(items)), independent of how many events the trace holds. Reuses `out`'s storage.
void build_draw_list(const Model& model, const LaneLayout& layout, const ViewMapping& view, size_t first_row,
                     size_t last_row, DrawList& out, const DrawOptions& options = {});

// Arrows for a selected task: from its parent's row, and to the rows of the tasks it spawned that
// have a row. At most `limit` arrows.
void add_task_arrows(const Model& model, const LaneLayout& layout, const ViewMapping& view, TaskIndex task,
                     DrawList& out, size_t limit = 512);

// What lies under x on `row`, by index (binary search on the row's lanes), within `slack_px`.
// A task row answers with its run slice or await point under x, else the task itself. Points
// (instants, samples) are hit within at least 4 px, as they are drawn wider than they are. A
// counter row answers with the sample whose value holds at x.
Selection hit_test(const Model& model, const LaneLayout& layout, const ViewMapping& view, size_t row, double x,
                   double slack_px = 2.0);

// The time range of a selected item, or {kNoTime, kNoTime} if it names nothing.
struct TimeRange {
    Time begin = kNoTime;
    Time end = kNoTime;
    bool valid() const { return begin != kNoTime; }
};
TimeRange selection_range(const Model& model, Selection selection);
// A one-line description: the item's name (task name, span name, "blocking", counter name ...).
std::string selection_name(const Model& model, Selection selection);
// "name · series" of a counter track ("name" alone when it has no series).
std::string counter_name(const Model& model, const CounterTrack& track);

} // namespace weft
