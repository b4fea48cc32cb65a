#include "query/task_packing.h"

#include "query/task_names.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <unordered_map>
#include <utility>

namespace weft {

uint32_t task_group_key(const Model& model, TaskIndex task, TaskGrouping grouping) {
    if (task.value >= model.tasks.size()) return 0;
    const Task& t = model.tasks[task.value];
    if (grouping == TaskGrouping::SpawnLocation) return t.spawn_location.value;
    // The shown name's id: the coroutine's when the task kept asyncio's default name.
    const bool by_coroutine =
        t.coro_name.value != 0 && (t.name.value == 0 || is_default_task_name(model.string(t.name)));
    return by_coroutine ? t.coro_name.value : t.name.value;
}

std::string task_group_label(const Model& model, uint32_t key, TaskGrouping grouping) {
    if (grouping == TaskGrouping::Name) {
        const std::string_view name = model.string(StringId{key});
        return name.empty() ? std::string("(unnamed)") : std::string(name);
    }
    if (key == 0) return "(spawn site unknown)";
    const Location& at = model.location(LocationId{key});
    std::string label = std::string(model.string(at.name));
    const std::string where = model.location_label(LocationId{key});
    if (!where.empty()) label += label.empty() ? where : " \u00b7 " + where;
    return label.empty() ? std::string("(spawn site unknown)") : label;
}

std::vector<TaskGroup> group_tasks(const Model& model, std::span<const TaskIndex> tasks,
                                   TaskGrouping grouping) {
    std::vector<TaskGroup> groups;
    std::unordered_map<uint32_t, size_t> group_of_key;
    for (TaskIndex t : tasks) {
        if (t.value >= model.tasks.size()) continue;
        const uint32_t key = task_group_key(model, t, grouping);
        const auto [it, added] = group_of_key.try_emplace(key, groups.size());
        if (added) groups.push_back({key, {}});
        groups[it->second].tasks.push_back(t);
    }
    return groups;
}

void pack_tasks(const Model& model, std::span<const TaskIndex> tasks, std::vector<TaskIndex>& items,
                std::vector<Range>& rows) {
    struct Item {
        TaskExtent extent;
        TaskIndex task;
    };
    std::vector<Item> order;
    order.reserve(tasks.size());
    for (TaskIndex t : tasks)
        if (t.value < model.tasks.size()) order.push_back({task_extent(model, model.tasks[t.value]), t});
    std::stable_sort(order.begin(), order.end(),
                     [](const Item& a, const Item& b) { return a.extent.begin < b.extent.begin; });

    // First fit: the lowest-numbered row whose last task ended by this one's start. Rows that
    // become free wait in a min-heap by number; busy rows in a min-heap by their end.
    using Busy = std::pair<Time, uint32_t>;
    std::priority_queue<Busy, std::vector<Busy>, std::greater<>> busy;
    std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<>> free_rows;
    std::vector<uint32_t> row_of(order.size());
    uint32_t row_count = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        const TaskExtent e = order[i].extent;
        while (!busy.empty() && busy.top().first <= e.begin) {
            free_rows.push(busy.top().second);
            busy.pop();
        }
        uint32_t row;
        if (free_rows.empty()) {
            row = row_count++;
        } else {
            row = free_rows.top();
            free_rows.pop();
        }
        row_of[i] = row;
        busy.emplace(e.end, row);
    }

    // Lay the rows out one after another: a counting sort by row keeps each row in start order.
    std::vector<uint32_t> first(row_count + 1, 0);
    for (uint32_t r : row_of)
        ++first[r + 1];
    for (uint32_t r = 0; r < row_count; ++r)
        first[r + 1] += first[r];
    const uint32_t base = static_cast<uint32_t>(items.size());
    items.resize(base + order.size());
    std::vector<uint32_t> next(first.begin(), first.end() - 1);
    for (size_t i = 0; i < order.size(); ++i)
        items[base + next[row_of[i]]++] = order[i].task;
    for (uint32_t r = 0; r < row_count; ++r)
        rows.push_back({base + first[r], first[r + 1] - first[r]});
}

} // namespace weft
