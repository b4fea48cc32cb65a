#pragma once
// Which task an await waited on.
//
// The agents name what a task awaits ("Task<fetch_user>", "Queue.get", "gather"), not the awaited
// task's id. When the awaitable names a task, the task it means is found by what happened: of the
// tasks of the same process with that name (for a task that kept asyncio's default name, its
// coroutine's) that completed while the await lasted, the one that completed last, at or before
// the await's end — the completion that woke the awaiting task.

#include "model/model.h"

#include <string_view>

namespace weft::analysis {

// "fetch_user" for "Task<fetch_user>"; empty when the awaitable names no task.
std::string_view awaited_task_label(std::string_view awaitable);

// The task await `index` waited on, or an invalid index (not a task, or none matches).
TaskIndex awaited_task(const Model& model, uint32_t await_index);

} // namespace weft::analysis
