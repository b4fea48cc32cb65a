#include "query/task_names.h"

namespace weft {

bool is_default_task_name(std::string_view name) {
    constexpr std::string_view prefix = "Task-";
    if (name.size() <= prefix.size() || name.substr(0, prefix.size()) != prefix) return false;
    for (char c : name.substr(prefix.size()))
        if (c < '0' || c > '9') return false;
    return true;
}

std::string_view task_replaced_name(const Model& model, TaskIndex task) {
    if (!task.valid() || task.value >= model.tasks.size()) return {};
    const Task& t = model.tasks[task.value];
    const std::string_view name = model.string(t.name);
    return is_default_task_name(name) && !model.string(t.coro_name).empty() ? name : std::string_view{};
}

std::string_view task_shown_name(const Model& model, TaskIndex task) {
    if (!task.valid() || task.value >= model.tasks.size()) return {};
    const Task& t = model.tasks[task.value];
    const std::string_view name = model.string(t.name);
    const std::string_view coro = model.string(t.coro_name);
    return (name.empty() || is_default_task_name(name)) && !coro.empty() ? coro : name;
}

std::string task_display_name(const Model& model, TaskIndex task) {
    if (!task.valid() || task.value >= model.tasks.size()) return {};
    const std::string_view name = task_shown_name(model, task);
    return name.empty() ? "task " + std::to_string(model.tasks[task.value].task_id) : std::string(name);
}

} // namespace weft
