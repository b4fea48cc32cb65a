#pragma once
// Exports a whole model as one JSON document, streamed: memory stays flat whatever the trace size.
// Field names follow the async profiling panel where they fit (task_id, coro_name, created_at,
// awaitable_name, ...); docs/user-guide/cli.md documents every field. Used by `weft-cli export`
// and by the viewer's File > Export.

#include "model/model.h"

#include <cstdio>
#include <string>

namespace weft::io {

struct ExportOptions {
    bool thread_spans = true; // the largest section on span-heavy traces
    bool lag_series = true;   // event_loop_metrics.series
};

// Writes the document to `out` (not closed). False if a write failed.
bool export_json(const Model& model, std::FILE* out, const ExportOptions& options = {});

// Writes to `path` whole or not at all (io/atomic_file.h). False with `error` set on failure.
bool export_json_file(const Model& model, const std::string& path, std::string& error,
                      const ExportOptions& options = {});

// Export's name for a task state: "ok", "cancelled", "error", "unfinished".
const char* task_state_name(TaskState state);

} // namespace weft::io
