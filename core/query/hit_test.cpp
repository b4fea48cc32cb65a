// Hit testing by index and the time range / name of a selected item.
#include "query/draw_list.h"
#include "query/lanes.h"
#include "query/task_names.h"

#include <algorithm>
#include <cmath>
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

// Points are drawn a few pixels wide: they are hit within at least this distance.
constexpr double kPointSlackPx = 4.0;

// The point nearest to t within slack, as (position, distance); position == size() if none.
template <class Lane>
std::pair<size_t, double> nearest_point(const Lane& lane, Time t, double slack_ns) {
    const size_t n = lane.size();
    const double td = static_cast<double>(t);
    const size_t p = first_ending_at_or_after(lane, 0, n, td);
    std::pair<size_t, double> best{n, slack_ns};
    for (size_t q : {p, p - 1}) { // p - 1 wraps past the end when p == 0
        if (q >= n) continue;
        const double d = std::abs(static_cast<double>(lane.begin(q)) - td);
        if (d <= best.second) best = {q, d};
    }
    return best;
}

template <class Lane>
bool hit_point(const Lane& lane, Time t, double slack_ns, Selection::Kind kind, Selection& out) {
    const auto [p, d] = nearest_point(lane, t, slack_ns);
    if (p >= lane.size()) return false;
    out = Selection{kind, lane.index(p)};
    return true;
}

// The sample of a counter track whose value holds at t: the last one at or before it.
bool hit_counter(const Model& model, uint32_t track, Time t, double slack_ns, Selection& out) {
    if (track >= model.counters.size()) return false;
    const Range r = lanes::clamp_range(model.counters[track].samples, model.counter_samples.size());
    if (r.empty()) return false;
    const auto times = std::span(model.counter_samples.time).subspan(r.first, r.count);
    const double td = static_cast<double>(t);
    auto it = std::partition_point(times.begin(), times.end(), [&](Time x) { return static_cast<double>(x) <= td; });
    if (it == times.begin()) {
        // Before the first sample: only a near miss of it counts.
        if (static_cast<double>(times.front()) - td > slack_ns) return false;
        it = std::next(it);
    }
    if (td > static_cast<double>(std::max(model.end, times.back())) + slack_ns) return false;
    out = Selection{Selection::Kind::CounterSample, r.first + static_cast<uint32_t>(it - times.begin()) - 1};
    return true;
}

// A task's run slice or await point under t, else the task itself while it was alive.
void hit_task(const Model& model, TaskIndex ti, Time t, double slack, Selection& out) {
    const Task& task = model.tasks[ti.value];
    if (hit(lanes::TaskRuns(model, task), t, slack, Selection::Kind::RunSlice, out)) return;
    if (hit(lanes::Awaits(model.awaits, task.awaits), t, slack, Selection::Kind::AwaitPoint, out)) return;
    const lanes::TaskScheduled life(model, task);
    const double td = static_cast<double>(t);
    if (td >= static_cast<double>(life.created) - slack && td <= static_cast<double>(life.task_end) + slack)
        out = Selection{Selection::Kind::Task, ti.value};
}

} // namespace

Selection hit_test(const Model& model, const LaneLayout& layout, const ViewMapping& view, size_t row_index,
                   double x, double slack_px) {
    Selection out;
    if (row_index >= layout.size()) return out;
    const LaneRow& row = layout.row(row_index);
    const Time t = view.time_at(x);
    const double slack = slack_px * view.ns_per_px();
    const double point_slack = std::max(slack_px, kPointSlackPx) * view.ns_per_px();
    switch (row.kind) {
    case RowKind::TaskGroup: break;
    case RowKind::Process:
        if (row.index < model.processes.size())
            hit_point(lanes::Instants(model.instants, model.processes[row.index].instants), t, point_slack,
                      Selection::Kind::Instant, out);
        break;
    case RowKind::GlobalMarks:
        hit_point(lanes::Instants(model.instants, model.global_instants), t, point_slack, Selection::Kind::Instant, out);
        break;
    case RowKind::ThreadMarks: {
        if (row.index >= model.threads.size()) break;
        const lanes::Instants instants(model.instants, model.threads[row.index].instants);
        const lanes::Samples samples(model.samples, model.threads[row.index].samples);
        const auto [i, di] = nearest_point(instants, t, point_slack);
        const auto [s, ds] = nearest_point(samples, t, point_slack);
        // The nearer one; an instant wins a tie, as it is drawn over the sample ticks.
        if (i < instants.size() && (s >= samples.size() || di <= ds))
            out = Selection{Selection::Kind::Instant, instants.index(i)};
        else if (s < samples.size())
            out = Selection{Selection::Kind::Sample, samples.index(s)};
        break;
    }
    case RowKind::Counter: hit_counter(model, row.index, t, slack, out); break;
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
    case RowKind::Task:
        if (row.index < model.tasks.size()) hit_task(model, TaskIndex{row.index}, t, slack, out);
        break;
    case RowKind::TaskPack: {
        const lanes::PackedTasks lane{layout.pack_items(row), layout.pack_begins(row), layout.pack_ends(row)};
        const size_t p = lanes::find_at(lane, t, slack);
        if (p < lane.size()) hit_task(model, TaskIndex{lane.index(p)}, t, slack, out);
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
    case Selection::Kind::Instant:
        if (s.index < model.instants.size()) return {model.instants[s.index].time, model.instants[s.index].time};
        break;
    case Selection::Kind::Sample:
        if (s.index < model.samples.size()) return {model.samples[s.index].time, model.samples[s.index].time};
        break;
    case Selection::Kind::CounterSample: {
        // From the sample to the next one of its track: the time its value holds.
        const uint32_t track = counter_track_of(model, s.index);
        if (track == UINT32_MAX || s.index >= model.counter_samples.size()) break;
        const Time b = model.counter_samples.time[s.index];
        const bool last = s.index + 1 >= model.counters[track].samples.end() || s.index + 1 >= model.counter_samples.size();
        return {b, std::max(b, last ? model.end : model.counter_samples.time[s.index + 1])};
    }
    case Selection::Kind::Flow:
        if (s.index < model.flows.size()) {
            const Flow& f = model.flows[s.index];
            return {std::min(f.from.time, f.to.time), std::max(f.from.time, f.to.time)};
        }
        break;
    }
    return {};
}

std::string counter_name(const Model& model, const CounterTrack& track) {
    std::string name(model.string(track.name));
    const std::string_view series = model.string(track.series);
    if (!series.empty()) name += (name.empty() ? "" : " \u00b7 ") + std::string(series);
    return name.empty() ? "counter" : name;
}

std::string selection_name(const Model& model, Selection s) {
    auto named = [](std::string_view name, const char* fallback) {
        return name.empty() ? std::string(fallback) : std::string(name);
    };
    auto task_name = [&](TaskIndex ti) -> std::string {
        if (ti.value >= model.tasks.size()) return "(unknown task)";
        return task_display_name(model, ti);
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
    case Selection::Kind::Instant:
        return s.index < model.instants.size()
                   ? named(model.string(model.location(model.instants[s.index].location).name), "instant")
                   : std::string{};
    case Selection::Kind::Sample: {
        if (s.index >= model.samples.size()) return {};
        const Sample& sample = model.samples[s.index];
        // The innermost frame says more than the sample's kind ("cpu").
        if (sample.frames.count > 0 && sample.frames.first < model.frames.size())
            return named(model.string(model.location(model.frames[sample.frames.first]).name), "sample");
        return named(model.string(sample.name), "sample");
    }
    case Selection::Kind::CounterSample: {
        const uint32_t track = counter_track_of(model, s.index);
        return track == UINT32_MAX ? std::string{} : counter_name(model, model.counters[track]);
    }
    case Selection::Kind::Flow:
        return s.index < model.flows.size()
                   ? named(model.string(model.location(model.flows[s.index].location).name), "flow")
                   : std::string{};
    }
    return {};
}

} // namespace weft
