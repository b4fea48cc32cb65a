#pragma once
// The vertical structure of the timeline: which rows exist, in which order, at which height.
//
// On top, when the trace has any, a row of global instants. Per process: a header row (which also
// shows the process-scoped instants), a row per counter track, then per thread its run slices and
// (when present) a row of blocking events, a row of loop-lag samples, a row of marks (instants and
// samples) and one row per thread-span depth; then the task tree. Each task has a lifetime row; an
// expanded task shows its async spans (packed into non-overlapping rows) and its children below it.
//
// A thread's first row is its heading and carries its name: its run slices when it has any (or
// when it has nothing else), else the first of its other rows, drawn as tall as a run row. Traces
// imported from other formats have threads with spans but no run slices, and an empty run row
// above every such thread would only push the spans apart.
//
// Rows are rebuilt from the model and the expand/collapse state: cost is the number of rows, not
// of events (only expanded tasks pack their spans).

#include "model/model.h"
#include "query/selection.h"

#include <cstdint>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace weft {

enum class RowKind : uint8_t {
    Process,       // index: process; marks: its process-scoped instants
    ThreadRuns,    // index: thread
    ThreadBlocking,
    ThreadLag,
    ThreadSpans,   // index: thread, depth: span depth
    TaskGroup,     // index: process; the "Tasks" heading
    Task,          // index: task
    TaskSpans,     // index: task, items: packed async spans of this row
    GlobalMarks,   // index: 0; the instants of the whole trace
    Counter,       // index: counter track
    ThreadMarks,   // index: thread; its instants and samples
};

struct RowMetrics {
    int process = 22;
    int thread_runs = 20; // also the height of any row that heads its thread
    int thread_marks = 14;
    int thread_spans = 16;
    int task_group = 18;
    int task = 18;
    int task_spans = 16;
    int global_marks = 16;
    int counter = 30;
};

struct LaneRow {
    RowKind kind = RowKind::Process;
    uint16_t indent = 0; // tree depth, for the header
    uint16_t depth = 0;  // span depth (ThreadSpans) or packed row number (TaskSpans)
    uint32_t index = 0;  // process, thread, task or counter track, by kind
    Range items;         // TaskSpans: into LaneLayout::span_items()
    int y = 0;
    int height = 0;
    bool expandable = false;
    bool expanded = false;
    bool thread_head = false; // the first row of its thread: the header shows the thread's name
};

class LaneLayout {
public:
    // Rebuilds the rows. Expand/collapse state survives while the model stays the same.
    void build(const Model& model, const RowMetrics& metrics = {});
    // Forgets the expand/collapse state (a new model).
    void reset_state();

    std::span<const LaneRow> rows() const { return m_rows; }
    size_t size() const { return m_rows.size(); }
    const LaneRow& row(size_t i) const { return m_rows[i]; }
    int total_height() const { return m_total_height; }
    // The row containing y, or -1.
    int row_at_y(int y) const;
    // The async spans of a TaskSpans row, sorted by begin and non-overlapping.
    std::span<const AsyncSpanIndex> items(const LaneRow& row) const {
        return std::span(m_span_items).subspan(row.items.first, row.items.count);
    }

    bool task_expanded(TaskIndex task) const { return m_expanded_tasks.count(task.value) != 0; }
    bool process_collapsed(ProcessIndex p) const { return m_collapsed_processes.count(p.value) != 0; }
    // State changes; call build() afterwards.
    void set_task_expanded(TaskIndex task, bool expanded);
    void set_process_collapsed(ProcessIndex process, bool collapsed);
    // Expands the ancestors of `task` (and uncollapses its process) so it gets a row.
    void expand_to(const Model& model, TaskIndex task);
    // Toggles the row's expand state if it has one; returns true if it did.
    bool toggle(const Model& model, size_t row);

    // The row showing `selection`, or -1 when it has none (collapsed ancestor, empty selection).
    int row_of(const Model& model, Selection selection) const;
    int row_of_task(TaskIndex task) const;
    int row_of_thread(ThreadIndex thread, RowKind kind, uint16_t depth = 0) const;
    // The first row of a thread (the one with its name), or -1 while its process is collapsed.
    int row_of_thread_head(ThreadIndex thread) const;
    int row_of_process(ProcessIndex process) const;
    int row_of_counter(uint32_t track) const;
    int row_of_global_marks() const { return m_global_row; }
    // The TaskSpans row holding async span `span`, or -1 when its task is not expanded.
    int row_of_async_span(AsyncSpanIndex span) const;
    // The thread that owns run slice `run`.
    ThreadIndex thread_of_run(uint32_t run) const;

private:
    struct ThreadRows {
        int32_t head = -1;
        int32_t runs = -1;
        int32_t blocking = -1;
        int32_t lag = -1;
        int32_t marks = -1;
        int32_t spans = -1; // the row of the shallowest depth; deeper ones follow it
    };

    void add_row(LaneRow row, int height);
    void add_thread_rows(const Model& model, ThreadIndex thread, const RowMetrics& metrics);
    void add_task_rows(const Model& model, TaskIndex root, uint16_t indent, const RowMetrics& metrics);
    void add_span_rows(const Model& model, const Task& task, uint32_t task_index, uint16_t indent,
                       const RowMetrics& metrics);

    std::vector<LaneRow> m_rows;
    std::vector<AsyncSpanIndex> m_span_items;
    std::vector<std::pair<uint32_t, uint32_t>> m_run_owner; // (first run, thread), sorted by first
    std::vector<int32_t> m_task_row;                         // task -> row or -1
    std::vector<ThreadRows> m_thread_rows;                   // by thread
    std::vector<int32_t> m_process_row;                      // by process
    std::vector<int32_t> m_counter_row;                      // by counter track
    std::unordered_map<uint32_t, uint32_t> m_async_row;      // packed async span -> row
    int32_t m_global_row = -1;
    std::unordered_set<uint32_t> m_expanded_tasks;
    std::unordered_set<uint32_t> m_collapsed_processes;
    int m_total_height = 0;
};

} // namespace weft
