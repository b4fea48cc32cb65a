#pragma once
// The vertical structure of the timeline: which rows exist, in which order, at which height.
//
// On top, the pinned threads (they stay in view while the rest scrolls), then, when the trace has
// any, a row of global instants. Per process: a header row (which also shows the process-scoped
// instants), a row per counter track, then per thread its run slices and (when present) a row of
// blocking events, a row of loop-lag samples, a row of marks (instants and samples) and one row per
// thread-span depth; then the tasks. A collapsed thread shows its first row only; a hidden one none.
//
// Tasks: the roots of a process, and the children of an expanded task, are grouped by name (or
// spawn location) and each group's tasks packed into few rows (query/task_packing.h). A group of
// one task, and an expanded task, has a row of its own; an expanded task shows its async spans
// (packed into non-overlapping rows) and its children below it.
//
// A thread's first row is its heading and carries its name: its run slices when it has any (or
// when it has nothing else), else the first of its other rows, drawn as tall as a run row. Traces
// imported from other formats have threads with spans but no run slices, and an empty run row
// above every such thread would only push the spans apart.
//
// Rows are rebuilt from the model and the expand/collapse state: cost is the number of rows, not
// of events (only expanded tasks pack their spans), plus O(n log n) to pack n sibling tasks.
// Thread state (collapsed, hidden, pinned) is kept by thread identity (pid, OS thread id), so it
// survives the snapshots of a live capture; task state is by index, and the caller carries it over.

#include "model/model.h"
#include "query/selection.h"
#include "query/task_packing.h"

#include <cstdint>
#include <set>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <utility>
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
    TaskPack,      // index: pack group; depth: row within the group; items: its tasks (pack_items())
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
    bool pinned = false;      // in the pinned section at the top, which does not scroll
};

// The tasks of one group packed into TaskPack rows: what they share and how many there are.
struct PackGroup {
    uint32_t key = 0; // StringId or LocationId, by grouping
    TaskGrouping grouping = TaskGrouping::Name;
    uint32_t task_count = 0; // in the group, expanded ones included
    uint32_t rows = 0;
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
    // In a view scrolled by `scroll` pixels, where pinned rows stay put: the row at `y` pixels
    // below the top of the lanes (or -1), and the top of a row.
    int row_at_view_y(int y, int scroll) const {
        return y < pinned_height() ? row_at_y(y) : row_at_y(y + scroll);
    }
    int view_y(const LaneRow& row, int scroll) const { return row.pinned ? row.y : row.y - scroll; }
    // The async spans of a TaskSpans row, sorted by begin and non-overlapping.
    std::span<const AsyncSpanIndex> items(const LaneRow& row) const {
        return std::span(m_span_items).subspan(row.items.first, row.items.count);
    }
    // The tasks of a TaskPack row, sorted by start and non-overlapping (task_extent()).
    std::span<const TaskIndex> pack_items(const LaneRow& row) const {
        return std::span(m_pack_items).subspan(row.items.first, row.items.count);
    }
    // Their extents, side by side in arrays: the fold's binary searches stay in a few cache lines
    // instead of reading a whole Task per probe.
    std::span<const Time> pack_begins(const LaneRow& row) const {
        return std::span(m_pack_begin).subspan(row.items.first, row.items.count);
    }
    std::span<const Time> pack_ends(const LaneRow& row) const {
        return std::span(m_pack_end).subspan(row.items.first, row.items.count);
    }
    // Over positions [p, p + n) of a TaskPack row: the time its tasks were alive, and how many
    // failed or were cancelled. O(1), from prefix sums made when the row was packed.
    Time pack_alive(const LaneRow& row, size_t p, size_t n) const {
        return m_pack_alive[row.items.first + p + n] - m_pack_alive[row.items.first + p];
    }
    uint32_t pack_failed(const LaneRow& row, size_t p, size_t n) const {
        return m_pack_failed[row.items.first + p + n] - m_pack_failed[row.items.first + p];
    }
    uint32_t pack_cancelled(const LaneRow& row, size_t p, size_t n) const {
        return m_pack_cancelled[row.items.first + p + n] - m_pack_cancelled[row.items.first + p];
    }
    // How many of them have a descendant (at any depth) that failed.
    uint32_t pack_inner_failed(const LaneRow& row, size_t p, size_t n) const {
        return m_pack_inner[row.items.first + p + n] - m_pack_inner[row.items.first + p];
    }
    // A task spawned below `task`, at any depth, failed (raised).
    bool inner_failed(TaskIndex task) const {
        return task.value < m_inner_failed.size() && m_inner_failed[task.value] != 0;
    }
    const PackGroup& pack_group(const LaneRow& row) const { return m_pack_groups[row.index]; }
    // The rows at the top that stay in view while the others scroll: those of pinned threads.
    size_t pinned_rows() const { return m_pinned_rows; }
    int pinned_height() const {
        return m_pinned_rows == 0 ? 0 : m_rows[m_pinned_rows - 1].y + m_rows[m_pinned_rows - 1].height;
    }

    bool task_expanded(TaskIndex task) const { return m_expanded_tasks.count(task.value) != 0; }
    bool process_collapsed(ProcessIndex p) const { return m_collapsed_processes.count(p.value) != 0; }
    // State changes; call build() afterwards.
    void set_task_expanded(TaskIndex task, bool expanded);
    void set_process_collapsed(ProcessIndex process, bool collapsed);
    void set_task_grouping(TaskGrouping grouping) { m_grouping = grouping; }
    TaskGrouping task_grouping() const { return m_grouping; }

    // Threads, by identity: a collapsed thread shows only its first row, a hidden one no row (its
    // process heading counts it), a pinned one sits in the pinned section at the top.
    bool thread_collapsed(const Model& model, ThreadIndex thread) const;
    bool thread_hidden(const Model& model, ThreadIndex thread) const;
    bool thread_pinned(const Model& model, ThreadIndex thread) const;
    void set_thread_collapsed(const Model& model, ThreadIndex thread, bool collapsed);
    void set_thread_hidden(const Model& model, ThreadIndex thread, bool hidden);
    void set_thread_pinned(const Model& model, ThreadIndex thread, bool pinned);
    // The hidden threads of a process, and showing them all again.
    size_t hidden_threads(const Model& model, ProcessIndex process) const;
    void show_hidden_threads(const Model& model, ProcessIndex process);
    // Forgets task expansion only (a live snapshot renumbers tasks; thread state is by identity).
    void reset_task_state() { m_expanded_tasks.clear(); }
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
    void add_process_rows(const Model& model, uint32_t p, std::span<const uint8_t> pinned,
                          const RowMetrics& metrics);
    void add_thread_rows(const Model& model, ThreadIndex thread, const RowMetrics& metrics);
    void finish_packs(const Model& model);
    void mark_inner_failures(const Model& model);
    void add_task_set(const Model& model, std::span<const TaskIndex> tasks, uint16_t indent,
                      const RowMetrics& metrics);
    void add_task_row(const Model& model, TaskIndex task, uint16_t indent, const RowMetrics& metrics);
    bool task_row_expanded(const Model& model, TaskIndex task, uint16_t indent) const;
    void add_span_rows(const Model& model, const Task& task, uint32_t task_index, uint16_t indent,
                       const RowMetrics& metrics);

    std::vector<LaneRow> m_rows;
    std::vector<AsyncSpanIndex> m_span_items;
    std::vector<TaskIndex> m_pack_items;
    std::vector<Time> m_pack_begin, m_pack_end; // by pack item
    // Prefix sums by pack item, one longer: [k] holds the sum over items [0, k).
    std::vector<Time> m_pack_alive;
    std::vector<uint32_t> m_pack_failed, m_pack_cancelled, m_pack_inner;
    std::vector<uint8_t> m_inner_failed; // by task: a descendant failed
    std::vector<PackGroup> m_pack_groups;
    size_t m_pinned_rows = 0;
    TaskGrouping m_grouping = TaskGrouping::Name;
    // Thread state by (pid, OS thread id).
    using ThreadKey = std::pair<uint64_t, uint64_t>;
    static ThreadKey thread_key(const Model& model, ThreadIndex thread);
    std::set<ThreadKey> m_collapsed_threads;
    std::set<ThreadKey> m_hidden_threads;
    std::vector<ThreadKey> m_pinned_threads;                // in the order they were pinned
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
