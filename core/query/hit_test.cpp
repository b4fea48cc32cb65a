// Hit testing by index and the time range / name of a selected item.
#include "query/draw_list.h"
#include "query/lanes.h"

#include <string>

namespace weft {

namespace {

template <class Lane>
bool hit(const Lane& lane, Time t, double slack_ns, Selection::Kind kind, Selection& out) {
    const size_t p = lanes::find_at(lane, t, slack_ns);
    if (p >= lane.size()) return false;
    out = Selection{kind, lane.index(p)};
    return true;
}

} // namespace

Selection hit_test(const Model& model, const LaneLayout& layout, const ViewMapping& view, size_t row_index,
                   double x, double slack_px) {
    Selection out;
    if (row_index >= layout.size()) return out;
    const LaneRow& row = layout.row(row_index);
    const Time t = view.time_at(x);
    const double slack = slack_px * view.ns_per_px();
    switch (row.kind) {
    case RowKind::Process:
    case RowKind::TaskGroup: break;
    case RowKind::ThreadRuns:
        if (row.index < model.threads.size())
            hit(lanes::Runs(model, model.threads[row.index].run_slices), t, slack, Selection::Kind::RunSlice, out);
        break;
    case RowKind::ThreadBlocking:
        if (row.index < model.threads.size())
            hit(lanes::Blocking(model.blocking, model.threads[row.index].blocking), t, slack,
                Selection::Kind::Blocking, out);
        break;
    case RowKind::ThreadLag:
        if (row.index < model.threads.size())
            hit(lanes::Lag(model, model.threads[row.index].lag), t, slack, Selection::Kind::LagSample, out);
        break;
    case RowKind::ThreadSpans:
        if (row.index < model.threads.size() && row.depth < model.threads[row.index].span_depths.size())
            hit(lanes::ThreadSpans(model.thread_spans, model.threads[row.index].span_depths[row.depth]), t, slack,
                Selection::Kind::ThreadSpan, out);
        break;
    case RowKind::Task: {
        if (row.index >= model.tasks.size()) break;
        const Task& task = model.tasks[row.index];
        if (hit(lanes::TaskRuns(model, task), t, slack, Selection::Kind::RunSlice, out)) break;
        if (hit(lanes::Awaits(model.awaits, task.awaits), t, slack, Selection::Kind::AwaitPoint, out)) break;
        const lanes::TaskScheduled life(model, task);
        const double td = static_cast<double>(t);
        if (td >= static_cast<double>(life.created) - slack && td <= static_cast<double>(life.task_end) + slack)
            out = Selection{Selection::Kind::Task, row.index};
        break;
    }
    case RowKind::TaskSpans:
        hit(lanes::AsyncSpans{&model.async_spans, layout.items(row)}, t, slack, Selection::Kind::AsyncSpan, out);
        break;
    }
    return out;
}

TimeRange selection_range(const Model& model, Selection s) {
    switch (s.kind) {
    case Selection::Kind::None: break;
    case Selection::Kind::Task:
        if (s.index < model.tasks.size()) {
            const Task& t = model.tasks[s.index];
            const Time b = t.created != kNoTime ? t.created : (t.first_run != kNoTime ? t.first_run : model.begin);
            return {b, std::max(b, t.end_or(model.end))};
        }
        break;
    case Selection::Kind::RunSlice:
        if (s.index < model.runs.size()) return {model.runs.begin[s.index], model.runs.end[s.index]};
        break;
    case Selection::Kind::ThreadSpan:
        if (s.index < model.thread_spans.size()) return {model.thread_spans[s.index].begin, model.thread_spans[s.index].end};
        break;
    case Selection::Kind::AwaitPoint:
        if (s.index < model.awaits.size()) return {model.awaits[s.index].begin, model.awaits[s.index].end};
        break;
    case Selection::Kind::AsyncSpan:
        if (s.index < model.async_spans.size()) return {model.async_spans[s.index].begin, model.async_spans[s.index].end};
        break;
    case Selection::Kind::Blocking:
        if (s.index < model.blocking.size()) return {model.blocking[s.index].begin, model.blocking[s.index].end};
        break;
    case Selection::Kind::LagSample:
        if (s.index < model.lag.size()) {
            const LagSample& l = model.lag[s.index];
            return {l.time - std::max<Time>(l.lag, 0), l.time};
        }
        break;
    }
    return {};
}

std::string selection_name(const Model& model, Selection s) {
    auto task_name = [&](TaskIndex ti) -> std::string {
        if (ti.value >= model.tasks.size()) return "(unknown task)";
        const Task& t = model.tasks[ti.value];
        std::string_view n = model.string(t.name);
        if (n.empty()) n = model.string(t.coro_name);
        return n.empty() ? "task " + std::to_string(t.task_id) : std::string(n);
    };
    switch (s.kind) {
    case Selection::Kind::None: return {};
    case Selection::Kind::Task: return task_name(TaskIndex{s.index});
    case Selection::Kind::RunSlice:
        return s.index < model.runs.size() ? "run of " + task_name(model.runs.task[s.index]) : std::string{};
    case Selection::Kind::ThreadSpan:
        return s.index < model.thread_spans.size() ? std::string(model.string(model.thread_spans[s.index].name))
                                                   : std::string{};
    case Selection::Kind::AwaitPoint:
        return s.index < model.awaits.size()
                   ? "await " + std::string(model.string(model.awaits[s.index].awaitable))
                   : std::string{};
    case Selection::Kind::AsyncSpan:
        return s.index < model.async_spans.size() ? std::string(model.string(model.async_spans[s.index].name))
                                                  : std::string{};
    case Selection::Kind::Blocking: return "blocking";
    case Selection::Kind::LagSample: return "event-loop lag";
    }
    return {};
}

} // namespace weft
