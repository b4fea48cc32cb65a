#include "query/draw_list.h"

#include "query/color_key.h"
#include "query/lanes.h"

#include <algorithm>

namespace weft {

void DrawList::clear() {
    marks.clear();
    row_marks.clear();
    arrows.clear();
    first_row = last_row = 0;
}

const DrawMark* DrawList::mark_at(size_t row, double x, double slack_px) const {
    if (row >= row_marks.size()) return nullptr;
    const Range r = row_marks[row];
    const DrawMark* best = nullptr;
    double best_distance = slack_px;
    // Painted last is on top: search backwards, prefer containment over nearness.
    for (uint32_t i = r.end(); i-- > r.first;) {
        const DrawMark& m = marks[i];
        if (m.kind == MarkKind::TaskLifetime || m.kind == MarkKind::Migration) continue;
        const double distance = x < m.x0 ? m.x0 - x : (x > m.x1 ? x - m.x1 : 0);
        if (distance == 0) return &m;
        if (distance <= best_distance) {
            best = &m;
            best_distance = distance;
        }
    }
    if (best) return best;
    for (uint32_t i = r.end(); i-- > r.first;) {
        const DrawMark& m = marks[i];
        if (m.kind == MarkKind::TaskLifetime && x >= m.x0 - slack_px && x <= m.x1 + slack_px) return &m;
    }
    return nullptr;
}

namespace {

uint32_t task_color(const Model& model, TaskIndex task) {
    if (!task.valid() || task.value >= model.tasks.size()) return 0;
    return color_key_for_id(model.tasks[task.value].task_id);
}

std::string_view task_label(const Model& model, TaskIndex task) {
    if (!task.valid() || task.value >= model.tasks.size()) return {};
    const Task& t = model.tasks[task.value];
    std::string_view name = model.string(t.name);
    return name.empty() ? model.string(t.coro_name) : name;
}

class Builder {
public:
    Builder(const Model& model, const LaneLayout& layout, const ViewMapping& view, DrawList& out,
            const DrawOptions& options)
        : m_model(model), m_layout(layout), m_view(view), m_out(out), m_options(options) {}

    void build_row(size_t row_index) {
        const LaneRow& row = m_layout.row(row_index);
        m_row = static_cast<uint32_t>(row_index);
        switch (row.kind) {
        case RowKind::Process:
        case RowKind::TaskGroup: break;
        case RowKind::ThreadRuns: thread_runs(row); break;
        case RowKind::ThreadBlocking: blocking(row); break;
        case RowKind::ThreadLag: lag(row); break;
        case RowKind::ThreadSpans: thread_spans(row); break;
        case RowKind::Task: task(row); break;
        case RowKind::TaskSpans: task_spans(row); break;
        }
    }

private:
    DrawMark& add(MarkKind kind, Time b, Time e, size_t count, Selection sel) {
        const float w = static_cast<float>(m_view.width);
        DrawMark& m = m_out.marks.emplace_back();
        m.x0 = std::clamp(static_cast<float>(m_view.x_of(b)), -4.0f, w + 4.0f);
        m.x1 = std::clamp(static_cast<float>(m_view.x_of(e)), m.x0, w + 4.0f);
        m.row = m_row;
        m.kind = kind;
        m.count = static_cast<uint32_t>(count);
        m.begin = b;
        m.end = e;
        m.selection = sel;
        return m;
    }

    void thread_runs(const LaneRow& row) {
        if (row.index >= m_model.threads.size()) return;
        const lanes::Runs lane(m_model, m_model.threads[row.index].run_slices);
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::RunSlice, b, e, n, {Selection::Kind::RunSlice, lane.index(p)});
            if (n == 1) {
                const TaskIndex t = m_model.runs.task[lane.index(p)];
                m.color_key = task_color(m_model, t);
                if (m_options.labels) m.label = task_label(m_model, t);
            }
        });
    }

    void blocking(const LaneRow& row) {
        if (row.index >= m_model.threads.size()) return;
        const lanes::Blocking lane(m_model.blocking, m_model.threads[row.index].blocking);
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            add(MarkKind::Blocking, b, e, n, {Selection::Kind::Blocking, lane.index(p)});
        });
    }

    void lag(const LaneRow& row) {
        if (row.index >= m_model.threads.size()) return;
        const lanes::Lag lane(m_model, m_model.threads[row.index].lag);
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            add(MarkKind::Lag, b, e, n, {Selection::Kind::LagSample, lane.index(p)});
        });
    }

    void thread_spans(const LaneRow& row) {
        if (row.index >= m_model.threads.size()) return;
        const Thread& thread = m_model.threads[row.index];
        if (row.depth >= thread.span_depths.size()) return;
        const lanes::ThreadSpans lane(m_model.thread_spans, thread.span_depths[row.depth]);
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::ThreadSpan, b, e, n, {Selection::Kind::ThreadSpan, lane.index(p)});
            if (n == 1) {
                const ThreadSpan& s = lane.items[p];
                const std::string_view name = m_model.string(s.name);
                m.color_key = color_key_for_name(name);
                m.unfinished = s.unfinished;
                if (m_options.labels) m.label = name;
            }
        });
    }

    void task(const LaneRow& row) {
        if (row.index >= m_model.tasks.size()) return;
        const TaskIndex ti{row.index};
        const Task& t = m_model.tasks[row.index];
        const uint32_t colour = task_color(m_model, ti);
        const Selection task_sel{Selection::Kind::Task, row.index};

        const lanes::TaskScheduled scheduled(m_model, t);
        const Time life_end = scheduled.task_end;
        if (life_end >= m_view.begin && scheduled.created <= m_view.end) {
            DrawMark& life = add(MarkKind::TaskLifetime, scheduled.created, life_end, 1, task_sel);
            life.color_key = colour;
            life.unfinished = t.completed == kNoTime;
            if (m_options.labels) life.label = task_label(m_model, ti);
        }
        fold_lane(scheduled, m_view, m_options.lod, [&](size_t, size_t n, Time b, Time e) {
            if (e > b || n > 1) add(MarkKind::TaskScheduled, b, e, n, task_sel);
        });
        const lanes::Awaits awaits(m_model.awaits, t.awaits);
        fold_lane(awaits, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::TaskAwaiting, b, e, n, {Selection::Kind::AwaitPoint, awaits.index(p)});
            if (n == 1) {
                m.unfinished = awaits.items[p].unfinished;
                if (m_options.labels) m.label = m_model.string(awaits.items[p].awaitable);
            }
        });
        const lanes::TaskRuns runs(m_model, t);
        const bool migrated = t.migrated();
        fold_lane(runs, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::TaskRunning, b, e, n, {Selection::Kind::RunSlice, runs.index(p)});
            m.color_key = colour;
            if (!migrated) return;
            const ThreadIndex thread = m_layout.thread_of_run(runs.index(p));
            if (n == 1) m.aux = thread.valid() ? thread.value + 1 : 0;
            if (p > 0 && m_layout.thread_of_run(runs.index(p - 1)) != thread) {
                const float x = m.x0;
                DrawMark& mig = add(MarkKind::Migration, b, b, 1, {Selection::Kind::RunSlice, runs.index(p)});
                mig.x0 = mig.x1 = x;
                mig.aux = thread.valid() ? thread.value + 1 : 0;
            }
        });
    }

    void task_spans(const LaneRow& row) {
        const lanes::AsyncSpans lane{&m_model.async_spans, m_layout.items(row)};
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::AsyncSpan, b, e, n, {Selection::Kind::AsyncSpan, lane.index(p)});
            if (n == 1) {
                const AsyncSpan& s = m_model.async_spans[lane.index(p)];
                const std::string_view name = m_model.string(s.name);
                m.color_key = color_key_for_name(name);
                m.unfinished = s.unfinished;
                if (m_options.labels) m.label = name;
            }
        });
    }

    const Model& m_model;
    const LaneLayout& m_layout;
    const ViewMapping& m_view;
    DrawList& m_out;
    const DrawOptions& m_options;
    uint32_t m_row = 0;
};

} // namespace

void build_draw_list(const Model& model, const LaneLayout& layout, const ViewMapping& view, size_t first_row,
                     size_t last_row, DrawList& out, const DrawOptions& options) {
    out.clear();
    last_row = std::min(last_row, layout.size());
    first_row = std::min(first_row, last_row);
    out.first_row = first_row;
    out.last_row = last_row;
    out.row_marks.assign(layout.size(), Range{});
    Builder builder(model, layout, view, out, options);
    for (size_t r = first_row; r < last_row; ++r) {
        const uint32_t before = static_cast<uint32_t>(out.marks.size());
        builder.build_row(r);
        out.row_marks[r] = Range{before, static_cast<uint32_t>(out.marks.size()) - before};
    }
}

void add_task_arrows(const Model& model, const LaneLayout& layout, const ViewMapping& view, TaskIndex task,
                     DrawList& out, size_t limit) {
    if (task.value >= model.tasks.size()) return;
    const Task& t = model.tasks[task.value];
    const int row = layout.row_of_task(task);
    if (row < 0) return;
    const float w = static_cast<float>(view.width);
    auto x_at = [&](Time time) { return std::clamp(static_cast<float>(view.x_of(time)), -4.0f, w + 4.0f); };
    if (t.parent.valid() && t.created != kNoTime) {
        const int parent_row = layout.row_of_task(t.parent);
        if (parent_row >= 0)
            out.arrows.push_back({static_cast<uint32_t>(parent_row), static_cast<uint32_t>(row), x_at(t.created),
                                  x_at(t.created)});
    }
    for (TaskIndex child : model.children(t)) {
        if (out.arrows.size() >= limit) break;
        if (child.value >= model.tasks.size()) continue;
        const Task& c = model.tasks[child.value];
        const int child_row = layout.row_of_task(child);
        const Time at = c.created != kNoTime ? c.created : c.first_run;
        if (child_row < 0 || at == kNoTime) continue;
        out.arrows.push_back({static_cast<uint32_t>(row), static_cast<uint32_t>(child_row), x_at(at), x_at(at)});
    }
}

} // namespace weft
