#pragma once
// One trace event's fields as the parser found them, before any meaning is given to them
// (trace_collector.h does that). Views point into the text or the parser's string buffer and live
// until the next event.

#include <cstdint>
#include <string_view>

namespace weft::chrome {

// A pid or tid: a number, or a string naming the process or thread.
struct ProcessOrThreadId {
    bool present = false;
    bool is_name = false;
    uint64_t number = 0;
    std::string_view name; // is_name: the string as written (numbers that are not whole: their text)
};

// An id of async, flow, counter or sample events: `id`, or `id2: {"local"|"global": v}`. The value
// is kept as text, whether written as a string or a number, so that no id is ever rounded.
struct EventId {
    enum class Kind : uint8_t { None, Plain, Local, Global };
    Kind kind = Kind::None;
    std::string_view value;
    bool quoted = false; // written as a JSON string
};

struct EventFields {
    uint64_t offset = 0; // text offset of the event's first byte
    uint32_t members = 0; // fields it has, read or not: an event with none is `{}`, skipped
    char ph = 0;
    bool has_ph = false;
    bool has_ts = false, has_dur = false;
    int64_t ts = 0, dur = 0; // nanoseconds (the text gives microseconds)
    bool has_name = false, has_cat = false;
    std::string_view name, cat;
    ProcessOrThreadId pid, tid;
    EventId id;
    EventId bind_id;
    std::string_view scope; // "scope": namespaces ids
    std::string_view s;     // instant scope
    std::string_view bp;    // flow binding point
    int8_t flow_in = -1, flow_out = -1; // -1: absent
    std::string_view args;  // the args value's JSON text, or empty
    bool has_sf = false;
    std::string_view sf;    // stack frame id, as text
    std::string_view stack; // "stack": JSON text of an array of frame names
    uint64_t weight = 0;    // samples-array entries
    // The first field that could not be read (wrong type, bad number), e.g. "ts: not a number";
    // null when every field read cleanly.
    const char* problem = nullptr;
};

} // namespace weft::chrome
