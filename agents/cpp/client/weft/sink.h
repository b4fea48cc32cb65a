#pragma once
// Where the writer thread sends a session's records. All calls come from the writer thread only,
// in order: process info once, then a stream's info before that stream's first block.

#include "format/records.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace weft::client {

class Sink {
public:
    virtual ~Sink() = default;
    virtual void write_process_info(const format::ProcessInfo& info) = 0;
    virtual void write_stream_info(const format::StreamInfo& info) = 0;
    // One or more whole framed records (frame header + body), see docs/FORMAT.md.
    virtual void write(std::span<const uint8_t> framed_records) = 0;
    // Called when the writer goes idle and at shutdown: make what was written durable/visible.
    virtual void flush() {}
    // Called once at shutdown, after the last write.
    virtual void close() {}
    // False once a write failed; the writer keeps draining buffers so the program never stalls.
    virtual bool ok() const { return true; }
};

// A .weft file (header, then records as they come).
std::unique_ptr<Sink> make_file_sink(const std::string& path, std::string* error = nullptr);
// Discards everything (benchmarks, overhead measurements).
std::unique_ptr<Sink> make_null_sink();

} // namespace weft::client
