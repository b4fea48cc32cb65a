#pragma once
// Task rows that scale: sibling tasks (the roots of a process, or the children of an expanded task)
// are grouped by what they are (their shown name, or where they were spawned) and each group's
// tasks are packed into as few rows as their lifetimes allow, as Perfetto packs async slices: in
// order of start, a task goes into the lowest-numbered row that is free when it starts. A server
// that ran 600k requests, at most 40 at a time, gets 40 rows instead of 600k.
//
// Each packed row is sorted by start and its tasks don't overlap, so it is a lane (lanes.h) that
// folds and hit-tests by binary search like any other. Packing is deterministic: the same tasks
// give the same rows, and a task keeps its row while later tasks are appended (live capture),
// unless one it shared a row with finishes earlier than it was assumed to.

#include "model/model.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace weft {

enum class TaskGrouping : uint8_t {
    Name,          // the shown name (query/task_names.h): "handle_request" for Task-1 ... Task-9999
    SpawnLocation, // file:line where the parent created it
};

// The time a task occupies in a packed row: from creation (else its first run, else the trace's
// start) to completion (else the trace's end), never negative.
struct TaskExtent {
    Time begin = 0;
    Time end = 0;
};
inline TaskExtent task_extent(const Model& model, const Task& task) {
    const Time begin =
        task.created != kNoTime ? task.created : (task.first_run != kNoTime ? task.first_run : model.begin);
    const Time end = task.end_or(model.end);
    return {begin, end > begin ? end : begin};
}

// What a group's tasks share: a StringId (by name) or a LocationId (by spawn location).
uint32_t task_group_key(const Model& model, TaskIndex task, TaskGrouping grouping);

// What a group is called in the lane header: the name, or "function · file:line" of the spawn site.
std::string task_group_label(const Model& model, uint32_t key, TaskGrouping grouping);

struct TaskGroup {
    uint32_t key = 0;
    std::vector<TaskIndex> tasks; // in the order of the sibling set
};

// Splits `tasks` into groups by key, the groups in the order of their first task. Indices past the
// model's tasks are dropped.
std::vector<TaskGroup> group_tasks(const Model& model, std::span<const TaskIndex> tasks,
                                   TaskGrouping grouping);

// Packs `tasks` into rows. Appends each row's tasks, sorted by start, to `items` and the row's
// range in `items` to `rows`. Cost: O(n log n) for n tasks.
void pack_tasks(const Model& model, std::span<const TaskIndex> tasks, std::vector<TaskIndex>& items,
                std::vector<Range>& rows);

} // namespace weft
