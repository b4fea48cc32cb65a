#pragma once
// CBOR bodies of the three record kinds (docs/FORMAT.md, "Record bodies"). Encoding appends to a
// byte vector; decoding never throws, never trusts a count for allocation and reports the first
// problem with the offset of the record it came from.

#include "format/error.h"
#include "format/records.h"

#include <cstdint>
#include <span>
#include <variant>
#include <vector>

namespace weft::format {

void encode_process_info(const ProcessInfo& info, std::vector<uint8_t>& out);
void encode_stream_info(const StreamInfo& info, std::vector<uint8_t>& out);
// Encodes a block whose payload is already encoded (and, for Codec::Zstd, already compressed).
void encode_block(const BlockHeader& header, std::span<const uint8_t> payload, std::vector<uint8_t>& out);

// The same, framed (frame header + body): ready for a .weft file or a live connection.
std::vector<uint8_t> frame_process_info(const ProcessInfo& info);
std::vector<uint8_t> frame_stream_info(const StreamInfo& info);

std::variant<ProcessInfo, FormatError> decode_process_info(std::span<const uint8_t> body, uint64_t offset);
std::variant<StreamInfo, FormatError> decode_stream_info(std::span<const uint8_t> body, uint64_t offset);

// Reads the header keys of a block body and returns a view of its (still compressed) payload,
// without decoding it. Checks the codec and the payload_size limit. Empty reason on success.
FormatError decode_block_header(std::span<const uint8_t> body, uint64_t offset, BlockHeader& header,
                                std::span<const uint8_t>& payload);

// What BlockDecoder does with a payload's events. LeaveEncoded stops at the events array when it
// is the payload's last entry (as every Weft producer writes it) and records where it starts, for a
// consumer that reads the events itself (format/event_decoder.h); otherwise the events are decoded.
enum class EventDecoding { Decode, LeaveEncoded };

// Decodes a block body: header fields, then the payload (decompressing it when needed, within
// kMaxPayloadSize) into `out`. `out`'s buffers are reused across calls, so decoding a stream of
// blocks into one DecodedBlock allocates only while blocks grow. Holds a zstd context: one per thread.
class BlockDecoder {
public:
    BlockDecoder();
    ~BlockDecoder();
    BlockDecoder(const BlockDecoder&) = delete;
    BlockDecoder& operator=(const BlockDecoder&) = delete;

    // Returns an empty error (reason empty) on success. When the error lies in the events and
    // `out.events_cut` is set, `out` holds everything before the bad event and is worth keeping.
    FormatError decode(std::span<const uint8_t> body, uint64_t offset, DecodedBlock& out,
                       EventDecoding mode = EventDecoding::Decode);

private:
    struct Impl;
    Impl* m_impl;
};

} // namespace weft::format
