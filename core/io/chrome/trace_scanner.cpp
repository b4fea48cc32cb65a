#include "io/chrome/trace_scanner.h"

#include <algorithm>

namespace weft::chrome {

namespace {

constexpr size_t kMaxKeyBytes = 4096;

bool is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Bytes that need a look inside a string: its end, an escape, a raw control character.
struct StringStops {
    bool stop[256] = {};
    constexpr StringStops() {
        for (int c = 0; c < 0x20; ++c) stop[c] = true;
        stop[static_cast<uint8_t>('"')] = true;
        stop[static_cast<uint8_t>('\\')] = true;
    }
};
constexpr StringStops kStringStops;

std::string describe(uint8_t c) {
    if (c >= 0x21 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    static const char* const kHex = "0123456789abcdef";
    return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
}

bool empty_object(const uint8_t* p, size_t size) {
    for (size_t i = 1; i + 1 < size; ++i)
        if (!is_space(p[i])) return false;
    return true;
}

} // namespace

size_t TraceScanner::keep_from() const {
    if (m_value.active) return m_value.oversized ? m_value.at : m_value.start;
    if (m_state == State::Key && m_in_key) return m_key_start;
    return m_pos;
}

void TraceScanner::rebase(size_t removed) {
    m_pos -= removed;
    if (m_value.active) {
        if (!m_value.oversized) m_value.start -= removed;
        m_value.at -= removed;
    }
    if (m_in_key) m_key_start -= removed;
}

bool TraceScanner::between_elements(ArrayKind& kind) const {
    if (m_state != State::Array || m_value.active) return false;
    kind = m_array;
    return true;
}

void TraceScanner::error(uint64_t offset, std::string reason) {
    // However much garbage a file holds, the report of it stays small.
    if (m_errors.size() < kMaxErrors)
        m_errors.push_back({offset, std::move(reason)});
    else
        ++m_more_errors;
}

TraceScanner::Step TraceScanner::stop(uint64_t offset, std::string reason) {
    error(offset, std::move(reason));
    m_state = State::Done;
    return Step::End;
}

void TraceScanner::start_value(size_t pos, uint64_t base, size_t limit) {
    m_value = ValueScan{};
    m_value.active = true;
    m_value.start = pos;
    m_value.offset = base + pos;
    m_value.at = pos;
    m_value.limit = limit;
}

TraceScanner::ScanResult TraceScanner::scan_value(const uint8_t* buf, size_t size, bool eof) {
    ValueScan& v = m_value;
    size_t i = v.at;
    if (i == v.start && !v.oversized && i < size) {
        const uint8_t c = buf[i];
        if (c == '"') {
            v.in_string = true;
            ++i;
        } else if (c != '{' && c != '[') {
            v.scalar = true;
        }
    }
    bool done = false;
    while (i < size && !done) {
        const uint8_t c = buf[i];
        if (v.in_string) {
            if (v.escape) {
                v.escape = false;
                ++i;
                continue;
            }
            ++i;
            if (!kStringStops.stop[c]) continue;
            if (c == '\\') {
                v.escape = true;
            } else if (c == '"') {
                v.in_string = false;
                done = v.depth == 0; // a top-level string value ends here
            } else {
                v.raw_control = true;
            }
            continue;
        }
        if (v.scalar) {
            if (is_space(c) || c == ',' || c == '}' || c == ']') {
                done = true;
                break;
            }
            ++i;
            continue;
        }
        ++i;
        if (c == '"') {
            v.in_string = true;
        } else if (c == '{' || c == '[') {
            if (++v.depth > kMaxNesting) v.too_deep = true;
        } else if (c == '}' || c == ']') {
            done = --v.depth <= 0;
        }
    }
    v.at = i;
    if (!v.oversized && v.at - v.start > v.limit) v.oversized = true;
    if (done || (eof && v.scalar)) return ScanResult::Complete;
    return ScanResult::NeedMore;
}

TraceScanner::Step TraceScanner::next(const uint8_t* buf, size_t size, uint64_t base, bool eof, ScannedItem& item) {
    for (;;) {
        if (m_state == State::Done) return Step::End;
        if (m_value.active) {
            if (scan_value(buf, size, eof) == ScanResult::NeedMore) {
                if (!eof) return Step::NeedMore;
                const uint64_t at = m_value.offset;
                m_value.active = false;
                m_pos = size;
                if (m_state == State::Array)
                    return stop(at, "the file ends inside the " + std::string(m_array == ArrayKind::Events ? "event" : "sample") +
                                        " that starts here (the trace is cut short); everything before it is kept");
                return stop(at, "the file ends inside the value of \"" + m_key + "\" (the trace is cut short)");
            }
            const ValueScan v = m_value;
            m_value.active = false;
            m_pos = v.at;
            const bool element = m_state == State::Array;
            if (!element) m_state = State::Next;
            const char* what = element ? (m_array == ArrayKind::Events ? "event" : "sample") : "value";
            if (v.oversized) {
                error(v.offset, std::string("the ") + what + " here is larger than " +
                                    std::to_string(v.limit >> 20) + " MiB; skipped");
                continue;
            }
            if (v.too_deep) {
                error(v.offset, std::string("the ") + what + " here is nested deeper than " + std::to_string(kMaxNesting) +
                                    " levels; skipped");
                continue;
            }
            item.begin = v.start;
            item.end = v.at;
            item.offset = v.offset;
            item.raw_control = v.raw_control;
            if (element) {
                if (buf[v.start] != '{') {
                    error(v.offset, std::string("an element of the ") +
                                        (m_array == ArrayKind::Events ? "trace events" : "samples") +
                                        " array that is not an object; skipped");
                    continue;
                }
                if (empty_object(buf + v.start, v.at - v.start)) continue; // `{}`: nothing to read
                item.kind = ScannedItem::Kind::Element;
                item.array = m_array;
            } else {
                item.kind = ScannedItem::Kind::TopLevelValue;
                item.key = m_key;
            }
            return Step::Item;
        }

        if (m_state == State::Key && m_in_key) {
            size_t i = m_pos;
            while (i < size && (m_key_escape || buf[i] != '"')) {
                m_key_escape = !m_key_escape && buf[i] == '\\';
                ++i;
            }
            if (i - m_key_start > kMaxKeyBytes)
                return stop(base + m_key_start, "a top-level key longer than " + std::to_string(kMaxKeyBytes) + " bytes");
            if (i == size) {
                m_pos = i;
                if (!eof) return Step::NeedMore;
                return stop(base + m_key_start, "the file ends inside a top-level key (the trace is cut short)");
            }
            m_key.assign(reinterpret_cast<const char*>(buf + m_key_start), i - m_key_start);
            m_in_key = false;
            m_pos = i + 1;
            m_state = State::Colon;
            continue;
        }

        while (m_pos < size && is_space(buf[m_pos])) ++m_pos;
        if (m_pos >= size) {
            if (!eof) return Step::NeedMore;
            switch (m_state) {
            case State::Start:
                m_failed = true;
                return stop(base + m_pos, "the file holds no JSON (it is empty or only blank)");
            case State::Array:
                // An events array without its `]` is what Chrome writes when a trace is cut: the
                // array form is read as complete. In the object form more was expected.
                if (!m_object_form) {
                    m_state = State::Done;
                    return Step::End;
                }
                return stop(base + m_pos, "the file ends inside the \"traceEvents\" array (the trace is cut short); "
                                          "everything before is kept");
            case State::Key:
            case State::Colon:
            case State::Value:
            case State::Next:
                return stop(base + m_pos, "the file ends before the top-level object's closing '}' (the trace is "
                                          "cut short); everything before is kept");
            case State::After:
            case State::Done:
                m_state = State::Done;
                return Step::End;
            }
        }
        const uint8_t c = buf[m_pos];
        switch (m_state) {
        case State::Start:
            if (c == 0xEF && m_pos + 2 < size && buf[m_pos + 1] == 0xBB && buf[m_pos + 2] == 0xBF) {
                m_pos += 3; // a UTF-8 byte order mark
                continue;
            }
            if (c == '{') {
                m_object_form = true;
                m_state = State::Key;
            } else if (c == '[') {
                m_state = State::Array;
                m_array = ArrayKind::Events;
                m_saw_array = true;
            } else {
                m_failed = true;
                return stop(base + m_pos, "not a trace-event JSON file: expected '[' or '{' at the start, found " +
                                              describe(c));
            }
            ++m_pos;
            continue;
        case State::Key:
            if (c == '"') {
                m_in_key = true;
                m_key_escape = false;
                m_key_start = m_pos + 1;
                m_pos = m_key_start;
            } else if (c == '}') {
                m_state = State::After;
                ++m_pos;
            } else if (c == ',') {
                ++m_pos; // a stray or trailing comma
            } else {
                return stop(base + m_pos, "expected a key or '}' in the top-level object, found " + describe(c));
            }
            continue;
        case State::Colon:
            if (c != ':') return stop(base + m_pos, "expected ':' after the key \"" + m_key + "\", found " + describe(c));
            ++m_pos;
            m_state = State::Value;
            continue;
        case State::Value:
            if (c == '[' && (m_key == "traceEvents" || m_key == "samples")) {
                m_state = State::Array;
                m_array = m_key == "traceEvents" ? ArrayKind::Events : ArrayKind::Samples;
                m_saw_array = true;
                ++m_pos;
            } else {
                start_value(m_pos, base, kMaxTopLevelValueBytes);
            }
            continue;
        case State::Next:
            if (c == ',') {
                m_state = State::Key;
            } else if (c == '}') {
                m_state = State::After;
            } else {
                return stop(base + m_pos, "expected ',' or '}' after the value of \"" + m_key + "\", found " + describe(c));
            }
            ++m_pos;
            continue;
        case State::Array:
            if (c == ',') {
                ++m_pos; // between elements, and trailing or doubled commas
            } else if (c == ']') {
                ++m_pos;
                m_state = m_object_form ? State::Next : State::After;
            } else if (c == '}' || c == ':') {
                error(base + m_pos, "unexpected " + describe(c) + " between events; skipped");
                ++m_pos; // it starts no value: step over it, or the scan would stand still
            } else {
                start_value(m_pos, base, kMaxEventBytes);
            }
            continue;
        case State::After:
            return stop(base + m_pos, "text after the end of the trace, from here on, is ignored");
        case State::Done:
            return Step::End;
        }
    }
}

} // namespace weft::chrome
