#pragma once
// Builders for small, fully known traces and a sink that keeps copies of what a reader delivers.

#include "format/block_encoder.h"
#include "format/cbor_writer.h"
#include "format/framing.h"
#include "format/record_codec.h"
#include "format/trace_reader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace weft::format::testing {

Uuid make_id(uint8_t seed);
ProcessInfo sample_process();
StreamInfo sample_stream(uint8_t seed = 2);
BlockHeader sample_header(const StreamInfo& stream, int64_t begin_ticks = 1000);

// One event of each of the 13 kinds, with non-zero values in every field, absolute ticks from
// `begin_ticks` on. Blocking events use `frames` (location ids of `encoder`).
struct SampleEvents {
    std::vector<Event> events;
    std::vector<std::vector<BlockLocationId>> frames; // per event; empty for non-blocking ones
};
SampleEvents sample_events(BlockEncoder& encoder, int64_t begin_ticks);

// A framed block record whose payload is given as raw CBOR (to write what BlockEncoder never would).
std::vector<uint8_t> framed_block_with_payload(const BlockHeader& header, const std::vector<uint8_t>& payload,
                                               Codec codec);

// A small multi-record trace: file header, process info, stream info and `blocks` blocks of
// sample events. `record_offsets` receives the offset of each record.
std::vector<uint8_t> small_trace(int blocks, std::vector<uint64_t>* record_offsets = nullptr,
                                 Codec codec = Codec::Zstd);

struct StoredBlock {
    BlockHeader header;
    std::vector<std::string> strings;
    std::vector<BlockLocation> locations;
    std::vector<Event> events;
    std::vector<BlockLocationId> frames;
    uint64_t unknown_events = 0;
    uint64_t backwards_steps = 0;
};

struct MemorySink : TraceSink {
    std::vector<ProcessInfo> processes;
    std::vector<StreamInfo> streams;
    std::vector<StoredBlock> blocks;

    void on_process(const ProcessInfo& info) override { processes.push_back(info); }
    void on_stream(const StreamInfo& info) override { streams.push_back(info); }
    void on_block(const DecodedBlock& block) override;
};

// Writes `bytes` to a fresh file under the test temporary directory and returns its path.
std::string write_temp_file(const std::string& name, const std::vector<uint8_t>& bytes);

bool same_event(const Event& a, const Event& b);

} // namespace weft::format::testing
