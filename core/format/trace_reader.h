#pragma once
// Reads a .weft file record by record with bounded memory and reports damage without stopping:
// every intact record is delivered to the sink in file order.

#include "format/error.h"
#include "format/records.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace weft::format {

// Receives what a reader finds. Blocks arrive decoded; the DecodedBlock is reused after the call returns.
struct TraceSink {
    virtual ~TraceSink() = default;
    virtual void on_process(const ProcessInfo& info) = 0;
    virtual void on_stream(const StreamInfo& info) = 0;
    virtual void on_block(const DecodedBlock& block) = 0;
    // What the reader calls for each block. A sink that keeps blocks past the call may override it to
    // swap the block's contents with a spent block of its own instead of copying them: the reader
    // decodes the next block into whatever it gets back. A block's views point into its own storage,
    // so they survive the swap. By default, on_block.
    virtual void take_block(DecodedBlock& block) { on_block(block); }
    // True for a sink that reads blocks' events itself (DecodedBlock::events_encoded), as the
    // ModelBuilder does so that loading never stores them.
    virtual bool reads_encoded_events() const { return false; }
};

struct ReadReport {
    std::string path;
    uint64_t file_size = 0;
    uint64_t records = 0;        // intact records of known kinds delivered
    uint64_t unknown_records = 0;
    uint64_t events = 0;
    uint64_t unknown_events = 0;
    uint64_t skipped_bytes = 0;  // bytes lost to damage
    std::vector<FormatError> errors; // each with its byte offset; empty when the file is clean
    bool fatal = false;          // the file could not be read at all (missing, bad magic, newer major)
    bool cancelled = false;
};

struct ReadOptions {
    const std::atomic<bool>* cancel = nullptr;                     // polled between records
    std::function<void(uint64_t done, uint64_t total)> progress;   // bytes, called now and then
};

ReadReport read_trace_file(const std::string& path, TraceSink& sink, const ReadOptions& options = {});

} // namespace weft::format
