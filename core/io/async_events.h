#pragma once
// The async_events table: one row per async span begin and per end, with the columns of the
// micromegas async-events view (process, stream, block, time, event type, span and parent ids,
// depth, a hash of the call site, name, file, target, line), as CSV (RFC 4180, a header row) or
// JSON Lines. Rows are in time order; an end sorts before a begin at the same time.
// docs/user-guide/cli.md documents every column.

#include "model/model.h"

#include <cstdio>
#include <string>

namespace weft::io {

enum class AsyncEventsFormat { Csv, JsonLines };

// Writes the table to `out` (not closed). False if a write failed.
bool export_async_events(const Model& model, std::FILE* out, AsyncEventsFormat format);

// Writes to `path` whole or not at all (io/atomic_file.h). False with `error` set on failure.
bool export_async_events_file(const Model& model, const std::string& path, AsyncEventsFormat format,
                              std::string& error);

// "2026-12-03T18:56:15.123456789Z": Unix epoch nanoseconds as RFC 3339, UTC, to the nanosecond.
std::string rfc3339_ns(uint64_t unix_ns);

// The call-site hash of a span: the same for every span with this name, file, target and line.
uint64_t async_span_site_hash(const Model& model, const AsyncSpan& span);

} // namespace weft::io
