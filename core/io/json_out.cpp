#include "io/json_out.h"

#include <rapidjson/reader.h>

#include <cmath>

namespace weft::io {

JsonOut::JsonOut(std::FILE* file)
    : m_file(file), m_stream(file, m_buffer, sizeof m_buffer), m_writer(m_stream) {
    // Nanosecond resolution for seconds, and no 0.30000000000000004 noise in milliseconds.
    m_writer.SetMaxDecimalPlaces(9);
}

JsonOut& JsonOut::key(std::string_view k) {
    m_writer.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    return *this;
}

void JsonOut::json_value(std::string_view text) {
    if (text.empty()) return null();
    // Checked with the iterative parser: a value nested deeply costs no stack.
    rapidjson::Reader reader;
    rapidjson::StringStream stream(m_scratch.assign(text).c_str());
    rapidjson::BaseReaderHandler<> ignore;
    if (m_scratch.size() == text.size() &&
        !reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag |
                      rapidjson::kParseValidateEncodingFlag>(stream, ignore).IsError() &&
        stream.Tell() == text.size()) {
        m_writer.RawValue(text.data(), text.size(), rapidjson::kObjectType);
    } else {
        string(text);
    }
}

void JsonOut::string(std::string_view s) {
    const std::string_view valid = valid_utf8(s, m_scratch);
    m_writer.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

void JsonOut::number(double v) {
    if (std::isfinite(v))
        m_writer.Double(v);
    else
        m_writer.Null();
}

void JsonOut::seconds(Time t) {
    if (t == kNoTime)
        m_writer.Null();
    else
        number(static_cast<double>(t) / 1e9);
}

bool JsonOut::finish() {
    m_stream.Flush();
    return std::fflush(m_file) == 0 && !std::ferror(m_file);
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
size_t utf8_sequence(std::string_view s, size_t i) {
    const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
    const uint8_t b = byte(i);
    if (b < 0x80) return 1;
    size_t len = 0;
    uint32_t cp = 0;
    if ((b & 0xe0) == 0xc0) { len = 2; cp = b & 0x1f; }
    else if ((b & 0xf0) == 0xe0) { len = 3; cp = b & 0x0f; }
    else if ((b & 0xf8) == 0xf0) { len = 4; cp = b & 0x07; }
    else return 0;
    if (i + len > s.size()) return 0;
    for (size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid too.
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
}

} // namespace

std::string_view valid_utf8(std::string_view text, std::string& scratch) {
    size_t i = 0;
    while (i < text.size()) {
        const size_t n = utf8_sequence(text, i);
        if (n == 0) break;
        i += n;
    }
    if (i == text.size()) return text;
    scratch.assign(text.substr(0, i));
    while (i < text.size()) {
        const size_t n = utf8_sequence(text, i);
        if (n == 0) {
            scratch += "\xef\xbf\xbd";
            ++i;
        } else {
            scratch.append(text.substr(i, n));
            i += n;
        }
    }
    return scratch;
}

} // namespace weft::io
