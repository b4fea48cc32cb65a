#pragma once
// Chrome trace-event JSON (what Chrome, Perfetto, Node, tracing-chrome, VizTracer and many others
// write), plain or gzip-compressed, read into Weft records for any TraceSink: the model builder
// (to view it), a .weft writer (to convert it), a counting sink (to validate it).
// docs/FORMAT.md, "Importing Chrome trace-event JSON", says how each phase maps to Weft's model.

#include "format/trace_reader.h"

#include <cstddef>
#include <string>

namespace weft::chrome {

// How the text is read: only tests and fuzzers change it, to make chunk boundaries fall everywhere.
struct ImportTuning {
    size_t read_chunk = size_t{4} << 20; // bytes read (and scanned at once) at a time
};

// Reads `path` and hands its processes, threads and events to `sink`. The report lists, by byte
// offset in the (uncompressed) text, every event that could not be read and where the file
// stopped making sense; everything before such a place is kept. `fatal` is set when nothing could
// be read (missing file, not JSON, not a trace).
format::ReadReport import_chrome_json(const std::string& path, format::TraceSink& sink,
                                      const format::ReadOptions& options = {}, const ImportTuning& tuning = {});

} // namespace weft::chrome
