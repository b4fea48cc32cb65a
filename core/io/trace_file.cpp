#include "io/trace_file.h"

#include "format/framing.h"
#include "io/chrome/chrome_json_import.h"
#include "io/chrome/json_input.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace weft::io {

TraceFileType sniff_trace_file(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return TraceFileType::Unknown;
    uint8_t head[64] = {};
    const size_t n = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
    if (n >= sizeof format::kFileMagic && std::memcmp(head, format::kFileMagic, sizeof format::kFileMagic) == 0)
        return TraceFileType::Weft;
    if (chrome::looks_gzip(head, n)) return TraceFileType::ChromeJson;
    size_t i = 0;
    if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) i = 3; // UTF-8 byte order mark
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r')) ++i;
    if (i < n && (head[i] == '{' || head[i] == '[')) return TraceFileType::ChromeJson;
    return TraceFileType::Unknown;
}

const char* trace_file_type_name(TraceFileType type) {
    switch (type) {
    case TraceFileType::Weft: return "Weft trace";
    case TraceFileType::ChromeJson: return "Chrome trace-event JSON";
    case TraceFileType::Unknown: return "unknown";
    }
    return "unknown";
}

format::ReadReport read_trace(const std::string& path, format::TraceSink& sink, const format::ReadOptions& options) {
    switch (sniff_trace_file(path)) {
    case TraceFileType::ChromeJson: return chrome::import_chrome_json(path, sink, options);
    case TraceFileType::Weft: return format::read_trace_file(path, sink, options);
    case TraceFileType::Unknown: break;
    }
    // Neither: say what it is not, or why it could not be read at all.
    format::ReadReport report;
    report.path = path;
    report.fatal = true;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        report.errors.push_back({0, "cannot open '" + path + "': " + std::strerror(errno)});
        return report;
    }
    uint8_t head[8] = {};
    const size_t n = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
    std::string start;
    static const char* const kHex = "0123456789abcdef";
    for (size_t i = 0; i < n; ++i) {
        start += i ? " " : "";
        start += kHex[head[i] >> 4];
        start += kHex[head[i] & 15];
    }
    report.errors.push_back({0, n == 0 ? std::string("the file is empty")
                                       : "neither a Weft trace nor a trace-event JSON file: it starts with the bytes " +
                                             start + " (a Weft trace starts with 89 57 45 46 54, JSON with '[' or '{')"});
    return report;
}

} // namespace weft::io
