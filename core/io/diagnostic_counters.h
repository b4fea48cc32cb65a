#pragma once
// Every diagnostics counter with a stable, snake_case name: one list for the summary, the export
// and any view that shows them, so a counter added to Diagnostics is added here once. The notes
// (counts by label that producers and importers give) are listed apart, after these.

#include "model/model.h"

#include <array>
#include <cstdint>
#include <utility>

namespace weft::io {

using DiagnosticCounter = std::pair<const char*, uint64_t>;

inline std::array<DiagnosticCounter, 20> diagnostic_counters(const Diagnostics& d) {
    return {{
        {"unfinished_tasks", d.unfinished_tasks},
        {"unfinished_runs", d.unfinished_runs},
        {"unfinished_awaits", d.unfinished_awaits},
        {"unfinished_async_spans", d.unfinished_async_spans},
        {"unfinished_thread_spans", d.unfinished_thread_spans},
        {"orphan_run_ends", d.orphan_run_ends},
        {"orphan_await_ends", d.orphan_await_ends},
        {"orphan_async_span_ends", d.orphan_async_span_ends},
        {"orphan_thread_span_ends", d.orphan_thread_span_ends},
        {"events_for_unknown_tasks", d.events_for_unknown_tasks},
        {"duplicate_task_ids", d.duplicate_task_ids},
        {"duplicate_span_ids", d.duplicate_span_ids},
        {"time_backwards", d.time_backwards},
        {"unknown_events", d.unknown_events},
        {"blocks_without_stream", d.blocks_without_stream},
        {"dropped_events", d.dropped_events},
        {"damaged_records", d.damaged_records},
        {"skipped_bytes", d.skipped_bytes},
        {"unfinished_flows", d.unfinished_flows},
        {"orphan_flow_ends", d.orphan_flow_ends},
    }};
}

} // namespace weft::io
