#pragma once
// One way to read any trace file Weft knows: .weft, or Chrome trace-event JSON (plain or gzip),
// told apart by their first bytes whatever the file is called.

#include "format/trace_reader.h"

#include <string>

namespace weft::io {

enum class TraceFileType { Weft, ChromeJson, Unknown };

// What the first bytes of `path` say it is; Unknown for a file that cannot be opened too.
TraceFileType sniff_trace_file(const std::string& path);
const char* trace_file_type_name(TraceFileType type);

// Reads `path` into `sink` with the reader its content calls for. A file that is neither says so.
format::ReadReport read_trace(const std::string& path, format::TraceSink& sink, const format::ReadOptions& options = {});

} // namespace weft::io
