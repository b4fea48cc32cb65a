#pragma once
// Writes a .weft file: the file header, then records appended as they come.

#include "format/records.h"

#include <cstdio>
#include <span>
#include <string>
#include <vector>

namespace weft::format {

class TraceWriter {
public:
    TraceWriter() = default;
    ~TraceWriter();
    TraceWriter(const TraceWriter&) = delete;
    TraceWriter& operator=(const TraceWriter&) = delete;

    // Creates or truncates `path` and writes the file header, with the lowest minor version whose
    // features the file will use. Returns false and sets error() on failure.
    bool open(const std::string& path, uint16_t minor_version = 0);
    bool write_process_info(const ProcessInfo& info);
    bool write_stream_info(const StreamInfo& info);
    // Appends already framed records (e.g. from BlockEncoder::finish) as they are.
    bool write_framed(std::span<const uint8_t> framed_records);
    // Hands buffered records to the OS, so readers of the growing file see whole records so far.
    bool flush();
    bool close(); // flushes; false if any write failed

    const std::string& error() const { return m_error; }

private:
    std::FILE* m_file = nullptr;
    std::string m_error;
    std::vector<uint8_t> m_scratch;
};

} // namespace weft::format
