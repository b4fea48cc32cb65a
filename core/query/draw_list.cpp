#include "query/draw_list.h"

#include "query/color_key.h"
#include "query/counter_fold.h"
#include "query/lanes.h"
#include "query/task_names.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace weft {

void DrawList::clear() {
    marks.clear();
    row_marks.clear();
    arrows.clear();
    global_marks.clear();
    flows_omitted = 0;
    first_row = last_row = 0;
}

namespace {
// Points are drawn a few pixels wide whatever their duration: hit them as wide as they look.
constexpr double kPointSlackPx = 4.0;
bool is_point(MarkKind kind) { return kind == MarkKind::Instant || kind == MarkKind::Sample; }
} // namespace

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
        if (distance <= std::max(best_distance, is_point(m.kind) ? kPointSlackPx : 0.0)) {
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

// The share of [b, e] that the folded items [p, p + n) cover, from at most 16 of them spread evenly:
// exact for small folds, an estimate for large ones, and a fold costs the same whatever it holds.
template <class Lane> float coverage(const Lane& lane, size_t p, size_t n, Time b, Time e) {
    if (e <= b || n == 0) return 1.0f;
    const size_t probes = std::min<size_t>(n, 4);
    double sum = 0;
    for (size_t k = 0; k < probes; ++k) {
        const size_t q = p + k * n / probes;
        sum += static_cast<double>(std::max<Time>(lane.end(q) - lane.begin(q), 0));
    }
    const double covered = sum * static_cast<double>(n) / static_cast<double>(probes);
    return static_cast<float>(std::clamp(covered / static_cast<double>(e - b), 0.0, 1.0));
}

uint32_t task_color(const Model& model, TaskIndex task) {
    if (!task.valid() || task.value >= model.tasks.size()) return 0;
    return color_key_for_id(model.tasks[task.value].task_id);
}


class Builder {
public:
    Builder(const Model& model, const LaneLayout& layout, const ViewMapping& view, DrawList& out,
            const DrawOptions& options)
        : m_model(model), m_layout(layout), m_view(view), m_out(out), m_options(options), m_task_lod(options.lod) {
        // Inside a task's row its states keep their own colours: folds there are not shaded, so
        // they need not be cut every few pixels, and a long task draws a few marks, not dozens.
        m_task_lod.max_fold_px = std::numeric_limits<double>::infinity();
    }

    void build_row(size_t row_index) {
        const LaneRow& row = m_layout.row(row_index);
        m_row = static_cast<uint32_t>(row_index);
        switch (row.kind) {
        case RowKind::TaskGroup: break;
        case RowKind::Process:
            if (row.index < m_model.processes.size()) instants(m_model.processes[row.index].instants);
            break;
        case RowKind::GlobalMarks: instants(m_model.global_instants); break;
        case RowKind::ThreadMarks:
            if (row.index < m_model.threads.size()) {
                instants(m_model.threads[row.index].instants);
                samples(m_model.threads[row.index].samples);
            }
            break;
        case RowKind::Counter: counter(row); break;
        case RowKind::ThreadRuns: thread_runs(row); break;
        case RowKind::ThreadBlocking: blocking(row); break;
        case RowKind::ThreadLag: lag(row); break;
        case RowKind::ThreadSpans: thread_spans(row); break;
        case RowKind::Task:
            if (row.index < m_model.tasks.size()) task(TaskIndex{row.index}, row.expanded);
            break;
        case RowKind::TaskPack: task_pack(row); break;
        case RowKind::TaskSpans: task_spans(row); break;
        }
    }

    void global_lines() {
        const lanes::Instants lane(m_model.instants, m_model.global_instants);
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = m_out.global_marks.emplace_back();
            m.x0 = static_cast<float>(m_view.x_of(b));
            m.x1 = static_cast<float>(m_view.x_of(e));
            m.kind = MarkKind::Instant;
            m.count = static_cast<uint32_t>(n);
            m.begin = b;
            m.end = e;
            m.selection = {Selection::Kind::Instant, lane.index(p)};
        });
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

    // Instants fold like any lane: zero-width items closer than a few pixels become one counted mark.
    void instants(Range range) {
        const lanes::Instants lane(m_model.instants, range);
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::Instant, b, e, n, {Selection::Kind::Instant, lane.index(p)});
            if (n == 1) {
                const std::string_view name = m_model.string(m_model.location(lane.items[p].location).name);
                m.color_key = color_key_for_name(name);
                if (m_options.labels) m.label = name;
            }
        });
    }

    void samples(Range range) {
        const lanes::Samples lane(m_model.samples, range);
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            add(MarkKind::Sample, b, e, n, {Selection::Kind::Sample, lane.index(p)});
        });
    }

    void counter(const LaneRow& row) {
        if (row.index >= m_model.counters.size()) return;
        const CounterTrack& track = m_model.counters[row.index];
        const double lo = track.min;
        const double span = track.max - track.min;
        // A constant track draws at half height: a line at the bottom would read as "zero".
        auto norm = [&](double v) -> float {
            if (std::isnan(v)) return std::numeric_limits<float>::quiet_NaN();
            return span > 0 ? static_cast<float>(std::clamp((v - lo) / span, 0.0, 1.0)) : 0.5f;
        };
        const uint32_t colour = color_key_for_name(m_model.string(track.name)) ^
                                color_key_for_name(m_model.string(track.series));
        fold_counter(m_model.counter_samples, track.samples, m_model.end, m_view, m_options.counters,
                     [&](const CounterStep& step) {
                         // Selection: the sample whose value holds at the step's right end.
                         DrawMark& m = add(MarkKind::Counter, step.begin, step.end, step.count,
                                           {Selection::Kind::CounterSample, step.first + step.count - 1});
                         m.color_key = colour | 1u;
                         m.value_lo = norm(step.lo);
                         m.value_hi = norm(step.hi);
                         m.value = norm(step.last);
                     });
    }

    void thread_runs(const LaneRow& row) {
        if (row.index >= m_model.threads.size()) return;
        const lanes::Runs lane(m_model, m_model.threads[row.index].run_slices);
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::RunSlice, b, e, n, {Selection::Kind::RunSlice, lane.index(p)});
            if (n > 1) m.value = coverage(lane, p, n, b, e);
            if (n == 1) {
                const TaskIndex t = m_model.runs.task[lane.index(p)];
                m.color_key = task_color(m_model, t);
                if (m_options.labels) m.label = task_shown_name(m_model, t);
            }
        });
    }

    void blocking(const LaneRow& row) {
        if (row.index >= m_model.threads.size()) return;
        const lanes::Blocking lane(m_model.blocking, m_model.threads[row.index].blocking);
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::Blocking, b, e, n, {Selection::Kind::Blocking, lane.index(p)});
            if (n > 1) m.value = coverage(lane, p, n, b, e);
        });
    }

    void lag(const LaneRow& row) {
        if (row.index >= m_model.threads.size()) return;
        const lanes::Lag lane(m_model, m_model.threads[row.index].lag);
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::Lag, b, e, n, {Selection::Kind::LagSample, lane.index(p)});
            // The worst of the folded samples: what the heat strip shows at an overview.
            Time worst = 0;
            for (size_t k = 0; k < n; ++k) worst = std::max(worst, m_model.lag[lane.index(p + k)].lag);
            m.value = static_cast<float>(static_cast<double>(worst) / 1e6);
        });
    }

    void thread_spans(const LaneRow& row) {
        if (row.index >= m_model.threads.size()) return;
        const Thread& thread = m_model.threads[row.index];
        if (row.depth >= thread.span_depths.size()) return;
        const lanes::ThreadSpans lane(m_model.thread_spans, thread.span_depths[row.depth]);
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::ThreadSpan, b, e, n, {Selection::Kind::ThreadSpan, lane.index(p)});
            if (n > 1) m.value = coverage(lane, p, n, b, e);
            if (n == 1) {
                const ThreadSpan& s = lane.items[p];
                const std::string_view name = m_model.string(s.name);
                m.color_key = color_key_for_name(name);
                m.unfinished = s.unfinished;
                if (m_options.labels) m.label = name;
            }
        });
    }

    // A packed row: each task wide enough drawn as on a row of its own, narrow ones as one bar,
    // narrower ones folded. A fold
    // is shaded by how much of its time its tasks were alive, and says whether one of them failed.
    void task_pack(const LaneRow& row) {
        const lanes::PackedTasks lane{m_layout.pack_items(row), m_layout.pack_begins(row),
                                      m_layout.pack_ends(row)};
        // Below this width a task's states (running, awaiting, scheduled) would be a pixel or two
        // each: it is drawn as one bar in its colour, which also keeps an overview to a few
        // marks per task.
        constexpr double kStatesPx = 8.0;
        const double narrow_ns = std::max(m_options.lod.min_px, kStatesPx) * m_view.ns_per_px();
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            const TaskIndex ti{lane.index(p)};
            if (n == 1 && static_cast<double>(e - b) >= narrow_ns) {
                task(ti, false);
                return;
            }
            // A fold, or a task too narrow to show its states: one mark. A lone narrow task keeps
            // its colour; the tasks of a fold are grey, deeper the more of its time they were alive.
            DrawMark& m = add(MarkKind::TaskFold, b, e, n, {Selection::Kind::Task, ti.value});
            if (n == 1) {
                m.value = 1.0f;
                m.color_key = task_color(m_model, ti);
                const TaskState state = m_model.tasks[ti.value].state;
                m.aux = state == TaskState::Error ? kEndedFailed : state == TaskState::Cancelled ? kEndedCancelled : 0;
                if (m_layout.inner_failed(ti)) m.aux |= kInnerFailed;
                return;
            }
            const double alive = static_cast<double>(m_layout.pack_alive(row, p, n));
            m.value = e > b ? static_cast<float>(std::min(1.0, alive / static_cast<double>(e - b))) : 1.0f;
            m.aux = m_layout.pack_failed(row, p, n) > 0      ? kEndedFailed
                    : m_layout.pack_cancelled(row, p, n) > 0 ? kEndedCancelled
                                                             : 0;
            if (m_layout.pack_inner_failed(row, p, n) > 0) m.aux |= kInnerFailed;
        });
    }

    // `expanded`: its children have rows of their own, so their failures show there.
    void task(TaskIndex ti, bool expanded) {
        const Task& t = m_model.tasks[ti.value];
        const uint32_t colour = task_color(m_model, ti);
        const Selection task_sel{Selection::Kind::Task, ti.value};

        const lanes::TaskScheduled scheduled(m_model, t);
        const Time life_end = scheduled.task_end;
        if (life_end >= m_view.begin && scheduled.created <= m_view.end) {
            DrawMark& life = add(MarkKind::TaskLifetime, scheduled.created, life_end, 1, task_sel);
            life.color_key = colour;
            life.unfinished = t.completed == kNoTime;
            life.aux = t.state == TaskState::Error       ? kEndedFailed
                       : t.state == TaskState::Cancelled ? kEndedCancelled
                                                         : 0;
            if (!expanded && m_layout.inner_failed(ti)) life.aux |= kInnerFailed;
            if (m_options.labels) life.label = task_shown_name(m_model, ti);
        }
        if (task_known_from_spans_only(t)) {
            // A task known only from its async spans (imported traces: a top-level async slice)
            // never ran on a thread: "scheduled" would be false. Its top-level spans show instead.
            top_level_spans(ti, t, colour);
            return;
        }
        fold_lane(scheduled, m_view, m_task_lod, [&](size_t, size_t n, Time b, Time e) {
            if (e > b || n > 1) add(MarkKind::TaskScheduled, b, e, n, task_sel);
        });
        const lanes::Awaits awaits(m_model.awaits, t.awaits);
        fold_lane(awaits, m_view, m_task_lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::TaskAwaiting, b, e, n, {Selection::Kind::AwaitPoint, awaits.index(p)});
            if (n == 1) {
                m.unfinished = awaits.items[p].unfinished;
                if (m_options.labels) m.label = m_model.string(awaits.items[p].awaitable);
            }
        });
        const lanes::TaskRuns runs(m_model, t);
        const bool migrated = t.migrated();
        fold_lane(runs, m_view, m_task_lod, [&](size_t p, size_t n, Time b, Time e) {
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

    // The spans of `t` whose parent is not its own, in begin order: they don't overlap when the
    // task's spans nest, and a damaged overlap only draws imperfectly.
    void top_level_spans(TaskIndex ti, const Task& t, uint32_t colour) {
        m_top_spans.clear();
        const Range r = lanes::clamp_range(t.spans, m_model.task_spans.size());
        for (uint32_t k = r.first; k < r.end(); ++k) {
            const AsyncSpanIndex s = m_model.task_spans[k];
            if (s.value >= m_model.async_spans.size()) continue;
            const AsyncSpanIndex parent = m_model.async_spans[s.value].parent;
            if (parent.valid() && parent.value < m_model.async_spans.size() &&
                m_model.async_spans[parent.value].task.value == ti.value)
                continue;
            m_top_spans.push_back(s);
        }
        const lanes::AsyncSpans lane{&m_model.async_spans, m_top_spans};
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::AsyncSpan, b, e, n, {Selection::Kind::Task, ti.value});
            m.color_key = colour;
            if (n == 1) {
                const AsyncSpan& s = m_model.async_spans[lane.index(p)];
                m.unfinished = s.unfinished;
                if (m_options.labels) m.label = m_model.string(s.name);
            }
        });
    }

    void task_spans(const LaneRow& row) {
        const lanes::AsyncSpans lane{&m_model.async_spans, m_layout.items(row)};
        fold_lane(lane, m_view, m_options.lod, [&](size_t p, size_t n, Time b, Time e) {
            DrawMark& m = add(MarkKind::AsyncSpan, b, e, n, {Selection::Kind::AsyncSpan, lane.index(p)});
            if (n > 1) m.value = coverage(lane, p, n, b, e);
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
    LodOptions m_task_lod; // for the states inside a task's row
    uint32_t m_row = 0;
    std::vector<AsyncSpanIndex> m_top_spans; // scratch of top_level_spans()
};

} // namespace

void build_draw_list(const Model& model, const LaneLayout& layout, const ViewMapping& view, size_t first_row,
                     size_t last_row, DrawList& out, const DrawOptions& options) {
    out.clear();
    last_row = std::min(last_row, layout.size());
    first_row = std::min(first_row, last_row);
    out.pinned_rows = std::min(layout.pinned_rows(), layout.size());
    first_row = std::max(first_row, out.pinned_rows);
    last_row = std::max(last_row, first_row);
    out.first_row = first_row;
    out.last_row = last_row;
    out.row_marks.assign(layout.size(), Range{});
    std::vector<size_t> rows;
    out.for_each_row([&](size_t r) { rows.push_back(r); });

    // Rows are independent: with a second worker, each builds every other row (a dense thread
    // and the empty rows after it land on both), into its own list; the lists are then merged in
    // row order. The searches of a dense lane wait on memory, so two cores nearly halve the time.
    const bool split = options.workers > 1 && rows.size() >= 8;
    DrawList odd;
    auto build = [&](DrawList& into, size_t parity) {
        Builder builder(model, layout, view, into, options);
        for (size_t k = parity; k < rows.size(); k += split ? 2 : 1) {
            const size_t r = rows[k];
            const uint32_t before = static_cast<uint32_t>(into.marks.size());
            builder.build_row(r);
            out.row_marks[r] = Range{before, static_cast<uint32_t>(into.marks.size()) - before};
        }
    };
    if (!split) {
        build(out, 0);
    } else {
        std::thread worker([&] { build(odd, 1); });
        DrawList even;
        build(even, 0);
        worker.join();
        out.marks.reserve(even.marks.size() + odd.marks.size());
        for (size_t k = 0; k < rows.size(); ++k) {
            const size_t r = rows[k];
            const DrawList& from = k % 2 == 0 ? even : odd;
            const Range in = out.row_marks[r];
            out.row_marks[r] = Range{static_cast<uint32_t>(out.marks.size()), in.count};
            out.marks.insert(out.marks.end(), from.marks.begin() + in.first, from.marks.begin() + in.end());
        }
    }
    if (options.global_lines) Builder(model, layout, view, out, options).global_lines();
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
