#pragma once
// A synthetic but realistic async workload written as a .weft trace: one process whose event-loop
// thread accepts requests and whose workers run their sub-tasks. Used by `weft-cli generate`, the
// benchmarks and the tests. The output depends only on the options: the same seed gives the same
// bytes (every UUID comes from the seeded generator, never from the system).

#include "format/trace_writer.h"

#include <cstdint>
#include <string>

namespace weft::synth {

struct SynthOptions {
    uint64_t events = 100'000;     // target total; generation stops near it (at most a few events past)
    uint64_t tasks = 0;            // no new tasks once this many exist; 0: only `events` bounds them
    uint32_t threads = 4;          // 1 event loop + (threads - 1) workers; at least 1
    uint32_t depth = 3;            // deepest sub-task level (request handlers are level 0)
    uint64_t seed = 1;
    uint32_t block_events = 4096;  // events per block
    uint64_t tick_frequency = 1'000'000'000;
    int zstd_level = format::kDefaultZstdLevel;
};

struct SynthResult {
    uint64_t events = 0;
    uint64_t tasks = 0;
    uint64_t blocks = 0;
    uint64_t duration_ns = 0; // simulated time covered
};

// Writes process and stream infos and then the blocks to an open writer (it is not closed).
// Returns false with `error` set when a write fails.
bool generate_trace(const SynthOptions& options, format::TraceWriter& writer, SynthResult& result,
                    std::string& error);

// Creates (or truncates) `path`, writes the whole trace and closes it.
bool generate_trace(const SynthOptions& options, const std::string& path, SynthResult& result,
                    std::string& error);

} // namespace weft::synth
