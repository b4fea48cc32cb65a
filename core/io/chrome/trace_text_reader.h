#pragma once
// Reads a trace-event JSON text from a JsonInput: finds its structure (TraceScanner) and reads its
// events (EventParser), handing each to a consumer with what could not be read reported by offset.
//
// Most of a large file is read many events at a time: between two events, the reader cuts its
// buffer after the last `}, {` it holds and lets simdjson read everything before the cut in one
// pass. Where that pass finds the text is not what it expected (the cut fell inside a string, an
// event is broken, a string holds a raw control character, the events array ended), the scanner
// takes over byte by byte and each event is read alone, so the result is the same either way.

#include "format/error.h"
#include "format/trace_reader.h"
#include "io/chrome/event_parser.h"
#include "io/chrome/json_input.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weft::chrome {

struct TraceTextConsumer : EventParser::Consumer {
    // A top-level value other than the events and samples arrays: its key and JSON text.
    virtual void top_level_value(std::string_view key, std::string_view json, uint64_t offset) = 0;
};

struct TextReadResult {
    std::vector<format::FormatError> errors; // by offset; each event or value that could not be read
    bool fatal = false;                      // nothing could be read: not a trace-event JSON file
    bool cancelled = false;
    uint64_t text_bytes = 0;                 // of (uncompressed) text read
    uint64_t events_read_alone = 0;          // events the fast path left to the scanner
    uint64_t repaired_utf8 = 0;              // events whose invalid UTF-8 bytes were replaced
};

// `read_chunk`: bytes read at a time (chrome_json_import.h, ImportTuning).
TextReadResult read_trace_text(JsonInput& input, TraceTextConsumer& consumer, const format::ReadOptions& options,
                               size_t read_chunk);

} // namespace weft::chrome
