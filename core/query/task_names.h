#pragma once
// What a task is called wherever the viewer and the CLI name it.
//
// asyncio names every task it is not given a name for "Task-<n>", a new number per task: a
// thousand tasks running handle_request read as a thousand different names. Such a task is
// called by its coroutine instead ("handle_request"), and its default name is kept beside it for
// the views that have room to show it, dimmed.

#include "model/model.h"

#include <string>
#include <string_view>

namespace weft {

// "Task-" followed by one digit or more: the name asyncio gives a task it was not given one for.
bool is_default_task_name(std::string_view name);

// The task's name, or its coroutine's when it kept asyncio's default name or has none; empty when
// neither is known (a mark's label) or for an invalid index.
std::string_view task_shown_name(const Model& model, TaskIndex task);

// task_shown_name, or "task <id>" when it is empty. Empty for an invalid index.
std::string task_display_name(const Model& model, TaskIndex task);

// The default name the display name replaced ("Task-3"), or empty.
std::string_view task_replaced_name(const Model& model, TaskIndex task);

} // namespace weft
