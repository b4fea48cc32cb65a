#include "analysis/task_summary.h"

#include <algorithm>
#include <numeric>

namespace weft::analysis {

TaskCounts count_tasks(const Model& model) {
    TaskCounts c;
    c.total = model.tasks.size();
    for (const Task& t : model.tasks) {
        switch (t.state) {
        case TaskState::Ok: ++c.ok; break;
        case TaskState::Cancelled: ++c.cancelled; break;
        case TaskState::Error: ++c.error; break;
        case TaskState::Unfinished: ++c.unfinished; break;
        }
        c.max_depth = std::max<uint32_t>(c.max_depth, t.depth);
        c.migrated += t.migrated();
    }
    return c;
}

std::vector<TaskIndex> busiest_tasks(const Model& model, size_t limit) {
    std::vector<uint32_t> order(model.tasks.size());
    std::iota(order.begin(), order.end(), 0u);
    const size_t n = std::min(limit, order.size());
    auto busier = [&](uint32_t a, uint32_t b) {
        const Time ba = model.tasks[a].busy;
        const Time bb = model.tasks[b].busy;
        return ba != bb ? ba > bb : a < b;
    };
    std::partial_sort(order.begin(), order.begin() + static_cast<ptrdiff_t>(n), order.end(), busier);
    std::vector<TaskIndex> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) out.push_back(TaskIndex{order[i]});
    return out;
}

} // namespace weft::analysis
