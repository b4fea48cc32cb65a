#include "io/chrome/trace_text_reader.h"

#include "io/chrome/trace_scanner.h"

#include <algorithm>
#include <cstring>

namespace weft::chrome {

namespace {

constexpr size_t kHeadroom = 1; // one byte before the data, where the fast path writes its '['

bool is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The position of the '}' of the last "}, {" (blanks allowed around the comma) in [from, to), or
// `to` if there is none. It is a guess, made without knowing what is inside strings: the parser
// checks it.
size_t last_separator(const uint8_t* buf, size_t from, size_t to) {
    for (size_t i = to; i-- > from + 1;) {
        if (buf[i] != '{') continue;
        size_t j = i;
        while (j > from && is_space(buf[j - 1])) --j;
        if (j == from || buf[j - 1] != ',') continue;
        --j;
        while (j > from && is_space(buf[j - 1])) --j;
        if (j > from && buf[j - 1] == '}') return j - 1;
    }
    return to;
}

// A copy of one element with each raw control character inside a string written as a \u escape,
// which is what the writer meant (Perfetto reads such strings too).
void escape_controls(const uint8_t* p, size_t size, std::string& out) {
    static const char* const kHex = "0123456789abcdef";
    out.clear();
    bool in_string = false, escape = false;
    for (size_t i = 0; i < size; ++i) {
        const uint8_t c = p[i];
        if (in_string && !escape && c < 0x20) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 15];
            continue;
        }
        out += static_cast<char>(c);
        if (escape)
            escape = false;
        else if (in_string && c == '\\')
            escape = true;
        else if (c == '"')
            in_string = !in_string;
    }
}

// Replaces each byte that is not part of a valid UTF-8 sequence by '?'. True if any was.
bool repair_utf8(std::string& s) {
    bool changed = false;
    auto* p = reinterpret_cast<unsigned char*>(s.data());
    const size_t n = s.size();
    for (size_t i = 0; i < n;) {
        const unsigned char c = p[i];
        size_t len = 0;
        uint32_t min = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            min = 0x10000;
        }
        bool ok = len != 0 && i + len <= n;
        uint32_t cp = len == 2 ? c & 0x1Fu : len == 3 ? c & 0x0Fu : c & 0x07u;
        for (size_t k = 1; ok && k < len; ++k) {
            ok = (p[i + k] & 0xC0) == 0x80;
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        if (ok) {
            i += len;
        } else {
            p[i++] = '?';
            changed = true;
        }
    }
    return changed;
}

class Reader {
public:
    Reader(JsonInput& input, TraceTextConsumer& consumer, const format::ReadOptions& options, size_t read_chunk)
        : m_input(input), m_consumer(consumer), m_options(options), m_read_chunk(std::max<size_t>(read_chunk, 1)) {}

    TextReadResult run();

private:
    bool fill();
    void compact();
    // Reads a run of whole events at once; false when there is none to read here.
    bool read_fast();
    void deliver(const ScannedItem& item);
    // Records a problem; past kMaxReported of them, only counts it.
    void report(uint64_t offset, std::string reason) {
        if (m_result.errors.size() < kMaxReported)
            m_result.errors.push_back({offset, std::move(reason)});
        else
            ++m_unreported;
    }
    static constexpr size_t kMaxReported = 100;
    uint64_t m_unreported = 0;

    JsonInput& m_input;
    TraceTextConsumer& m_consumer;
    const format::ReadOptions& m_options;
    const size_t m_read_chunk;
    TraceScanner m_scanner;
    EventParser m_parser;
    TextReadResult m_result;
    std::vector<uint8_t> m_buf; // [kHeadroom, m_len): text from offset m_base on; padding after m_len
    size_t m_len = kHeadroom;
    uint64_t m_base = 0;       // text offset of m_buf[kHeadroom]
    bool m_eof = false;
    size_t m_fast_from = 0;    // the fast path is not tried again before this buffer position
    std::string m_scratch;
};

bool Reader::fill() {
    if (m_eof) return false;
    const size_t want = m_read_chunk;
    const size_t need = m_len + want + parser_padding();
    if (m_buf.size() < need) m_buf.resize(std::max(need, m_buf.size() + m_buf.size() / 2));
    size_t got = 0;
    while (got < want) {
        const size_t n = m_input.read(m_buf.data() + m_len + got, want - got);
        if (n == 0) {
            m_eof = true;
            break;
        }
        got += n;
    }
    m_len += got;
    std::memset(m_buf.data() + m_len, 0, parser_padding());
    m_result.text_bytes += got;
    return got > 0;
}

void Reader::compact() {
    const size_t keep = std::max(m_scanner.keep_from(), kHeadroom);
    if (keep == kHeadroom) return;
    const size_t drop = keep - kHeadroom;
    std::memmove(m_buf.data() + kHeadroom, m_buf.data() + keep, m_len - keep);
    m_len -= drop;
    m_base += drop;
    m_scanner.rebase(drop);
    m_fast_from = m_fast_from > drop ? m_fast_from - drop : 0;
}

bool Reader::read_fast() {
    ArrayKind array;
    if (!m_scanner.between_elements(array)) return false;
    size_t p = m_scanner.position();
    while (p < m_len && (is_space(m_buf[p]) || m_buf[p] == ',')) ++p;
    if (p >= m_len || m_buf[p] != '{' || p < m_fast_from) return false;
    const size_t close = last_separator(m_buf.data(), p, m_len);
    if (close >= m_len) return false;
    // [p-1, close+2) becomes "[ event, ..., event ]" for the time of the read.
    uint8_t* text = m_buf.data() + p - 1;
    const size_t size = close + 2 - (p - 1);
    const uint8_t before = text[0], after = text[size - 1];
    text[0] = '[';
    text[size - 1] = ']';
    const size_t resume = m_parser.read_many({reinterpret_cast<const char*>(text), size}, m_base + p - kHeadroom,
                                             array, m_consumer);
    text[0] = before;
    text[size - 1] = after;
    if (resume == size) {
        m_scanner.skip_to(close + 1);
        return true;
    }
    // Something here needs the careful path: from the first event not read up to the cut.
    m_scanner.skip_to(p - 1 + resume);
    m_fast_from = close + 1;
    return true;
}

void Reader::deliver(const ScannedItem& item) {
    const auto* p = m_buf.data() + item.begin;
    const size_t size = item.end - item.begin;
    if (item.kind == ScannedItem::Kind::TopLevelValue) {
        m_consumer.top_level_value(item.key, {reinterpret_cast<const char*>(p), size}, item.offset);
        return;
    }
    ++m_result.events_read_alone;
    std::string error;
    std::string_view text(reinterpret_cast<const char*>(p), size);
    if (item.raw_control) {
        escape_controls(p, size, m_scratch);
        text = m_scratch;
    }
    // The parser reads past the end of what it is given: copies carry their own padding.
    auto padded = [&](std::string& s) {
        const size_t n = s.size();
        s.append(parser_padding(), '\0');
        return std::string_view(s.data(), n);
    };
    if (item.raw_control) text = padded(m_scratch);
    if (m_parser.read_one(text, item.offset, item.array, m_consumer, error)) return;
    if (error.find("UTF-8") != std::string::npos) {
        std::string copy(text);
        if (repair_utf8(copy)) {
            std::string again;
            if (m_parser.read_one(padded(copy), item.offset, item.array, m_consumer, again)) {
                ++m_result.repaired_utf8;
                return;
            }
            error = again;
        }
    }
    report(item.offset, std::string(item.array == ArrayKind::Events ? "event" : "sample") + " skipped: " + error);
}

TextReadResult Reader::run() {
    m_buf.resize(kHeadroom + parser_padding());
    m_scanner.skip_to(kHeadroom);
    if (!m_input.error().empty()) {
        m_result.errors.push_back({0, m_input.error()});
        m_result.fatal = true;
        return m_result;
    }
    ScannedItem item;
    bool done = false;
    while (!done) {
        fill();
        for (;;) {
            if (read_fast()) continue;
            const TraceScanner::Step step = m_scanner.next(m_buf.data(), m_len, m_base - kHeadroom, m_eof, item);
            if (step == TraceScanner::Step::Item) {
                deliver(item);
                continue;
            }
            done = step == TraceScanner::Step::End;
            break;
        }
        compact();
        if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) {
            m_result.cancelled = true;
            break;
        }
        if (m_options.progress) m_options.progress(m_input.file_bytes_read(), m_input.file_size());
    }
    if (m_unreported)
        m_result.errors.push_back({m_result.errors.back().offset, std::to_string(m_unreported) +
                                                                      " more events that could not be read (the first " +
                                                                      std::to_string(kMaxReported) + " are listed)"});
    if (!m_input.error().empty()) m_result.errors.push_back({m_base + m_len - kHeadroom, m_input.error()});
    for (format::FormatError& e : m_scanner.errors()) m_result.errors.push_back(std::move(e));
    if (m_scanner.more_errors())
        m_result.errors.push_back({m_result.errors.back().offset, std::to_string(m_scanner.more_errors()) +
                                                                      " more problems of the file's structure (the first " +
                                                                      std::to_string(TraceScanner::kMaxErrors) + " are listed)"});
    if (!m_scanner.failed() && !m_scanner.saw_array() && !m_result.cancelled) {
        m_result.errors.push_back({0, "not a trace: the top-level object has no \"traceEvents\" array"});
        m_result.fatal = true;
    }
    std::stable_sort(m_result.errors.begin(), m_result.errors.end(),
                     [](const format::FormatError& a, const format::FormatError& b) { return a.offset < b.offset; });
    m_result.fatal = m_result.fatal || m_scanner.failed();
    return m_result;
}

} // namespace

TextReadResult read_trace_text(JsonInput& input, TraceTextConsumer& consumer, const format::ReadOptions& options,
                               size_t read_chunk) {
    return Reader(input, consumer, options, read_chunk).run();
}

} // namespace weft::chrome
