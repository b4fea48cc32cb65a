#include "io/summary.h"

#include "analysis/await_stats.h"
#include "format/uuid.h"
#include "model/tick_clock.h"

#include <algorithm>

namespace weft::io {

namespace {

double to_ms(Time t) { return static_cast<double>(t) / 1e6; }
double to_s(Time t) { return static_cast<double>(t) / 1e9; }

std::vector<SummaryProcess> describe_processes(const Model& model) {
    std::vector<SummaryProcess> out;
    out.reserve(model.processes.size());
    for (const Process& p : model.processes) {
        SummaryProcess sp;
        sp.process_id = format::to_string(p.process_id);
        sp.exe = p.exe;
        sp.hostname = p.hostname;
        sp.pid = p.pid;
        sp.start_time_ns = p.start_time_ns;
        sp.tick_frequency = p.tick_frequency;
        sp.instants = p.instants.count;
        for (uint32_t c = p.counters.first; c < p.counters.end() && c < model.counters.size(); ++c) {
            const CounterTrack& track = model.counters[c];
            sp.counters.push_back(SummaryCounter{std::string(model.string(track.name)),
                                                 std::string(model.string(track.series)), track.samples.count,
                                                 track.min, track.max});
        }
        for (ThreadIndex ti : p.threads) {
            if (ti.value >= model.threads.size()) continue;
            const Thread& t = model.thread(ti);
            SummaryThread st;
            st.name = t.name;
            st.stream_id = format::to_string(t.stream_id);
            st.os_thread_id = t.os_thread_id;
            st.tags = t.tags;
            st.event_loop = t.event_loop;
            st.events = t.events;
            st.dropped_events = t.dropped_events;
            st.run_slices = t.run_slices.count;
            for (const Range& depth : t.span_depths) st.thread_spans += depth.count;
            st.blocking_events = t.blocking.count;
            st.instants = t.instants.count;
            st.samples = t.samples.count;
            sp.threads.push_back(std::move(st));
        }
        out.push_back(std::move(sp));
    }
    return out;
}

} // namespace

std::string frame_label(const Model& model, LocationId id) {
    const Location& loc = model.location(id);
    const std::string_view name = model.string(loc.name);
    const std::string_view file = model.string(loc.file);
    std::string where(file);
    if (loc.line != 0) {
        // Appended piece by piece: `":" + std::to_string(...)` trips GCC 12's -Wrestrict when inlined.
        where += ':';
        where += std::to_string(loc.line);
    }
    if (name.empty()) return where;
    if (where.empty()) return std::string(name);
    std::string label(name);
    label += " (";
    label += where;
    label += ')';
    return label;
}

TraceSummary summarize(const Model& model, const SummaryOptions& options) {
    TraceSummary s;
    s.origin_ns = model.origin_ns;
    s.begin_s = to_s(model.begin);
    s.end_s = to_s(model.end);
    s.duration_ms = to_ms(model.end - model.begin);
    s.events = model.event_count;
    s.tasks = analysis::count_tasks(model);

    s.await_total = model.awaits.size();
    Time await_time = 0;
    for (const AwaitPoint& a : model.awaits) {
        await_time = TickClock::saturating_add(await_time, a.end - a.begin);
        if (a.unfinished) ++s.await_unfinished;
    }
    s.await_total_ms = to_ms(await_time);
    const std::vector<analysis::AwaitLocationStats> by_location = analysis::await_stats_by_location(model);
    s.await_locations = by_location.size();
    for (size_t i = 0; i < by_location.size() && i < options.top_locations; ++i) {
        const analysis::AwaitLocationStats& st = by_location[i];
        SummaryAwaitLocation row;
        row.location = model.location_label(st.location);
        row.function = model.string(model.location(st.location).name);
        row.awaitable = model.string(st.awaitable);
        row.count = st.count;
        row.total_ms = to_ms(st.total);
        row.mean_ms = to_ms(st.mean);
        row.p50_ms = to_ms(st.p50);
        row.p95_ms = to_ms(st.p95);
        row.p99_ms = to_ms(st.p99);
        row.max_ms = to_ms(st.max);
        s.top_locations.push_back(std::move(row));
    }

    s.blocking_threshold_ms = to_ms(options.blocking_threshold);
    s.blocking_total = model.blocking.size();
    const std::vector<uint32_t> above = analysis::blocking_above(model, options.blocking_threshold);
    s.blocking_above = above.size();
    for (size_t i = 0; i < above.size() && i < options.max_blocking_events; ++i) {
        if (above[i] >= model.blocking.size()) continue;
        const BlockingEvent& b = model.blocking[above[i]];
        SummaryBlockingEvent row;
        row.duration_ms = to_ms(b.duration());
        row.detected_at = to_s(b.end);
        if (b.thread.value < model.threads.size()) row.thread = model.thread(b.thread).name;
        if (b.task.value < model.tasks.size()) row.task_id = model.task(b.task).task_id;
        for (uint32_t f = b.frames.first; f < b.frames.end() && f < model.frames.size(); ++f)
            row.stack_trace.push_back(frame_label(model, model.frames[f]));
        s.blocking.push_back(std::move(row));
    }

    s.lag = analysis::lag_stats(model);
    s.thread_spans = model.thread_spans.size();
    s.async_spans = model.async_spans.size();
    s.flows = model.flows.size();
    s.instants = model.instants.size();
    s.global_instants = model.global_instants.count;
    s.counter_tracks = model.counters.size();
    s.counter_samples = model.counter_samples.size();
    s.samples = model.samples.size();
    s.processes = describe_processes(model);
    s.diagnostics = model.diagnostics;
    return s;
}

} // namespace weft::io
