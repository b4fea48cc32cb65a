#include "query/lane_layout.h"

#include <algorithm>

namespace weft {

namespace {
// A tree deeper than this is damaged data (a cycle); rows stop there instead of growing forever.
constexpr uint16_t kMaxTreeDepth = 512;

Range lanes_clamp(Range r, size_t table_size) {
    if (r.first >= table_size) return {};
    return {r.first, static_cast<uint32_t>(std::min<size_t>(r.count, table_size - r.first))};
}
} // namespace

void LaneLayout::reset_state() {
    m_expanded_tasks.clear();
    m_collapsed_processes.clear();
}

void LaneLayout::add_row(LaneRow row, int height) {
    row.y = m_total_height;
    row.height = height;
    m_total_height += height;
    m_rows.push_back(row);
}

void LaneLayout::build(const Model& model, const RowMetrics& metrics) {
    m_rows.clear();
    m_span_items.clear();
    m_async_row.clear();
    m_total_height = 0;
    m_task_row.assign(model.tasks.size(), -1);
    m_thread_rows.assign(model.threads.size(), ThreadRows{});
    m_process_row.assign(model.processes.size(), -1);
    m_counter_row.assign(model.counters.size(), -1);
    m_global_row = -1;

    m_run_owner.clear();
    for (uint32_t t = 0; t < model.threads.size(); ++t)
        if (!model.threads[t].run_slices.empty()) m_run_owner.emplace_back(model.threads[t].run_slices.first, t);
    std::sort(m_run_owner.begin(), m_run_owner.end());

    if (!model.global_instants.empty()) {
        m_global_row = static_cast<int32_t>(m_rows.size());
        add_row({RowKind::GlobalMarks, 0, 0, 0, {}, 0, 0, false, false}, metrics.global_marks);
    }
    for (uint32_t p = 0; p < model.processes.size(); ++p) {
        const Process& process = model.processes[p];
        const bool collapsed = process_collapsed(ProcessIndex{p});
        m_process_row[p] = static_cast<int32_t>(m_rows.size());
        LaneRow header{RowKind::Process, 0, 0, p, {}, 0, 0, true, !collapsed};
        add_row(header, metrics.process);
        if (collapsed) continue;
        // Counters first: they describe the whole process, as its heading does.
        const Range counters = lanes_clamp(process.counters, model.counters.size());
        for (uint32_t c = counters.first; c < counters.end(); ++c) {
            m_counter_row[c] = static_cast<int32_t>(m_rows.size());
            add_row({RowKind::Counter, 1, 0, c, {}, 0, 0, false, false}, metrics.counter);
        }
        for (ThreadIndex ti : process.threads)
            if (ti.value < model.threads.size()) add_thread_rows(model, ti, metrics);
        if (!process.root_tasks.empty()) {
            add_row({RowKind::TaskGroup, 0, 0, p, {}, 0, 0, false, false}, metrics.task_group);
            for (TaskIndex root : process.root_tasks) add_task_rows(model, root, 1, metrics);
        }
    }
}

void LaneLayout::add_thread_rows(const Model& model, ThreadIndex ti, const RowMetrics& metrics) {
    const Thread& thread = model.threads[ti.value];
    ThreadRows& rows = m_thread_rows[ti.value];
    const size_t first_row = m_rows.size();
    auto add = [&](RowKind kind, uint16_t depth, int height) {
        const bool head = m_rows.size() == first_row;
        LaneRow row{kind, 1, depth, ti.value, {}, 0, 0, false, false, head};
        const int32_t at = static_cast<int32_t>(m_rows.size());
        add_row(row, head ? std::max(height, metrics.thread_runs) : height);
        return at;
    };
    bool any_spans = false;
    for (size_t d = 0; d < thread.span_depths.size() && d < kMaxTreeDepth && !any_spans; ++d)
        any_spans = !thread.span_depths[d].empty();
    const bool has_marks = !thread.instants.empty() || !thread.samples.empty();
    const bool others = !thread.blocking.empty() || !thread.lag.empty() || has_marks || any_spans;
    if (!thread.run_slices.empty() || !others) rows.runs = add(RowKind::ThreadRuns, 0, metrics.thread_runs);
    if (!thread.blocking.empty()) rows.blocking = add(RowKind::ThreadBlocking, 0, metrics.thread_marks);
    if (!thread.lag.empty()) rows.lag = add(RowKind::ThreadLag, 0, metrics.thread_marks);
    if (has_marks) rows.marks = add(RowKind::ThreadMarks, 0, metrics.thread_marks);
    for (size_t d = 0; d < thread.span_depths.size() && d < kMaxTreeDepth; ++d) {
        if (thread.span_depths[d].empty()) continue;
        const int32_t at = add(RowKind::ThreadSpans, static_cast<uint16_t>(d), metrics.thread_spans);
        if (rows.spans < 0) rows.spans = at;
    }
    rows.head = static_cast<int32_t>(first_row);
}

void LaneLayout::add_task_rows(const Model& model, TaskIndex root, uint16_t indent, const RowMetrics& metrics) {
    // Depth-first with an explicit stack: a deep chain of awaits must not overflow the call stack.
    struct Item {
        TaskIndex task;
        uint16_t indent;
    };
    std::vector<Item> stack{{root, indent}};
    while (!stack.empty()) {
        const Item item = stack.back();
        stack.pop_back();
        if (item.task.value >= model.tasks.size()) continue;
        const Task& task = model.tasks[item.task.value];
        const bool has_content = !task.children.empty() || task.spans.count != 0;
        const bool expanded = has_content && task_expanded(item.task) && item.indent < kMaxTreeDepth;
        m_task_row[item.task.value] = static_cast<int32_t>(m_rows.size());
        add_row({RowKind::Task, item.indent, 0, item.task.value, {}, 0, 0, has_content, expanded}, metrics.task);
        if (!expanded) continue;
        add_span_rows(model, task, item.task.value, static_cast<uint16_t>(item.indent + 1), metrics);
        const auto children = model.children(task);
        for (size_t c = children.size(); c-- > 0;)
            stack.push_back({children[c], static_cast<uint16_t>(item.indent + 1)});
    }
}

void LaneLayout::add_span_rows(const Model& model, const Task& task, uint32_t task_index, uint16_t indent,
                               const RowMetrics& metrics) {
    if (task.spans.first > model.task_spans.size()) return;
    const uint32_t count = std::min<uint32_t>(task.spans.count,
                                              static_cast<uint32_t>(model.task_spans.size() - task.spans.first));
    std::vector<AsyncSpanIndex> spans;
    spans.reserve(count);
    for (uint32_t k = 0; k < count; ++k) {
        const AsyncSpanIndex s = model.task_spans[task.spans.first + k];
        if (s.value < model.async_spans.size()) spans.push_back(s);
    }
    std::stable_sort(spans.begin(), spans.end(), [&](AsyncSpanIndex a, AsyncSpanIndex b) {
        return model.async_spans[a.value].begin < model.async_spans[b.value].begin;
    });
    // Greedy interval partitioning: each span goes to the first row whose last span has ended.
    // Rows then are sorted and non-overlapping, which the LOD query needs.
    std::vector<std::vector<AsyncSpanIndex>> packed;
    std::vector<Time> row_end;
    for (AsyncSpanIndex s : spans) {
        const AsyncSpan& span = model.async_spans[s.value];
        size_t r = 0;
        while (r < packed.size() && row_end[r] > span.begin) ++r;
        if (r == packed.size()) {
            if (packed.size() >= kMaxTreeDepth) continue;
            packed.emplace_back();
            row_end.push_back(span.begin);
        }
        packed[r].push_back(s);
        row_end[r] = std::max(span.begin, span.end);
    }
    for (size_t r = 0; r < packed.size(); ++r) {
        const Range items{static_cast<uint32_t>(m_span_items.size()), static_cast<uint32_t>(packed[r].size())};
        m_span_items.insert(m_span_items.end(), packed[r].begin(), packed[r].end());
        for (AsyncSpanIndex a : packed[r]) m_async_row.emplace(a.value, static_cast<uint32_t>(m_rows.size()));
        add_row({RowKind::TaskSpans, indent, static_cast<uint16_t>(r), task_index, items, 0, 0, false, false},
                metrics.task_spans);
    }
}

int LaneLayout::row_at_y(int y) const {
    if (y < 0 || y >= m_total_height || m_rows.empty()) return -1;
    const auto it = std::upper_bound(m_rows.begin(), m_rows.end(), y,
                                     [](int value, const LaneRow& r) { return value < r.y; });
    return static_cast<int>(it - m_rows.begin()) - 1;
}

void LaneLayout::set_task_expanded(TaskIndex task, bool expanded) {
    if (expanded)
        m_expanded_tasks.insert(task.value);
    else
        m_expanded_tasks.erase(task.value);
}

void LaneLayout::set_process_collapsed(ProcessIndex process, bool collapsed) {
    if (collapsed)
        m_collapsed_processes.insert(process.value);
    else
        m_collapsed_processes.erase(process.value);
}

void LaneLayout::expand_to(const Model& model, TaskIndex task) {
    if (task.value >= model.tasks.size()) return;
    set_process_collapsed(model.tasks[task.value].process, false);
    TaskIndex parent = model.tasks[task.value].parent;
    for (int guard = 0; parent.valid() && parent.value < model.tasks.size() && guard < kMaxTreeDepth; ++guard) {
        set_task_expanded(parent, true);
        parent = model.tasks[parent.value].parent;
    }
}

bool LaneLayout::toggle(const Model& model, size_t row) {
    if (row >= m_rows.size() || !m_rows[row].expandable) return false;
    const LaneRow& r = m_rows[row];
    if (r.kind == RowKind::Process)
        set_process_collapsed(ProcessIndex{r.index}, r.expanded);
    else if (r.kind == RowKind::Task)
        set_task_expanded(TaskIndex{r.index}, !r.expanded);
    else
        return false;
    build(model);
    return true;
}

int LaneLayout::row_of_task(TaskIndex task) const {
    return task.value < m_task_row.size() ? m_task_row[task.value] : -1;
}

int LaneLayout::row_of_thread(ThreadIndex thread, RowKind kind, uint16_t depth) const {
    if (thread.value >= m_thread_rows.size()) return -1;
    const ThreadRows& rows = m_thread_rows[thread.value];
    switch (kind) {
    case RowKind::ThreadRuns: return rows.runs;
    case RowKind::ThreadBlocking: return rows.blocking;
    case RowKind::ThreadLag: return rows.lag;
    case RowKind::ThreadMarks: return rows.marks;
    case RowKind::ThreadSpans:
        // Span rows of a thread are consecutive, by depth; empty depths have none.
        if (rows.spans < 0) return -1;
        for (size_t i = static_cast<size_t>(rows.spans); i < m_rows.size(); ++i) {
            const LaneRow& r = m_rows[i];
            if (r.kind != RowKind::ThreadSpans || r.index != thread.value || r.depth > depth) break;
            if (r.depth == depth) return static_cast<int>(i);
        }
        return -1;
    default: return -1;
    }
}

int LaneLayout::row_of_thread_head(ThreadIndex thread) const {
    return thread.value < m_thread_rows.size() ? m_thread_rows[thread.value].head : -1;
}

int LaneLayout::row_of_process(ProcessIndex process) const {
    return process.value < m_process_row.size() ? m_process_row[process.value] : -1;
}

int LaneLayout::row_of_counter(uint32_t track) const {
    return track < m_counter_row.size() ? m_counter_row[track] : -1;
}

int LaneLayout::row_of_async_span(AsyncSpanIndex span) const {
    const auto it = m_async_row.find(span.value);
    return it == m_async_row.end() ? -1 : static_cast<int>(it->second);
}

ThreadIndex LaneLayout::thread_of_run(uint32_t run) const {
    const auto it = std::upper_bound(m_run_owner.begin(), m_run_owner.end(), std::make_pair(run, UINT32_MAX));
    if (it == m_run_owner.begin()) return {};
    return ThreadIndex{std::prev(it)->second};
}

int LaneLayout::row_of(const Model& model, Selection s) const {
    switch (s.kind) {
    case Selection::Kind::None: return -1;
    case Selection::Kind::Task: return row_of_task(TaskIndex{s.index});
    case Selection::Kind::RunSlice: return row_of_thread(thread_of_run(s.index), RowKind::ThreadRuns);
    case Selection::Kind::AwaitPoint:
        return s.index < model.awaits.size() ? row_of_task(model.awaits[s.index].task) : -1;
    case Selection::Kind::AsyncSpan: {
        if (s.index >= model.async_spans.size()) return -1;
        const int row = row_of_async_span(AsyncSpanIndex{s.index});
        return row >= 0 ? row : row_of_task(model.async_spans[s.index].task);
    }
    case Selection::Kind::ThreadSpan:
        if (s.index >= model.thread_spans.size()) return -1;
        return row_of_thread(thread_of_span(model, s.index), RowKind::ThreadSpans, model.thread_spans[s.index].depth);
    case Selection::Kind::Blocking:
        return s.index < model.blocking.size() ? row_of_thread(model.blocking[s.index].thread, RowKind::ThreadBlocking)
                                               : -1;
    case Selection::Kind::LagSample:
        return s.index < model.lag.size() ? row_of_thread(model.lag[s.index].thread, RowKind::ThreadLag) : -1;
    case Selection::Kind::Instant: {
        if (s.index >= model.instants.size()) return -1;
        const Instant& instant = model.instants[s.index];
        switch (instant.scope) {
        case InstantScope::Thread: return row_of_thread(instant.thread, RowKind::ThreadMarks);
        case InstantScope::Process:
            return instant.thread.value < model.threads.size() ? row_of_process(model.thread(instant.thread).process)
                                                               : -1;
        default: return m_global_row;
        }
    }
    case Selection::Kind::Sample:
        return s.index < model.samples.size() ? row_of_thread(model.samples[s.index].thread, RowKind::ThreadMarks)
                                              : -1;
    case Selection::Kind::CounterSample: return row_of_counter(counter_track_of(model, s.index));
    case Selection::Kind::Flow: {
        if (s.index >= model.flows.size()) return -1;
        const FlowEnd& from = model.flows[s.index].from;
        if (from.async_span.valid()) return row_of(model, {Selection::Kind::AsyncSpan, from.async_span.value});
        if (from.on_thread_span()) {
            const int row = row_of_thread(from.thread, RowKind::ThreadSpans, from.depth);
            if (row >= 0) return row;
        }
        return row_of_thread_head(from.thread);
    }
    }
    return -1;
}

} // namespace weft
