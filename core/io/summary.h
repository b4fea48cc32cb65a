#pragma once
// A whole-trace summary: what `weft-cli summary` prints and writes as JSON. Computed once from the
// model and the analyses into plain values (strings resolved), so printing needs no model.

#include "analysis/blocking.h"
#include "analysis/loop_lag.h"
#include "analysis/task_summary.h"
#include "model/model.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace weft::io {

struct SummaryOptions {
    size_t top_locations = 10;
    Time blocking_threshold = analysis::kDefaultBlockingThreshold;
    size_t max_blocking_events = 20; // the longest ones; the count above the threshold is kept whole
};

struct SummaryAwaitLocation {
    std::string location;  // "file:line"
    std::string function;  // the location's name
    std::string awaitable; // the most frequent awaitable there
    uint64_t count = 0;
    double total_ms = 0, mean_ms = 0, p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
};

struct SummaryBlockingEvent {
    double duration_ms = 0;
    double detected_at = 0; // seconds since the trace origin
    std::string thread;
    std::optional<uint64_t> task_id;
    std::vector<std::string> stack_trace; // "name (file:line)", innermost first
};

struct SummaryThread {
    std::string name;
    std::string stream_id;
    uint64_t os_thread_id = 0;
    std::vector<std::string> tags;
    bool event_loop = false;
    uint64_t events = 0;
    uint64_t dropped_events = 0;
    uint64_t run_slices = 0;
    uint64_t thread_spans = 0;
    uint64_t blocking_events = 0;
    uint64_t instants = 0; // thread-scoped
    uint64_t samples = 0;
};

struct SummaryCounter {
    std::string name;
    std::string series;
    uint64_t samples = 0;
    double min = 0, max = 0;
};

struct SummaryProcess {
    std::string process_id;
    std::string exe;
    std::string hostname;
    uint64_t pid = 0;
    uint64_t start_time_ns = 0;
    uint64_t tick_frequency = 0;
    uint64_t instants = 0; // process-scoped
    std::vector<SummaryCounter> counters;
    std::vector<SummaryThread> threads;
};

struct TraceSummary {
    uint64_t origin_ns = 0;
    double begin_s = 0, end_s = 0, duration_ms = 0;
    uint64_t events = 0;
    analysis::TaskCounts tasks;
    uint64_t await_total = 0;
    uint64_t await_unfinished = 0;
    double await_total_ms = 0;
    std::vector<SummaryAwaitLocation> top_locations;
    uint64_t await_locations = 0; // distinct locations, of which top_locations lists the first
    double blocking_threshold_ms = 0;
    uint64_t blocking_total = 0;  // all blocking events
    uint64_t blocking_above = 0;  // at or above the threshold
    std::vector<SummaryBlockingEvent> blocking; // the longest above the threshold
    analysis::LagStats lag;
    uint64_t thread_spans = 0, async_spans = 0, flows = 0, instants = 0, global_instants = 0;
    uint64_t counter_tracks = 0, counter_samples = 0, samples = 0;
    std::vector<SummaryProcess> processes;
    Diagnostics diagnostics;
};

TraceSummary summarize(const Model& model, const SummaryOptions& options = {});

// "name (file:line)", "name (file)" when the line is unknown, or "file:line" without a name.
std::string frame_label(const Model& model, LocationId id);

// Writes the summary as one JSON object (docs/user-guide/cli.md lists the fields). False on a write error.
bool write_summary_json(const TraceSummary& summary, std::FILE* out);

} // namespace weft::io
