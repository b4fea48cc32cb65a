#include "io/diagnostic_counters.h"
#include "io/json_out.h"
#include "io/summary.h"

namespace weft::io {

namespace {

void write_processes(JsonOut& j, const std::vector<SummaryProcess>& processes) {
    j.begin_array();
    for (const SummaryProcess& p : processes) {
        j.begin_object();
        j.key("process_id").string(p.process_id);
        j.key("exe").string(p.exe);
        j.key("pid").uint(p.pid);
        j.key("hostname").string(p.hostname);
        j.key("start_time_ns").uint(p.start_time_ns);
        j.key("tick_frequency").uint(p.tick_frequency);
        j.key("instants").uint(p.instants);
        j.key("counters").begin_array();
        for (const SummaryCounter& c : p.counters) {
            j.begin_object();
            j.key("name").string(c.name);
            j.key("series").string(c.series);
            j.key("samples").uint(c.samples);
            j.key("min").number(c.min);
            j.key("max").number(c.max);
            j.end_object();
        }
        j.end_array();
        j.key("threads").begin_array();
        for (const SummaryThread& t : p.threads) {
            j.begin_object();
            j.key("name").string(t.name);
            j.key("stream_id").string(t.stream_id);
            j.key("os_thread_id").uint(t.os_thread_id);
            j.key("tags").begin_array();
            for (const std::string& tag : t.tags) j.string(tag);
            j.end_array();
            j.key("event_loop").boolean(t.event_loop);
            j.key("events").uint(t.events);
            j.key("dropped_events").uint(t.dropped_events);
            j.key("run_slices").uint(t.run_slices);
            j.key("thread_spans").uint(t.thread_spans);
            j.key("blocking_events").uint(t.blocking_events);
            j.key("instants").uint(t.instants);
            j.key("samples").uint(t.samples);
            j.end_object();
        }
        j.end_array();
        j.end_object();
    }
    j.end_array();
}

} // namespace

void write_diagnostics(JsonOut& j, const Diagnostics& d) {
    j.begin_object();
    for (const auto& [name, value] : diagnostic_counters(d)) j.key(name).uint(value);
    j.key("notes").begin_object();
    for (const auto& [label, count] : d.notes) j.key(label).uint(count);
    j.end_object();
    j.key("total").uint(d.total());
    j.key("messages").begin_array();
    for (const std::string& m : d.messages) j.string(m);
    j.end_array();
    j.end_object();
}

bool write_summary_json(const TraceSummary& s, std::FILE* out) {
    JsonOut j(out);
    j.begin_object();

    j.key("trace").begin_object();
    j.key("origin_unix_ns").uint(s.origin_ns);
    j.key("begin_s").number(s.begin_s);
    j.key("end_s").number(s.end_s);
    j.key("duration_ms").number(s.duration_ms);
    j.end_object();

    j.key("events").begin_object();
    j.key("total").uint(s.events);
    j.key("dropped").uint(s.diagnostics.dropped_events);
    j.end_object();

    j.key("tasks").begin_object();
    j.key("total").uint(s.tasks.total);
    j.key("by_outcome").begin_object();
    j.key("ok").uint(s.tasks.ok);
    j.key("cancelled").uint(s.tasks.cancelled);
    j.key("error").uint(s.tasks.error);
    j.key("unfinished").uint(s.tasks.unfinished);
    j.end_object();
    j.key("max_depth").uint(s.tasks.max_depth);
    j.key("migrated").uint(s.tasks.migrated);
    j.end_object();

    j.key("await_points").begin_object();
    j.key("total").uint(s.await_total);
    j.key("unfinished").uint(s.await_unfinished);
    j.key("total_ms").number(s.await_total_ms);
    j.key("locations").uint(s.await_locations);
    j.key("top_locations").begin_array();
    for (const SummaryAwaitLocation& l : s.top_locations) {
        j.begin_object();
        j.key("location").string(l.location);
        j.key("function").string(l.function);
        j.key("awaitable").string(l.awaitable);
        j.key("count").uint(l.count);
        j.key("total_ms").number(l.total_ms);
        j.key("mean_ms").number(l.mean_ms);
        j.key("p50_ms").number(l.p50_ms);
        j.key("p95_ms").number(l.p95_ms);
        j.key("p99_ms").number(l.p99_ms);
        j.key("max_ms").number(l.max_ms);
        j.end_object();
    }
    j.end_array();
    j.end_object();

    j.key("blocking").begin_object();
    j.key("threshold_ms").number(s.blocking_threshold_ms);
    j.key("total").uint(s.blocking_total);
    j.key("above_threshold").uint(s.blocking_above);
    j.end_object();
    j.key("blocking_events").begin_array();
    for (const SummaryBlockingEvent& b : s.blocking) {
        j.begin_object();
        j.key("duration_ms").number(b.duration_ms);
        j.key("detected_at").number(b.detected_at);
        j.key("thread").string(b.thread);
        j.key("task_id");
        b.task_id ? j.uint(*b.task_id) : j.null();
        j.key("stack_trace").begin_array();
        for (const std::string& frame : b.stack_trace) j.string(frame);
        j.end_array();
        j.end_object();
    }
    j.end_array();

    j.key("spans").begin_object();
    j.key("thread_spans").uint(s.thread_spans);
    j.key("async_spans").uint(s.async_spans);
    j.key("flows").uint(s.flows);
    j.key("instants").uint(s.instants);
    j.key("global_instants").uint(s.global_instants);
    j.key("counter_tracks").uint(s.counter_tracks);
    j.key("counter_samples").uint(s.counter_samples);
    j.key("samples").uint(s.samples);
    j.end_object();

    j.key("event_loop_metrics").begin_object();
    j.key("avg_lag_ms").number(s.lag.avg_ms);
    j.key("max_lag_ms").number(s.lag.max_ms);
    j.key("p99_lag_ms").number(s.lag.p99_ms);
    j.key("samples").uint(s.lag.samples);
    j.end_object();

    j.key("processes");
    write_processes(j, s.processes);
    j.key("diagnostics");
    write_diagnostics(j, s.diagnostics);

    j.end_object();
    return j.finish();
}

} // namespace weft::io
