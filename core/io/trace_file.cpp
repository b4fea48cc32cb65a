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
    // Neither: the .weft reader says why it is not a trace (missing, empty, bad magic), and the
    // message names the other format Weft would have taken.
    format::ReadReport report = format::read_trace_file(path, sink, options);
    if (report.fatal && !report.errors.empty() && report.errors.front().reason.find("magic") != std::string::npos)
        report.errors.front().reason =
            "neither a Weft trace nor a trace-event JSON file (it starts with neither the Weft magic bytes nor '[' or '{')";
    return report;
}

} // namespace weft::io
