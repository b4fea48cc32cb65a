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
    m_collapsed_threads.clear();
    m_hidden_threads.clear();
    m_pinned_threads.clear();
}

LaneLayout::ThreadKey LaneLayout::thread_key(const Model& model, ThreadIndex thread) {
    if (thread.value >= model.threads.size()) return {UINT64_MAX, UINT64_MAX};
    const Thread& t = model.threads[thread.value];
    const uint64_t pid =
        t.process.value < model.processes.size() ? model.processes[t.process.value].pid : UINT64_MAX;
    return {pid, t.os_thread_id};
}

bool LaneLayout::thread_collapsed(const Model& model, ThreadIndex thread) const {
    return !m_collapsed_threads.empty() && m_collapsed_threads.count(thread_key(model, thread)) != 0;
}

bool LaneLayout::thread_hidden(const Model& model, ThreadIndex thread) const {
    return !m_hidden_threads.empty() && m_hidden_threads.count(thread_key(model, thread)) != 0;
}

bool LaneLayout::thread_pinned(const Model& model, ThreadIndex thread) const {
    if (m_pinned_threads.empty()) return false;
    return std::find(m_pinned_threads.begin(), m_pinned_threads.end(), thread_key(model, thread)) !=
           m_pinned_threads.end();
}

void LaneLayout::set_thread_collapsed(const Model& model, ThreadIndex thread, bool collapsed) {
    if (collapsed)
        m_collapsed_threads.insert(thread_key(model, thread));
    else
        m_collapsed_threads.erase(thread_key(model, thread));
}

void LaneLayout::set_thread_hidden(const Model& model, ThreadIndex thread, bool hidden) {
    if (hidden) {
        m_hidden_threads.insert(thread_key(model, thread));
        set_thread_pinned(model, thread, false); // a hidden thread has no rows to pin
    } else {
        m_hidden_threads.erase(thread_key(model, thread));
    }
}

void LaneLayout::set_thread_pinned(const Model& model, ThreadIndex thread, bool pinned) {
    const ThreadKey key = thread_key(model, thread);
    std::erase(m_pinned_threads, key);
    if (pinned) {
        m_pinned_threads.push_back(key);
        m_hidden_threads.erase(key);
    }
}

size_t LaneLayout::hidden_threads(const Model& model, ProcessIndex process) const {
    if (m_hidden_threads.empty() || process.value >= model.processes.size()) return 0;
    size_t n = 0;
    for (ThreadIndex t : model.processes[process.value].threads)
        n += thread_hidden(model, t) ? 1 : 0;
    return n;
}

void LaneLayout::show_hidden_threads(const Model& model, ProcessIndex process) {
    if (process.value >= model.processes.size()) return;
    for (ThreadIndex t : model.processes[process.value].threads)
        m_hidden_threads.erase(thread_key(model, t));
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
    m_pack_items.clear();
    m_pack_groups.clear();
    m_pack_begin.clear();
    m_pack_end.clear();
    m_async_row.clear();
    m_total_height = 0;
    m_pinned_rows = 0;
    m_task_row.assign(model.tasks.size(), -1);
    m_thread_rows.assign(model.threads.size(), ThreadRows{});
    m_process_row.assign(model.processes.size(), -1);
    m_counter_row.assign(model.counters.size(), -1);
    m_global_row = -1;

    m_run_owner.clear();
    for (uint32_t t = 0; t < model.threads.size(); ++t)
        if (!model.threads[t].run_slices.empty()) m_run_owner.emplace_back(model.threads[t].run_slices.first, t);
    std::sort(m_run_owner.begin(), m_run_owner.end());

    // Pinned threads first, in the order they were pinned: the section that does not scroll.
    std::vector<uint8_t> pinned(model.threads.size(), 0);
    if (!m_pinned_threads.empty()) {
        for (const ThreadKey& key : m_pinned_threads)
            for (uint32_t t = 0; t < model.threads.size(); ++t)
                if (!pinned[t] && thread_key(model, ThreadIndex{t}) == key &&
                    !thread_hidden(model, ThreadIndex{t})) {
                    pinned[t] = 1;
                    add_thread_rows(model, ThreadIndex{t}, metrics);
                    break;
                }
        m_pinned_rows = m_rows.size();
        for (LaneRow& row : m_rows) {
            row.pinned = true;
            row.indent = 0;
        }
    }

    if (!model.global_instants.empty()) {
        m_global_row = static_cast<int32_t>(m_rows.size());
        add_row({RowKind::GlobalMarks, 0, 0, 0, {}, 0, 0, false, false}, metrics.global_marks);
    }
    mark_inner_failures(model);
    for (uint32_t p = 0; p < model.processes.size(); ++p)
        add_process_rows(model, p, pinned, metrics);
    finish_packs(model);
}

void LaneLayout::mark_inner_failures(const Model& model) {
    // From each failed task up its ancestors, stopping where an earlier walk passed: linear in
    // the tasks. The guard stops a damaged parent chain that loops.
    m_inner_failed.assign(model.tasks.size(), 0);
    for (const Task& t : model.tasks) {
        if (t.state != TaskState::Error) continue;
        TaskIndex up = t.parent;
        for (int guard = 0; up.valid() && up.value < model.tasks.size() && guard < kMaxTreeDepth; ++guard) {
            if (m_inner_failed[up.value]) break;
            m_inner_failed[up.value] = 1;
            up = model.tasks[up.value].parent;
        }
    }
}

void LaneLayout::finish_packs(const Model& model) {
    const size_t n = m_pack_items.size();
    m_pack_begin.resize(n);
    m_pack_end.resize(n);
    m_pack_alive.assign(n + 1, 0);
    m_pack_failed.assign(n + 1, 0);
    m_pack_cancelled.assign(n + 1, 0);
    m_pack_inner.assign(n + 1, 0);
    for (size_t k = 0; k < n; ++k) {
        const Task& t = model.tasks[m_pack_items[k].value];
        const TaskExtent e = task_extent(model, t);
        m_pack_begin[k] = e.begin;
        m_pack_end[k] = e.end;
        m_pack_alive[k + 1] = m_pack_alive[k] + (e.end - e.begin);
        m_pack_failed[k + 1] = m_pack_failed[k] + (t.state == TaskState::Error ? 1 : 0);
        m_pack_cancelled[k + 1] = m_pack_cancelled[k] + (t.state == TaskState::Cancelled ? 1 : 0);
        m_pack_inner[k + 1] = m_pack_inner[k] + m_inner_failed[m_pack_items[k].value];
    }
}

void LaneLayout::add_process_rows(const Model& model, uint32_t p, std::span<const uint8_t> pinned,
                                  const RowMetrics& metrics) {
    const Process& process = model.processes[p];
    const bool collapsed = process_collapsed(ProcessIndex{p});
    m_process_row[p] = static_cast<int32_t>(m_rows.size());
    add_row({RowKind::Process, 0, 0, p, {}, 0, 0, true, !collapsed}, metrics.process);
    if (collapsed) return;
    // Counters first: they describe the whole process, as its heading does.
    const Range counters = lanes_clamp(process.counters, model.counters.size());
    for (uint32_t c = counters.first; c < counters.end(); ++c) {
        m_counter_row[c] = static_cast<int32_t>(m_rows.size());
        add_row({RowKind::Counter, 1, 0, c, {}, 0, 0, false, false}, metrics.counter);
    }
    for (ThreadIndex ti : process.threads)
        if (ti.value < model.threads.size() && !pinned[ti.value] && !thread_hidden(model, ti))
            add_thread_rows(model, ti, metrics);
    if (!process.root_tasks.empty()) {
        add_row({RowKind::TaskGroup, 0, 0, p, {}, 0, 0, false, false}, metrics.task_group);
        add_task_set(model, process.root_tasks, 1, metrics);
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
    // A collapsed thread keeps only its first row.
    const bool collapsed = thread_collapsed(model, ti);
    auto room = [&] { return !collapsed || m_rows.size() == first_row; };
    if (!thread.run_slices.empty() || !others) rows.runs = add(RowKind::ThreadRuns, 0, metrics.thread_runs);
    if (!thread.blocking.empty() && room())
        rows.blocking = add(RowKind::ThreadBlocking, 0, metrics.thread_marks);
    if (!thread.lag.empty() && room()) rows.lag = add(RowKind::ThreadLag, 0, metrics.thread_marks);
    if (has_marks && room()) rows.marks = add(RowKind::ThreadMarks, 0, metrics.thread_marks);
    for (size_t d = 0; d < thread.span_depths.size() && d < kMaxTreeDepth && room(); ++d) {
        if (thread.span_depths[d].empty()) continue;
        const int32_t at = add(RowKind::ThreadSpans, static_cast<uint16_t>(d), metrics.thread_spans);
        if (rows.spans < 0) rows.spans = at;
    }
    rows.head = static_cast<int32_t>(first_row);
    // The heading toggles the thread's other rows, when it has any.
    const size_t row_count = (!thread.run_slices.empty() || !others ? 1u : 0u) +
                             (thread.blocking.empty() ? 0u : 1u) + (thread.lag.empty() ? 0u : 1u) +
                             (has_marks ? 1u : 0u) + (any_spans ? 1u : 0u);
    if (row_count > 1) {
        m_rows[first_row].expandable = true;
        m_rows[first_row].expanded = !collapsed;
    }
}

bool LaneLayout::task_row_expanded(const Model& model, TaskIndex task, uint16_t indent) const {
    const Task& t = model.tasks[task.value];
    const bool has_content = !t.children.empty() || t.spans.count != 0;
    return has_content && task_expanded(task) && indent < kMaxTreeDepth;
}

void LaneLayout::add_task_set(const Model& model, std::span<const TaskIndex> tasks, uint16_t indent,
                              const RowMetrics& metrics) {
    // Recursion goes one level per expanded task, and expansion stops at kMaxTreeDepth.
    for (const TaskGroup& group : group_tasks(model, tasks, m_grouping)) {
        if (group.tasks.size() == 1) {
            add_task_row(model, group.tasks.front(), indent, metrics);
            continue;
        }
        // An expanded task leaves the pack for a row of its own, under the group's packed rows.
        std::vector<TaskIndex> packed;
        std::vector<TaskIndex> expanded;
        packed.reserve(group.tasks.size());
        for (TaskIndex t : group.tasks)
            (task_row_expanded(model, t, indent) ? expanded : packed).push_back(t);
        if (!packed.empty()) {
            std::vector<Range> rows;
            pack_tasks(model, packed, m_pack_items, rows);
            const uint32_t group_index = static_cast<uint32_t>(m_pack_groups.size());
            m_pack_groups.push_back({group.key, m_grouping, static_cast<uint32_t>(group.tasks.size()),
                                     static_cast<uint32_t>(rows.size())});
            for (size_t r = 0; r < rows.size(); ++r) {
                const int32_t at = static_cast<int32_t>(m_rows.size());
                for (uint32_t k = rows[r].first; k < rows[r].end(); ++k)
                    m_task_row[m_pack_items[k].value] = at;
                add_row({RowKind::TaskPack, indent, static_cast<uint16_t>(std::min<size_t>(r, UINT16_MAX)),
                         group_index, rows[r], 0, 0, false, false},
                        metrics.task);
            }
        }
        for (TaskIndex t : expanded)
            add_task_row(model, t, indent, metrics);
    }
}

void LaneLayout::add_task_row(const Model& model, TaskIndex task_index, uint16_t indent,
                              const RowMetrics& metrics) {
    if (task_index.value >= model.tasks.size()) return;
    const Task& task = model.tasks[task_index.value];
    const bool has_content = !task.children.empty() || task.spans.count != 0;
    const bool expanded = task_row_expanded(model, task_index, indent);
    m_task_row[task_index.value] = static_cast<int32_t>(m_rows.size());
    add_row({RowKind::Task, indent, 0, task_index.value, {}, 0, 0, has_content, expanded}, metrics.task);
    if (!expanded) return;
    add_span_rows(model, task, task_index.value, static_cast<uint16_t>(indent + 1), metrics);
    add_task_set(model, model.children(task), static_cast<uint16_t>(indent + 1), metrics);
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
    else if (r.thread_head)
        set_thread_collapsed(model, ThreadIndex{r.index}, r.expanded);
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
