#include "model_dump.h"

#include <sstream>

namespace weft::test {

namespace {

std::string task_ref(const Model& m, TaskIndex t) {
    if (!t.valid() || t.value >= m.tasks.size()) return "-";
    return "#" + std::to_string(m.tasks[t.value].task_id);
}

std::string thread_ref(const Model& m, ThreadIndex t) {
    if (!t.valid() || t.value >= m.threads.size()) return "-";
    return m.threads[t.value].name;
}

std::string loc(const Model& m, LocationId id) {
    const Location& l = m.location(id);
    if (id.value == 0) return "-";
    return std::string(m.string(l.name)) + "@" + std::string(m.string(l.file)) + ":" + std::to_string(l.line);
}

const char* state_name(TaskState s) {
    switch (s) {
    case TaskState::Ok: return "ok";
    case TaskState::Cancelled: return "cancelled";
    case TaskState::Error: return "error";
    case TaskState::Unfinished: return "unfinished";
    }
    return "?";
}

std::string instant(const Model& m, const Instant& i) {
    static const char* const kScopes[] = {"t", "p", "g"};
    return std::to_string(i.time) + ":" + loc(m, i.location) + "/" + kScopes[static_cast<int>(i.scope) % 3] + "@" +
           thread_ref(m, i.thread) + (i.args.value ? "(" + std::string(m.string(i.args)) + ")" : "");
}

std::string flow_end(const Model& m, const FlowEnd& e) {
    std::string s = thread_ref(m, e.thread) + "@" + std::to_string(e.time);
    if (e.on_thread_span()) s += "/d" + std::to_string(e.depth);
    if (e.async_span.valid() && e.async_span.value < m.async_spans.size())
        s += "/a" + std::to_string(m.async_spans[e.async_span.value].span_id);
    return s;
}

} // namespace

std::string dump_model(const Model& m) {
    std::ostringstream o;
    o << "origin " << m.origin_ns << " span [" << m.begin << "," << m.end << "] events " << m.event_count << "\n";
    for (const Process& p : m.processes) {
        o << "process " << p.exe << " pid " << p.pid << " start " << p.start_time_ns << " roots";
        for (TaskIndex t : p.root_tasks) o << " " << task_ref(m, t);
        o << "\n";
    }
    for (const Thread& t : m.threads) {
        o << "thread " << t.name << " p" << t.process.value << " loop " << t.event_loop << " events " << t.events
          << " dropped " << t.dropped_events << "\n  runs";
        for (uint32_t i = t.run_slices.first; i < t.run_slices.end(); ++i)
            o << " [" << m.runs.begin[i] << "," << m.runs.end[i] << "]" << task_ref(m, m.runs.task[i]);
        for (size_t d = 0; d < t.span_depths.size(); ++d) {
            o << "\n  spans@" << d;
            const Range r = t.span_depths[d];
            for (uint32_t i = r.first; i < r.end(); ++i) {
                const ThreadSpan& s = m.thread_spans[i];
                o << " [" << s.begin << "," << s.end << "]" << m.string(s.name) << "/" << loc(m, s.location)
                  << (s.args.value ? "(" + std::string(m.string(s.args)) + ")" : "") << (s.unfinished ? "!" : "");
            }
        }
        o << "\n  blocking";
        for (uint32_t i = t.blocking.first; i < t.blocking.end(); ++i) {
            const BlockingEvent& b = m.blocking[i];
            o << " [" << b.begin << "," << b.end << "]" << task_ref(m, b.task) << "{";
            for (uint32_t f = b.frames.first; f < b.frames.end(); ++f) o << loc(m, m.frames[f]) << ";";
            o << "}";
        }
        o << "\n  lag";
        for (uint32_t i = t.lag.first; i < t.lag.end(); ++i) o << " " << m.lag[i].time << ":" << m.lag[i].lag;
        o << "\n  instants";
        for (uint32_t i = t.instants.first; i < t.instants.end(); ++i) o << " " << instant(m, m.instants[i]);
        o << "\n  samples";
        for (uint32_t i = t.samples.first; i < t.samples.end(); ++i) {
            const Sample& x = m.samples[i];
            o << " " << x.time << ":" << m.string(x.name) << "x" << x.weight << "{";
            for (uint32_t f = x.frames.first; f < x.frames.end(); ++f) o << loc(m, m.frames[f]) << ";";
            o << "}";
        }
        o << "\n";
    }
    for (const Process& p : m.processes) {
        o << "process " << p.exe << " instants";
        for (uint32_t i = p.instants.first; i < p.instants.end(); ++i) o << " " << instant(m, m.instants[i]);
        o << " counters";
        for (uint32_t c = p.counters.first; c < p.counters.end(); ++c) {
            const CounterTrack& track = m.counters[c];
            o << " " << m.string(track.name) << "/" << m.string(track.series) << "[" << track.min << ".." << track.max
              << "]{";
            for (uint32_t k = track.samples.first; k < track.samples.end(); ++k)
                o << m.counter_samples.time[k] << "=" << m.counter_samples.value[k] << ";";
            o << "}";
        }
        o << "\n";
    }
    o << "global instants";
    for (uint32_t i = m.global_instants.first; i < m.global_instants.end(); ++i) o << " " << instant(m, m.instants[i]);
    o << "\n";
    for (const Flow& f : m.flows)
        o << "flow " << f.flow_id << " " << loc(m, f.location) << " " << flow_end(m, f.from) << " -> "
          << flow_end(m, f.to) << "\n";
    for (const Task& t : m.tasks) {
        o << "task #" << t.task_id << " p" << t.process.value << " parent " << task_ref(m, t.parent) << " name "
          << m.string(t.name) << " coro " << m.string(t.coro_name) << " at " << loc(m, t.spawn_location) << " "
          << state_name(t.state) << " msg " << m.string(t.error_message) << " seen " << t.created_seen << " created "
          << t.created << " first_run " << t.first_run << " completed " << t.completed << " busy " << t.busy
          << " scheduled " << t.scheduled << " awaiting " << t.awaiting << " idle " << t.idle << " polls "
          << t.polls << " depth " << t.depth << " threads " << t.thread_count << "\n  children";
        for (TaskIndex c : m.children(t)) o << " " << task_ref(m, c);
        o << "\n  slices";
        for (uint32_t s : m.slices_of(t)) o << " [" << m.runs.begin[s] << "," << m.runs.end[s] << "]";
        o << "\n  awaits";
        for (const AwaitPoint& a : m.awaits_of(t))
            o << " [" << a.begin << "," << a.end << "]" << m.string(a.awaitable) << "/" << loc(m, a.location)
              << (a.unfinished ? "!" : "");
        o << "\n  spans";
        for (uint32_t i = t.spans.first; i < t.spans.end(); ++i) o << " " << m.async_spans[m.task_spans[i].value].span_id;
        o << "\n";
    }
    for (const AsyncSpan& s : m.async_spans) {
        o << "aspan " << s.span_id << " [" << s.begin << "," << s.end << "] parent "
          << (s.parent.valid() ? std::to_string(m.async_spans[s.parent.value].span_id) : "-") << " depth " << s.depth
          << " name " << m.string(s.name) << " at " << loc(m, s.location)
          << (s.args.value ? " args " + std::string(m.string(s.args)) : "") << " threads " << thread_ref(m, s.begin_thread)
          << ">" << thread_ref(m, s.end_thread) << " task " << task_ref(m, s.task) << (s.unfinished ? " !" : "")
          << "\n";
    }
    const Diagnostics& d = m.diagnostics;
    o << "diag ut " << d.unfinished_tasks << " ur " << d.unfinished_runs << " ua " << d.unfinished_awaits << " uas "
      << d.unfinished_async_spans << " uts " << d.unfinished_thread_spans << " ore " << d.orphan_run_ends << " oae "
      << d.orphan_await_ends << " oase " << d.orphan_async_span_ends << " otse " << d.orphan_thread_span_ends
      << " unk_task " << d.events_for_unknown_tasks << " dup_task " << d.duplicate_task_ids << " dup_span "
      << d.duplicate_span_ids << " back " << d.time_backwards << " unk_ev " << d.unknown_events << " nostream "
      << d.blocks_without_stream << " dropped " << d.dropped_events << " uflow " << d.unfinished_flows << " oflow "
      << d.orphan_flow_ends << "\n";
    for (const auto& [label, count] : d.notes) o << "note " << label << " " << count << "\n";
    return o.str();
}

TaskIndex find_task(const Model& model, uint64_t task_id) {
    for (size_t i = 0; i < model.tasks.size(); ++i)
        if (model.tasks[i].task_id == task_id) return TaskIndex{static_cast<uint32_t>(i)};
    return {};
}

ThreadIndex find_thread(const Model& model, std::string_view name) {
    for (size_t i = 0; i < model.threads.size(); ++i)
        if (model.threads[i].name == name) return ThreadIndex{static_cast<uint32_t>(i)};
    return {};
}

AsyncSpanIndex find_span(const Model& model, uint64_t span_id) {
    for (size_t i = 0; i < model.async_spans.size(); ++i)
        if (model.async_spans[i].span_id == span_id) return AsyncSpanIndex{static_cast<uint32_t>(i)};
    return {};
}

} // namespace weft::test
