#pragma once
// Reads trace events with simdjson's On-Demand API: many at once when the text between them is
// clean (one structural pass over a whole buffer), or one at a time. Each event's fields go to a
// Consumer as EventFields; nothing here gives them meaning.

#include "io/chrome/event_fields.h"
#include "io/chrome/trace_scanner.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace weft::chrome {

// Bytes that must be readable after the end of any text handed to the parser.
size_t parser_padding();

class EventParser {
public:
    struct Consumer {
        virtual ~Consumer() = default;
        virtual void event(const EventFields& fields, ArrayKind array) = 0;
    };

    EventParser();
    ~EventParser();
    EventParser(const EventParser&) = delete;
    EventParser& operator=(const EventParser&) = delete;

    // Reads `text`, which holds `[`, objects separated by commas and blanks, then `]`, with
    // parser_padding() readable bytes after it; `offset` is the text offset of text[1]. Events go
    // to `consumer` as they are read. Returns text.size() when every element was read, else the
    // position in `text` just after the last element handed over (1 if none): the caller reads on
    // from there one event at a time, where the text is not valid JSON or not what was expected.
    size_t read_many(std::string_view text, uint64_t offset, ArrayKind array, Consumer& consumer);

    // Reads one element (an object); false with `error` set when it is not valid JSON.
    bool read_one(std::string_view text, uint64_t offset, ArrayKind array, Consumer& consumer, std::string& error);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace weft::chrome
