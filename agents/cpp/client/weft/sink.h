#pragma once
// Where the writer thread sends a session's records. All calls come from the writer thread only,
// in order: process info once, then a stream's info before that stream's first block.

#include "format/records.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

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
// Serves records live (docs/FORMAT.md, "Live protocol") on `address` ("unix", "unix:PATH",
// "tcp:127.0.0.1:PORT"), keeping up to `flight_recorder_bytes` of recent blocks for the next viewer.
// Listens from creation on; close() hands what is left to an attached viewer (bounded in time) and
// removes the socket and the discovery file.
std::unique_ptr<Sink> make_live_sink(const std::string& address, size_t flight_recorder_bytes = size_t{64} << 20,
                                     std::string* error = nullptr);
// Sends every call to each of `sinks`, in order (e.g. a file and a live sink).
std::unique_ptr<Sink> make_tee_sink(std::vector<std::unique_ptr<Sink>> sinks);

} // namespace weft::client
