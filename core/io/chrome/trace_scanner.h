#pragma once
// The structure of a trace-event JSON file, found byte by byte without parsing values: the array
// form `[ev, ...]` or the object form `{"traceEvents": [ev, ...], "key": value, ...}`, each
// element of the events array (and of a top-level "samples" array), and every other top-level
// value. Values themselves are parsed later (event_parser.h); this only needs to know where each
// begins and ends, so that one bad event never costs the others.
//
// Tolerates what real traces contain: an array without its closing `]` (Chrome writes that when a
// trace is cut), trailing and doubled commas, empty `{}` elements (skipped), raw control characters
// inside strings (flagged for the parser), elements that are not objects (skipped, reported).
// Bounded: an element larger than kMaxEventBytes or nested deeper than kMaxNesting is skipped and
// reported while the scan goes on, so memory never follows what a file claims.
//
// Resumable: the caller owns a buffer that it refills and compacts; the scanner keeps its place
// across calls (a value cut by the end of the buffer is resumed, not rescanned).

#include "format/error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace weft::chrome {

inline constexpr size_t kMaxEventBytes = size_t{64} << 20;
inline constexpr size_t kMaxTopLevelValueBytes = size_t{1} << 30;
inline constexpr int kMaxNesting = 1000;

enum class ArrayKind : uint8_t { Events, Samples };

struct ScannedItem {
    enum class Kind : uint8_t { Element, TopLevelValue };
    Kind kind = Kind::Element;
    ArrayKind array = ArrayKind::Events; // of an Element
    size_t begin = 0;                    // in the buffer: [begin, end)
    size_t end = 0;
    uint64_t offset = 0;                 // of `begin` in the file's text
    std::string key;                     // of a TopLevelValue, as written (escapes kept)
    bool raw_control = false;            // a string in it holds a raw control character
};

class TraceScanner {
public:
    enum class Step { Item, NeedMore, End };

    // Scans `buf[position(), size)`, where buf[0] is at text offset `base`. Item: `item` is
    // complete and inside the buffer. NeedMore: the buffer ends inside something (call again
    // with more data, or with `eof`). End: the document is over (errors() says if it ended badly).
    Step next(const uint8_t* buf, size_t size, uint64_t base, bool eof, ScannedItem& item);

    size_t position() const { return m_pos; }
    // Bytes of the buffer before this are no longer needed.
    size_t keep_from() const;
    // The caller dropped the first `removed` bytes of its buffer (removed <= keep_from()).
    void rebase(size_t removed);

    // True when the scan stands between two elements of an array of objects: the fast path
    // (trace_text_reader.cpp) may then parse many elements at once and move the scan past them.
    bool between_elements(ArrayKind& kind) const;
    void skip_to(size_t pos) { m_pos = pos; }

    // Problems found, with their text offsets; none is fatal to what was read before it. At most
    // kMaxErrors are kept; more_errors() counts the others.
    std::vector<format::FormatError>& errors() { return m_errors; }
    uint64_t more_errors() const { return m_more_errors; }
    static constexpr size_t kMaxErrors = 100;
    // Set when nothing at all could be read: not JSON, or not a trace.
    bool failed() const { return m_failed; }
    bool saw_object_form() const { return m_object_form; }
    // An events or samples array was found: the file is a trace, even an empty one.
    bool saw_array() const { return m_saw_array; }

private:
    enum class State : uint8_t { Start, Key, Colon, Value, Next, Array, After, Done };

    // One value being scanned (an element or a top-level value), possibly across calls.
    struct ValueScan {
        bool active = false;
        size_t start = 0;       // buffer position of its first byte (meaningless once oversized)
        uint64_t offset = 0;    // text offset of its first byte
        size_t at = 0;          // buffer position scanned up to
        size_t limit = 0;       // bytes it may take
        int depth = 0;
        bool scalar = false;    // a number or literal: ends at a delimiter
        bool in_string = false;
        bool escape = false;
        bool raw_control = false;
        bool too_deep = false;
        bool oversized = false; // its bytes are being dropped; it will be reported, not delivered
    };
    enum class ScanResult { Complete, NeedMore };

    ScanResult scan_value(const uint8_t* buf, size_t size, bool eof);
    void start_value(size_t pos, uint64_t base, size_t limit);
    void error(uint64_t offset, std::string reason);
    Step stop(uint64_t offset, std::string reason);

    State m_state = State::Start;
    ArrayKind m_array = ArrayKind::Events;
    bool m_object_form = false;
    bool m_failed = false;
    bool m_saw_array = false;
    bool m_in_key = false;   // State::Key: inside the key's string
    bool m_key_escape = false;
    size_t m_key_start = 0;
    std::string m_key;
    size_t m_pos = 0;
    ValueScan m_value;
    std::vector<format::FormatError> m_errors;
    uint64_t m_more_errors = 0;
};

} // namespace weft::chrome
