#pragma once
// A streaming JSON writer over a FILE*, shared by the summary and the export: nothing is kept in
// memory beyond a fixed buffer, so exporting a large trace never builds a document. Internal to
// core/io (it exposes RapidJSON); callers use summary.h and json_export.h.

#include "model/ids.h"

#include <rapidjson/filewritestream.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace weft {
struct Diagnostics;
}

namespace weft::io {

class JsonOut {
public:
    explicit JsonOut(std::FILE* file);
    JsonOut(const JsonOut&) = delete;
    JsonOut& operator=(const JsonOut&) = delete;

    JsonOut& key(std::string_view k);
    void string(std::string_view s); // invalid UTF-8 is replaced by U+FFFD: the output always parses
    void null() { m_writer.Null(); }
    void boolean(bool b) { m_writer.Bool(b); }
    void uint(uint64_t v) { m_writer.Uint64(v); }
    void integer(int64_t v) { m_writer.Int64(v); }
    void number(double v); // NaN and infinities become null
    void seconds(Time t);  // model time as seconds since the trace origin; kNoTime becomes null
    void ms(Time d) { number(static_cast<double>(d) / 1e6); }
    void optional_string(std::string_view s) { s.empty() ? null() : string(s); }
    // A JSON text (an imported event's args), written as the value it is when it is valid JSON,
    // else as a string holding it; empty text writes null.
    void json_value(std::string_view text);

    void begin_object() { m_writer.StartObject(); }
    void end_object() { m_writer.EndObject(); }
    void begin_array() { m_writer.StartArray(); }
    void end_array() { m_writer.EndArray(); }
    // Ends a line of JSON Lines: a newline, then a new top-level value may follow.
    void end_line() {
        m_stream.Put('\n');
        m_writer.Reset(m_stream);
    }
    // Raw text between values (CSV rows share the buffered stream).
    void raw(std::string_view text) {
        for (char c : text) m_stream.Put(c);
    }

    // Flushes the buffer; false if the file reported a write error.
    bool finish();

private:
    std::FILE* m_file;
    char m_buffer[1 << 16];
    rapidjson::FileWriteStream m_stream;
    rapidjson::Writer<rapidjson::FileWriteStream> m_writer;
    std::string m_scratch;
};

// Replaces every byte that does not start or continue a valid UTF-8 sequence by U+FFFD.
// Returns `text` itself (no copy) when it is already valid.
std::string_view valid_utf8(std::string_view text, std::string& scratch);

// The diagnostics object shared by the summary and the export: every counter, the total, the messages.
void write_diagnostics(JsonOut& out, const Diagnostics& diagnostics);

} // namespace weft::io
