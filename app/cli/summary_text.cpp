#include "summary_text.h"

#include "io/diagnostic_counters.h"
#include "query/time_format.h"

#include <cinttypes>
#include <string>

namespace weft::cli {

namespace {

// 1234567 -> "1,234,567": counts in a summary are read at a glance.
std::string grouped(uint64_t v) {
    const std::string digits = std::to_string(v);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string ms(double v) { return format_duration(static_cast<Time>(v * 1e6)); }

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

void print_processes(const io::TraceSummary& s, std::FILE* out) {
    for (const io::SummaryProcess& p : s.processes) {
        std::fprintf(out, "Process %" PRIu64 " %s", p.pid, p.exe.c_str());
        if (!p.hostname.empty()) std::fprintf(out, " on %s", p.hostname.c_str());
        std::fprintf(out, " (%s)\n", p.process_id.c_str());
        for (const io::SummaryThread& t : p.threads) {
            const std::string name = t.name.empty() ? "tid " + std::to_string(t.os_thread_id) : t.name;
            std::fprintf(out, "  %-16s [%s]  %s events, %s run slices, %s blocking", name.c_str(),
                         joined(t.tags).c_str(), grouped(t.events).c_str(), grouped(t.run_slices).c_str(),
                         grouped(t.blocking_events).c_str());
            if (t.thread_spans) std::fprintf(out, ", %s thread spans", grouped(t.thread_spans).c_str());
            if (t.instants) std::fprintf(out, ", %s instants", grouped(t.instants).c_str());
            if (t.samples) std::fprintf(out, ", %s samples", grouped(t.samples).c_str());
            if (t.dropped_events) std::fprintf(out, ", %s dropped", grouped(t.dropped_events).c_str());
            std::fputc('\n', out);
        }
        if (p.instants) std::fprintf(out, "  %s process-wide instants\n", grouped(p.instants).c_str());
        for (const io::SummaryCounter& c : p.counters)
            std::fprintf(out, "  counter %s %s: %s samples, %g to %g\n", c.name.c_str(), c.series.c_str(),
                         grouped(c.samples).c_str(), c.min, c.max);
    }
}

void print_awaits(const io::TraceSummary& s, std::FILE* out) {
    std::fprintf(out, "\nAwait points: %s (%s awaited in total, %s unfinished), %s locations\n",
                 grouped(s.await_total).c_str(), ms(s.await_total_ms).c_str(), grouped(s.await_unfinished).c_str(),
                 grouped(s.await_locations).c_str());
    if (s.top_locations.empty()) return;
    std::fprintf(out, "  %-44s %-30s %10s %12s %12s %12s %12s\n", "location", "awaitable", "count", "total", "mean",
                 "p95", "max");
    for (const io::SummaryAwaitLocation& l : s.top_locations) {
        const std::string where = l.function.empty() ? l.location : l.function + " (" + l.location + ")";
        std::fprintf(out, "  %-44s %-30s %10s %12s %12s %12s %12s\n", where.c_str(), l.awaitable.c_str(),
                     grouped(l.count).c_str(), ms(l.total_ms).c_str(), ms(l.mean_ms).c_str(), ms(l.p95_ms).c_str(),
                     ms(l.max_ms).c_str());
    }
}

void print_blocking(const io::TraceSummary& s, std::FILE* out) {
    std::fprintf(out, "\nBlocking events: %s, %s at or above %s\n", grouped(s.blocking_total).c_str(),
                 grouped(s.blocking_above).c_str(), ms(s.blocking_threshold_ms).c_str());
    for (const io::SummaryBlockingEvent& b : s.blocking) {
        std::fprintf(out, "  %s on %s at %.6f s", ms(b.duration_ms).c_str(), b.thread.c_str(), b.detected_at);
        if (b.task_id) std::fprintf(out, ", task %" PRIu64, *b.task_id);
        std::fputc('\n', out);
        for (const std::string& frame : b.stack_trace) std::fprintf(out, "      %s\n", frame.c_str());
    }
    if (s.blocking.size() < s.blocking_above)
        std::fprintf(out, "  ... and %s more\n", grouped(s.blocking_above - s.blocking.size()).c_str());
}

void print_diagnostics(const Diagnostics& d, std::FILE* out) {
    std::fprintf(out, "\nDiagnostics: %s\n", d.total() == 0 ? "none" : grouped(d.total()).c_str());
    for (const auto& [name, value] : io::diagnostic_counters(d))
        if (value) std::fprintf(out, "  %-26s %s\n", name, grouped(value).c_str());
    for (const auto& [label, count] : d.notes) std::fprintf(out, "  %s: %s\n", label.c_str(), grouped(count).c_str());
    for (const std::string& m : d.messages) std::fprintf(out, "  %s\n", m.c_str());
}

} // namespace

void print_summary(const io::TraceSummary& s, const std::string& path, std::FILE* out) {
    std::fprintf(out, "%s: %s events over %s\n\n", path.c_str(), grouped(s.events).c_str(),
                 ms(s.duration_ms).c_str());
    print_processes(s, out);
    const analysis::TaskCounts& t = s.tasks;
    std::fprintf(out, "\nTasks: %s (ok %s, cancelled %s, error %s, unfinished %s), max depth %u, %s migrated\n",
                 grouped(t.total).c_str(), grouped(t.ok).c_str(), grouped(t.cancelled).c_str(),
                 grouped(t.error).c_str(), grouped(t.unfinished).c_str(), t.max_depth, grouped(t.migrated).c_str());
    if (s.thread_spans || s.async_spans || s.flows || s.instants || s.counter_tracks || s.samples)
        std::fprintf(out,
                     "Spans: %s thread spans, %s async spans; %s flows, %s instants (%s trace-wide), %s counter "
                     "tracks (%s samples), %s stack samples\n",
                     grouped(s.thread_spans).c_str(), grouped(s.async_spans).c_str(), grouped(s.flows).c_str(),
                     grouped(s.instants).c_str(), grouped(s.global_instants).c_str(), grouped(s.counter_tracks).c_str(),
                     grouped(s.counter_samples).c_str(), grouped(s.samples).c_str());
    print_awaits(s, out);
    print_blocking(s, out);
    if (s.lag.samples == 0)
        std::fprintf(out, "\nEvent-loop lag: no samples\n");
    else
        std::fprintf(out, "\nEvent-loop lag: %s samples, avg %s, p99 %s, max %s\n", grouped(s.lag.samples).c_str(),
                     ms(s.lag.avg_ms).c_str(), ms(s.lag.p99_ms).c_str(), ms(s.lag.max_ms).c_str());
    print_diagnostics(s.diagnostics, out);
}

} // namespace weft::cli
