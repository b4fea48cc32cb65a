#include "io/json_export.h"

#include "analysis/loop_lag.h"
#include "format/uuid.h"
#include "io/atomic_file.h"
#include "io/json_out.h"
#include "io/summary.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

namespace weft::io {

const char* task_state_name(TaskState state) {
    switch (state) {
    case TaskState::Ok: return "ok";
    case TaskState::Cancelled: return "cancelled";
    case TaskState::Error: return "error";
    case TaskState::Unfinished: return "unfinished";
    }
    return "unfinished";
}

namespace {

// Each thread owns a contiguous range of Model::runs: finding a run's thread is a binary search
// over the ranges' starts.
class RunThreads {
public:
    explicit RunThreads(const Model& model) {
        for (uint32_t i = 0; i < model.threads.size(); ++i)
            if (!model.threads[i].run_slices.empty()) m_starts.emplace_back(model.threads[i].run_slices.first, i);
        std::sort(m_starts.begin(), m_starts.end());
    }
    ThreadIndex thread_of(uint32_t run) const {
        auto it = std::upper_bound(m_starts.begin(), m_starts.end(), std::pair(run, UINT32_MAX));
        return it == m_starts.begin() ? ThreadIndex{} : ThreadIndex{std::prev(it)->second};
    }

private:
    std::vector<std::pair<uint32_t, uint32_t>> m_starts;
};

class Exporter {
public:
    Exporter(const Model& model, std::FILE* out, const ExportOptions& options)
        : m_model(model), m_j(out), m_options(options), m_runs(model) {}

    bool run() {
        m_j.begin_object();
        header();
        processes();
        threads();
        tasks();
        await_points();
        blocking_events();
        loop_metrics();
        async_spans();
        if (m_options.thread_spans) thread_spans();
        flows();
        instants();
        counters();
        samples();
        m_j.key("diagnostics");
        write_diagnostics(m_j, m_model.diagnostics);
        m_j.end_object();
        return m_j.finish();
    }

private:
    std::string_view thread_name(ThreadIndex t) const {
        return t.value < m_model.threads.size() ? std::string_view(m_model.thread(t).name) : std::string_view{};
    }
    void thread_or_null(ThreadIndex t) {
        if (t.value < m_model.threads.size()) m_j.string(m_model.thread(t).name);
        else m_j.null();
    }
    void task_id_or_null(TaskIndex t) {
        if (t.value < m_model.tasks.size()) m_j.uint(m_model.task(t).task_id);
        else m_j.null();
    }
    void location_fields(LocationId id) {
        const Location& loc = m_model.location(id);
        m_j.key("function").optional_string(m_model.string(loc.name));
        m_j.key("file").optional_string(m_model.string(loc.file));
        m_j.key("line");
        loc.line ? m_j.uint(loc.line) : m_j.null();
    }

    // The category of an imported slice (its location's target, when the location has no file).
    void category(LocationId id) {
        const Location& loc = m_model.location(id);
        m_j.key("category").optional_string(loc.file.value == 0 ? m_model.string(loc.target) : std::string_view{});
    }
    void name_of(LocationId id) { m_j.key("name").string(m_model.string(m_model.location(id).name)); }

    void header() {
        m_j.key("trace").begin_object();
        m_j.key("format_version").string(std::to_string(format::kMajorVersion) + "." +
                                         std::to_string(format::kMinorVersion));
        m_j.key("origin_unix_ns").uint(m_model.origin_ns);
        m_j.key("begin_s").seconds(m_model.begin);
        m_j.key("end_s").seconds(m_model.end);
        m_j.key("duration_ms").ms(m_model.end - m_model.begin);
        m_j.key("events").uint(m_model.event_count);
        m_j.end_object();
    }

    void processes() {
        m_j.key("processes").begin_array();
        for (const Process& p : m_model.processes) {
            m_j.begin_object();
            m_j.key("process_id").string(format::to_string(p.process_id));
            m_j.key("exe").string(p.exe);
            m_j.key("pid").uint(p.pid);
            m_j.key("hostname").string(p.hostname);
            m_j.key("start_time_ns").uint(p.start_time_ns);
            m_j.key("tick_frequency").uint(p.tick_frequency);
            m_j.key("properties").begin_object();
            for (const auto& [k, v] : p.properties) m_j.key(k).string(v);
            m_j.end_object();
            m_j.key("threads").begin_array();
            for (ThreadIndex t : p.threads) m_j.string(thread_name(t));
            m_j.end_array();
            m_j.key("root_tasks").uint(p.root_tasks.size());
            m_j.end_object();
        }
        m_j.end_array();
    }

    void threads() {
        m_j.key("threads").begin_array();
        for (const Thread& t : m_model.threads) {
            Time busy = 0;
            for (uint32_t r = t.run_slices.first; r < t.run_slices.end() && r < m_model.runs.size(); ++r)
                busy += m_model.runs.end[r] - m_model.runs.begin[r];
            m_j.begin_object();
            m_j.key("name").string(t.name);
            m_j.key("stream_id").string(format::to_string(t.stream_id));
            m_j.key("process").uint(t.process.value);
            m_j.key("os_thread_id").uint(t.os_thread_id);
            m_j.key("tags").begin_array();
            for (const std::string& tag : t.tags) m_j.string(tag);
            m_j.end_array();
            m_j.key("event_loop").boolean(t.event_loop);
            m_j.key("events").uint(t.events);
            m_j.key("dropped_events").uint(t.dropped_events);
            m_j.key("run_slices").uint(t.run_slices.count);
            m_j.key("busy_ms").ms(busy);
            m_j.key("blocking_events").uint(t.blocking.count);
            m_j.key("lag_samples").uint(t.lag.count);
            m_j.end_object();
        }
        m_j.end_array();
    }

    void tasks() {
        m_j.key("tasks").begin_array();
        std::vector<ThreadIndex> seen;
        for (const Task& t : m_model.tasks) {
            m_j.begin_object();
            m_j.key("task_id").uint(t.task_id);
            m_j.key("process").uint(t.process.value);
            m_j.key("name").string(m_model.string(t.name));
            m_j.key("coro_name").string(m_model.string(t.coro_name));
            m_j.key("created_at").seconds(t.created);
            m_j.key("started_at").seconds(t.first_run);
            m_j.key("completed_at").seconds(t.completed);
            m_j.key("state").string(task_state_name(t.state));
            m_j.key("cancelled").boolean(t.state == TaskState::Cancelled);
            m_j.key("exception");
            t.state == TaskState::Error ? m_j.string(m_model.string(t.error_message)) : m_j.null();
            m_j.key("message").optional_string(m_model.string(t.error_message));
            m_j.key("parent_task_id");
            task_id_or_null(t.parent);
            m_j.key("depth").uint(t.depth);
            m_j.key("children").uint(t.children.count);
            m_j.key("busy_ms").ms(t.busy);
            m_j.key("scheduled_ms").ms(t.scheduled);
            m_j.key("awaiting_ms").ms(t.awaiting);
            m_j.key("idle_ms").ms(t.idle);
            m_j.key("polls").uint(t.polls);
            seen.clear();
            for (uint32_t run : m_model.slices_of(t)) {
                const ThreadIndex th = m_runs.thread_of(run);
                if (th.valid() && std::find(seen.begin(), seen.end(), th) == seen.end()) seen.push_back(th);
            }
            m_j.key("threads").begin_array();
            for (ThreadIndex th : seen) m_j.string(thread_name(th));
            m_j.end_array();
            m_j.key("migrated").boolean(t.migrated());
            m_j.key("spawn_location").optional_string(m_model.location_label(t.spawn_location));
            m_j.key("created_seen").boolean(t.created_seen);
            m_j.end_object();
        }
        m_j.end_array();
    }

    void await_points() {
        m_j.key("await_points").begin_array();
        for (const AwaitPoint& a : m_model.awaits) {
            m_j.begin_object();
            m_j.key("task_id");
            task_id_or_null(a.task);
            m_j.key("awaitable_name").string(m_model.string(a.awaitable));
            location_fields(a.location);
            m_j.key("started_at").seconds(a.begin);
            m_j.key("resumed_at").seconds(a.unfinished ? kNoTime : a.end);
            m_j.key("duration_ms").ms(a.end - a.begin);
            m_j.key("unfinished").boolean(a.unfinished);
            m_j.end_object();
        }
        m_j.end_array();
    }

    void blocking_events() {
        m_j.key("blocking_events").begin_array();
        for (const BlockingEvent& b : m_model.blocking) {
            m_j.begin_object();
            m_j.key("detected_at").seconds(b.end);
            m_j.key("started_at").seconds(b.begin);
            m_j.key("duration_ms").ms(b.duration());
            m_j.key("thread");
            thread_or_null(b.thread);
            m_j.key("task_id");
            task_id_or_null(b.task);
            m_j.key("stack_trace").begin_array();
            for (uint32_t f = b.frames.first; f < b.frames.end() && f < m_model.frames.size(); ++f)
                m_j.string(frame_label(m_model, m_model.frames[f]));
            m_j.end_array();
            m_j.end_object();
        }
        m_j.end_array();
    }

    void loop_metrics() {
        const analysis::LagStats lag = analysis::lag_stats(m_model);
        m_j.key("event_loop_metrics").begin_object();
        m_j.key("avg_lag_ms").number(lag.avg_ms);
        m_j.key("max_lag_ms").number(lag.max_ms);
        m_j.key("p99_lag_ms").number(lag.p99_ms);
        m_j.key("samples").uint(lag.samples);
        if (m_options.lag_series) {
            m_j.key("series").begin_array();
            for (const LagSample& s : m_model.lag) {
                m_j.begin_object();
                m_j.key("time").seconds(s.time);
                m_j.key("lag_ms").ms(s.lag);
                m_j.key("thread");
                thread_or_null(s.thread);
                m_j.end_object();
            }
            m_j.end_array();
        }
        m_j.end_object();
    }

    void async_spans() {
        m_j.key("async_spans").begin_array();
        for (const AsyncSpan& s : m_model.async_spans) {
            m_j.begin_object();
            m_j.key("span_id").uint(s.span_id);
            m_j.key("process").uint(s.process.value);
            m_j.key("name").string(m_model.string(s.name));
            m_j.key("parent_span_id");
            s.parent.value < m_model.async_spans.size() ? m_j.uint(m_model.async_spans[s.parent.value].span_id)
                                                        : m_j.null();
            m_j.key("depth").uint(s.depth);
            m_j.key("location").optional_string(m_model.location_label(s.location));
            m_j.key("begin_at").seconds(s.begin);
            m_j.key("end_at").seconds(s.unfinished ? kNoTime : s.end);
            m_j.key("duration_ms").ms(s.end - s.begin);
            m_j.key("begin_thread");
            thread_or_null(s.begin_thread);
            m_j.key("end_thread");
            thread_or_null(s.end_thread);
            m_j.key("task_id");
            task_id_or_null(s.task);
            m_j.key("unfinished").boolean(s.unfinished);
            category(s.location);
            m_j.key("args").json_value(m_model.string(s.args));
            m_j.end_object();
        }
        m_j.end_array();
    }

    void thread_spans() {
        m_j.key("thread_spans").begin_array();
        for (const Thread& t : m_model.threads) {
            for (const Range& r : t.span_depths) {
                for (uint32_t i = r.first; i < r.end() && i < m_model.thread_spans.size(); ++i) {
                    const ThreadSpan& s = m_model.thread_spans[i];
                    m_j.begin_object();
                    m_j.key("thread").string(t.name);
                    m_j.key("name").string(m_model.string(s.name));
                    m_j.key("location").optional_string(m_model.location_label(s.location));
                    m_j.key("depth").uint(s.depth);
                    m_j.key("begin_at").seconds(s.begin);
                    m_j.key("end_at").seconds(s.unfinished ? kNoTime : s.end);
                    m_j.key("duration_ms").ms(s.end - s.begin);
                    m_j.key("unfinished").boolean(s.unfinished);
                    category(s.location);
                    m_j.key("args").json_value(m_model.string(s.args));
                    m_j.end_object();
                }
            }
        }
        m_j.end_array();
    }

    void flow_end(const FlowEnd& e) {
        m_j.begin_object();
        m_j.key("time").seconds(e.time);
        m_j.key("thread");
        thread_or_null(e.thread);
        m_j.key("depth");
        e.on_thread_span() ? m_j.uint(e.depth) : m_j.null();
        m_j.key("async_span_id");
        e.async_span.value < m_model.async_spans.size() ? m_j.uint(m_model.async_spans[e.async_span.value].span_id)
                                                        : m_j.null();
        m_j.end_object();
    }

    void flows() {
        m_j.key("flows").begin_array();
        for (const Flow& f : m_model.flows) {
            m_j.begin_object();
            m_j.key("flow_id").uint(f.flow_id);
            name_of(f.location);
            category(f.location);
            m_j.key("from");
            flow_end(f.from);
            m_j.key("to");
            flow_end(f.to);
            m_j.end_object();
        }
        m_j.end_array();
    }

    void instants() {
        static const char* const kScopes[] = {"thread", "process", "global"};
        m_j.key("instants").begin_array();
        for (const Instant& i : m_model.instants) {
            m_j.begin_object();
            name_of(i.location);
            category(i.location);
            m_j.key("time").seconds(i.time);
            m_j.key("scope").string(kScopes[static_cast<int>(i.scope) % 3]);
            m_j.key("thread");
            thread_or_null(i.thread);
            m_j.key("args").json_value(m_model.string(i.args));
            m_j.end_object();
        }
        m_j.end_array();
    }

    void counters() {
        m_j.key("counters").begin_array();
        const CounterSamples& cs = m_model.counter_samples;
        for (const CounterTrack& c : m_model.counters) {
            m_j.begin_object();
            m_j.key("process").uint(c.process.value);
            m_j.key("name").string(m_model.string(c.name));
            m_j.key("series").string(m_model.string(c.series));
            m_j.key("samples").begin_array();
            for (uint32_t k = c.samples.first; k < c.samples.end() && k < cs.size(); ++k) {
                m_j.begin_array();
                m_j.seconds(cs.time[k]);
                m_j.number(cs.value[k]);
                m_j.end_array();
            }
            m_j.end_array();
            m_j.end_object();
        }
        m_j.end_array();
    }

    void samples() {
        m_j.key("samples").begin_array();
        for (const Sample& s : m_model.samples) {
            m_j.begin_object();
            m_j.key("time").seconds(s.time);
            m_j.key("thread");
            thread_or_null(s.thread);
            m_j.key("name").string(m_model.string(s.name));
            m_j.key("weight").uint(s.weight);
            m_j.key("stack").begin_array();
            for (uint32_t f = s.frames.first; f < s.frames.end() && f < m_model.frames.size(); ++f)
                m_j.string(frame_label(m_model, m_model.frames[f]));
            m_j.end_array();
            m_j.end_object();
        }
        m_j.end_array();
    }

    const Model& m_model;
    JsonOut m_j;
    ExportOptions m_options;
    RunThreads m_runs;
};

} // namespace

bool export_json(const Model& model, std::FILE* out, const ExportOptions& options) {
    // The exporter holds a 64 KiB buffer: keep it off the caller's stack.
    auto exporter = std::make_unique<Exporter>(model, out, options);
    return exporter->run();
}

bool export_json_file(const Model& model, const std::string& path, std::string& error,
                      const ExportOptions& options) {
    // Whole or not at all: a failed export leaves no half-written document under `path`.
    return write_file_atomically(path, error, [&](std::FILE* f) { return export_json(model, f, options); });
}

} // namespace weft::io
