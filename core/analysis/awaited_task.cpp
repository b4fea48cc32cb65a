#include "analysis/awaited_task.h"

#include "query/task_names.h"

namespace weft::analysis {

std::string_view awaited_task_label(std::string_view awaitable) {
    constexpr std::string_view open = "Task<";
    if (awaitable.size() <= open.size() + 1 || awaitable.substr(0, open.size()) != open || awaitable.back() != '>')
        return {};
    return awaitable.substr(open.size(), awaitable.size() - open.size() - 1);
}

TaskIndex awaited_task(const Model& model, uint32_t await_index) {
    if (await_index >= model.awaits.size()) return {};
    const AwaitPoint& a = model.awaits[await_index];
    const std::string_view label = awaited_task_label(model.string(a.awaitable));
    if (label.empty()) return {};
    const bool same_process = a.task.valid() && a.task.value < model.tasks.size();
    const ProcessIndex process = same_process ? model.tasks[a.task.value].process : ProcessIndex{};
    TaskIndex best;
    Time best_completed = kNoTime;
    for (uint32_t i = 0; i < model.tasks.size(); ++i) {
        const Task& t = model.tasks[i];
        if (TaskIndex{i} == a.task || t.completed == kNoTime || t.completed < a.begin || t.completed > a.end) continue;
        if (same_process && t.process != process) continue;
        if (task_shown_name(model, TaskIndex{i}) != label) continue; // as the agents label it
        if (best_completed == kNoTime || t.completed > best_completed) {
            best = TaskIndex{i};
            best_completed = t.completed;
        }
    }
    return best;
}

} // namespace weft::analysis
